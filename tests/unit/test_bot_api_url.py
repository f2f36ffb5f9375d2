"""`[telegram] base_url` accepts the forms people write for a local Bot API server."""
import pytest

from bots.telegram import _file_url, bot_api_url


@pytest.mark.parametrize("given, expected", [
    ("http://127.0.0.1:8081", "http://127.0.0.1:8081/bot"),
    ("http://127.0.0.1:8081/", "http://127.0.0.1:8081/bot"),
    ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/bot"),
    ("http://127.0.0.1:8081/bot/", "http://127.0.0.1:8081/bot"),
    ("http://127.0.0.1:8081/bot{token}", "http://127.0.0.1:8081/bot{token}"),
])
def test_base_url_forms(given: str, expected: str) -> None:
    assert bot_api_url(given) == expected


def test_file_url_follows() -> None:
    assert _file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert _file_url("http://h/bot{token}") == "http://h/file/bot{token}"

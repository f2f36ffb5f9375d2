"""--config reaches every command, wherever it is written on the line."""
import pytest

from tracker.cli import build_parser


@pytest.mark.parametrize("argv, expected", [
    (["feeds", "--config", "/x/c.toml", "add", "http://u"], "/x/c.toml"),
    (["feeds", "add", "http://u", "--config", "/x/c.toml"], "/x/c.toml"),
    (["feeds", "--config", "/x/c.toml", "export"], "/x/c.toml"),
    (["feeds", "remove", "n"], "./config.toml"),
    (["poll", "--once", "--config", "/p.toml"], "/p.toml"),
    (["events", "tail", "--config", "/e.toml"], "/e.toml"),
    (["status", "SK hynix", "--config", "/s.toml"], "/s.toml"),
])
def test_config_path(argv: list[str], expected: str) -> None:
    assert build_parser().parse_args(argv).config == expected


def test_extract_config_is_optional() -> None:
    assert build_parser().parse_args(["extract"]).config is None

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


def test_the_command_line_starts_without_the_database_libraries() -> None:
    # `pactwatch extract` needs no database: importing the CLI must not pull in SQLAlchemy or Alembic
    # (about 0.4 s of start-up on every call)
    import subprocess
    import sys

    code = "import sys, tracker.cli, tracker.extract; print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"

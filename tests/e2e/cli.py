"""Run ``pactwatch`` as a real subprocess, the way a user does."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def write_config(dir: Path, body: str = "") -> Path:
    path = dir / "config.toml"
    path.write_text(body or '[database]\nurl = "sqlite:///pactwatch.db"\n', encoding="utf-8")
    return path


def pactwatch(*args: str, input: str | None = None, env: dict[str, str] | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env.pop("TELEGRAM_BOT_TOKEN", None) if env is None or "TELEGRAM_BOT_TOKEN" not in env else None
    return subprocess.run([sys.executable, "-m", "tracker", *args], input=input, capture_output=True, text=True,
                          encoding="utf-8", env=full_env, timeout=timeout)

"""The JSONL exchange format of ``pactwatch events export`` / ``import``: one stored event a line."""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from store.recorder import SqlEventRecorder

_FIELDS: dict[str, tuple[type, ...]] = {
    "stream_id": (str,),
    "version": (int,),
    "type": (str,),
    "schema_version": (int,),
    "data": (dict,),
    "recorded_at": (str,),
}
_OPTIONAL: dict[str, tuple[type, ...]] = {
    "position": (int,),
    "metadata": (dict,),
    "idempotency_key": (str, type(None)),
}


class ImportFormatError(ValueError):
    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line


def export_lines(recorder: SqlEventRecorder) -> Iterator[str]:
    for e in recorder.read():
        yield json.dumps(e.to_json(), ensure_ascii=False, sort_keys=True)


def parse_lines(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Validate every line before anything is imported; the first bad line stops the batch."""
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(n, f"not JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise ImportFormatError(n, "not a JSON object")
        for key, types in _FIELDS.items():
            if key not in obj:
                raise ImportFormatError(n, f"missing {key!r}")
            if not isinstance(obj[key], types) or isinstance(obj[key], bool):
                raise ImportFormatError(n, f"{key!r} has the wrong type")
        for key, types in _OPTIONAL.items():
            if key in obj and not isinstance(obj[key], types):
                raise ImportFormatError(n, f"{key!r} has the wrong type")
        if obj["version"] < 1 or obj["schema_version"] < 1:
            raise ImportFormatError(n, "version and schema_version must be >= 1")
        out.append(obj)
    return out

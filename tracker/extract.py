"""The `pactwatch extract` contract: news items as JSONL in, one line of events per item out.

Input lines: {"id", "lang", "published", "title", "summary"}.  Output lines, in input order:
{"id": ..., "events": [{"parties": [A, B], "kind": K, "confidence": 0.93, "evidence": "..."}]}.
A malformed line (not JSON, not an object with a string title, not valid UTF-8) is reported on stderr
as "line N: <reason>" and gets no output line; blank lines and a leading byte-order mark are skipped
silently.  The return value is 1 if any line was malformed, else 0.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import TextIO

from tracker.domain.catalog import Catalog
from tracker.domain.detection import Detector


def _check(obj) -> str | None:
    if not isinstance(obj, dict):
        return f"expected a JSON object, got {type(obj).__name__}"
    if "title" not in obj:
        return "missing field 'title'"
    if not isinstance(obj["title"], str):
        return "field 'title' must be a string"
    summary = obj.get("summary")
    if summary is not None and not isinstance(summary, str):
        return "field 'summary' must be a string"
    for name in ("lang", "published"):
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            return f"field '{name}' must be a string"
    return None


def run_extract(stdin: TextIO, stdout: TextIO, stderr: TextIO, catalog: Catalog | None = None) -> int:
    """Detect events for every JSONL item on stdin, streaming one result line per item to stdout."""
    detector = Detector(catalog)
    detect = detector.detect
    # one encoder for the whole run (json.dumps with options builds a new one per call)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    loads = json.loads
    quote = encode_basestring
    float_repr = float.__repr__
    write = stdout.write
    bad = False
    for n, line in enumerate(stdin, 1):
        if n == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if not line.strip():
            continue
        if not line.isascii():
            try:
                line.encode("utf-8")
            except UnicodeEncodeError:
                # (bytes that are not UTF-8 arrive as lone surrogates, see cmd_extract)
                stderr.write(f"line {n}: not valid UTF-8\n")
                bad = True
                continue
        try:
            obj = loads(line)
        except ValueError as exc:
            stderr.write(f"line {n}: invalid JSON: {exc}\n")
            bad = True
            continue
        problem = _check(obj)
        if problem:
            stderr.write(f"line {n}: {problem}\n")
            bad = True
            continue
        try:
            events = detect(obj["title"], obj.get("summary") or "", obj.get("lang"), obj.get("published"))
        except Exception as exc:  # a detector bug costs this item's events, never the run
            stderr.write(f"line {n}: detector error, no events for this item: {type(exc).__name__}: {exc}\n")
            events = []
        # the line json.dumps(..., ensure_ascii=False) would give, built from pre-encoded pieces
        ident = obj.get("id")
        head = '{"id": ' + (quote(ident) if type(ident) is str else encode(ident)) + ', "events": ['
        if not events:
            write(head + "]}\n")
            continue
        write(head + ", ".join([
            '{"parties": [' + quote(d.parties[0]) + ", " + quote(d.parties[1]) + '], "kind": "' + d.kind
            + '", "confidence": ' + float_repr(d.confidence) + ', "evidence": ' + quote(d.evidence) + "}"
            for d in events]) + "]}\n")
    stdout.flush()
    return 1 if bad else 0

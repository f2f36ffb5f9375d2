import io
import json

from tracker.domain.catalog import Catalog, Entity
from tracker.domain.detection import Detector
from tracker.extract import run_extract


def _run(text, catalog=None):
    out, err = io.StringIO(), io.StringIO()
    rc = run_extract(io.StringIO(text), out, err, catalog)
    return rc, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


GOOD = {"id": "a1", "lang": "ko", "published": "2025-01-01",
        "title": "SK하이닉스, TSMC와 HBM4 협력 양해각서 체결", "summary": "SK하이닉스는 TSMC와 양해각서(MOU)를 체결했다."}
NONE = {"id": "a2", "lang": "en", "published": "2025-01-01", "title": "Nvidia shares rise 3%", "summary": ""}


def test_one_line_per_item_in_order():
    text = json.dumps(GOOD, ensure_ascii=False) + "\n" + json.dumps(NONE) + "\n"
    rc, lines, err = _run(text)
    assert rc == 0 and err == ""
    assert [x["id"] for x in lines] == ["a1", "a2"]
    ev = lines[0]["events"]
    assert ev == [{"parties": ["SK hynix", "TSMC"], "kind": "mou", "confidence": ev[0]["confidence"],
                   "evidence": ev[0]["evidence"]}]
    assert 0 < ev[0]["confidence"] <= 1 and "양해각서" in ev[0]["evidence"]
    assert lines[1]["events"] == []


def test_output_is_not_ascii_escaped():
    _, _, _ = _run("")
    out = io.StringIO()
    run_extract(io.StringIO(json.dumps(GOOD, ensure_ascii=False) + "\n"), out, io.StringIO())
    assert "양해각서" in out.getvalue()


def test_malformed_lines_reported_and_skipped():
    text = "\n".join([
        json.dumps(GOOD, ensure_ascii=False),
        "{not json",
        "[1, 2]",
        json.dumps({"id": "x", "summary": "no title"}),
        json.dumps({"id": "y", "title": 5}),
        "",
        json.dumps(NONE),
    ]) + "\n"
    rc, lines, err = _run(text)
    assert rc == 1
    assert [x["id"] for x in lines] == ["a1", "a2"]
    errs = err.strip().splitlines()
    assert [e.split(":")[0] for e in errs] == ["line 2", "line 3", "line 4", "line 5"]


def test_blank_lines_only_is_success():
    rc, lines, err = _run("\n\n   \n")
    assert rc == 0 and lines == [] and err == ""


def test_streams_line_by_line():
    class OneShot(io.StringIO):
        """Fails if read as a whole instead of iterated."""
        def read(self, *a):
            raise AssertionError("read() called")

    out = io.StringIO()
    rc = run_extract(OneShot(json.dumps(NONE) + "\n"), out, io.StringIO())
    assert rc == 0 and out.getvalue().count("\n") == 1


def test_extra_catalog_entity_is_detected():
    cat = Catalog(extra=[Entity("Rebellions", ("리벨리온",), ("박성현",))])
    item = {"id": "r1", "title": "리벨리온, 삼성전자와 AI 반도체 공급 계약",
            "summary": "리벨리온이 삼성전자와 AI 추론 칩 공급 계약을 체결했다."}
    rc, lines, _ = _run(json.dumps(item, ensure_ascii=False) + "\n", cat)
    assert rc == 0
    assert [(e["parties"], e["kind"]) for e in lines[0]["events"]] == [(["Rebellions", "Samsung Electronics"], "supply")]
    _, lines, _ = _run(json.dumps(item, ensure_ascii=False) + "\n")
    assert lines[0]["events"] == []


def test_output_lines_are_exactly_json_dumps():
    from tracker.domain.detection import Detector
    det = Detector()
    items = [
        {"id": 7, "title": 'SK하이닉스, "엔비디아"에 HBM3E 공급\t…', "summary": "SK하이닉스가 엔비디아에 HBM3E를 공급한다.\\ 끝"},
        {"id": None, "title": "Nvidia shares rise 3%", "summary": ""},
        {"title": "Samsung, ASML sign MOU", "summary": "Samsung Electronics and ASML signed a memorandum — \u2028 ok."},
        {"id": "q\"1\u00e9", "title": "Amazon invests in Anthropic", "summary": "Amazon will invest $4 billion in Anthropic."},
    ]
    rc, _, _ = _run("")
    out = io.StringIO()
    run_extract(io.StringIO("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in items)), out, io.StringIO())
    expected = ""
    for o in items:
        evs = det.detect(o["title"], o.get("summary") or "", o.get("lang"), o.get("published"))
        expected += json.dumps({"id": o.get("id"), "events": [
            {"parties": list(d.parties), "kind": d.kind, "confidence": d.confidence, "evidence": d.evidence}
            for d in evs]}, ensure_ascii=False) + "\n"
    assert out.getvalue() == expected
    assert '"events": [{' in expected


def test_a_detector_error_costs_one_item_not_the_run(monkeypatch):
    real = Detector.detect

    def flaky(self, title, summary, lang=None, published=None):
        if title == "boom":
            raise IndexError("rule bug")
        return real(self, title, summary, lang, published)

    monkeypatch.setattr(Detector, "detect", flaky)
    lines = [
        {"id": "a", "lang": "en", "published": "2025-01-01", "title": "boom", "summary": ""},
        {"id": "b", "lang": "en", "published": "2025-01-01", "title": "Nvidia signs supply deal with SK hynix",
         "summary": ""},
    ]
    out, err = io.StringIO(), io.StringIO()
    rc = run_extract(io.StringIO("".join(json.dumps(o) + "\n" for o in lines)), out, err)
    got = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [g["id"] for g in got] == ["a", "b"]
    assert got[0]["events"] == [] and got[1]["events"]
    assert "line 1: detector error" in err.getvalue()
    assert rc == 0

"""Detection over the log: idempotent appends, redetect differences, the partnership read model."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from store.recorder import NewEvent
from tracker.bootstrap import App, bootstrap
from tracker.config import Config, Settings
from tracker.domain.detection import Detection
from tracker.domain.events import ItemSeen
from tracker.service_layer import services
from tracker.service_layer.detection import detect_new_items, redetect

ITEMS = [
    ("a1", "ko", "2024-04-19", "SK하이닉스-TSMC, HBM4 협력 양해각서 체결",
     "SK하이닉스는 TSMC와 차세대 HBM 개발을 위한 양해각서(MOU)를 맺었다고 밝혔다."),
    ("a2", "en", "2024-06-05", "SK hynix signs HBM supply contract with Nvidia",
     "SK hynix said it signed a contract to supply HBM3E chips to Nvidia from the third quarter."),
    ("a3", "ko", "2024-06-06", "삼성전자, 3분기 영업이익 10조 돌파", "삼성전자의 3분기 실적이 시장 예상을 웃돌았다."),
]


@pytest.fixture
def app(db_url: str, tmp_path) -> App:  # type: ignore[no-untyped-def]
    cfg = Config(Settings(), tmp_path / "config.toml", env={})
    a = bootstrap(cfg, database_url=db_url)
    for item_id, lang, published, title, summary in ITEMS:
        a.recorder.append(f"item-{item_id}", [NewEvent.of(
            ItemSeen(item_id=item_id, feed="t", url=f"https://news.test/{item_id}", title=title, summary=summary,
                     lang=lang, published=published + "T00:00:00+00:00", outlet="테스트일보", story_id=item_id),
            key=f"item:{item_id}")])
    yield a
    a.close()


def test_detection_appends_once_even_when_run_again_from_scratch(app: App) -> None:
    first = detect_new_items(app)
    assert first >= 2
    assert detect_new_items(app) == 0
    # A crash after the append but before the checkpoint: the items are looked at again.
    with app.store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM projection_checkpoints WHERE name = 'detector'")
    assert detect_new_items(app) == 0
    assert app.recorder.count(types=["PartnershipEventDetected"]) == first


def test_status_and_timeline_resolve_names_with_particles(app: App) -> None:
    detect_new_items(app)
    app.project()
    org = services.status(app, "하이닉스는")
    assert isinstance(org, services.OrgStatus) and org.org == "SK hynix"
    assert {p.partner_of("SK hynix") for p in org.partners} == {"TSMC", "Nvidia"}
    pair = services.timeline(app, "엔비디아와", "sk HYNIX")
    assert pair.status is not None and pair.status.status == "supply"
    assert "supply" in [e.kind for e in pair.entries]
    with pytest.raises(services.UnknownOrganisation) as info:
        services.status(app, "엔비디")
    assert "Nvidia" in info.value.suggestions


@dataclass
class ScriptedDetector:
    """A stand-in for a newer detector version: its answers are given per item."""

    answers: dict[str, list[Detection]]
    version: str = "scripted-2"

    def detect(self, title, summary, lang=None, published=None):  # type: ignore[no-untyped-def]
        for item_id, found in self.answers.items():
            if item_id in title:
                return found
        return []


def test_redetect_appends_only_differences_and_fixes_the_read_model(app: App) -> None:
    detect_new_items(app)
    app.project()
    assert services.timeline(app, "SK hynix", "TSMC").status.status == "mou"
    before = app.recorder.count()
    # The new version: a1 is an agreement, not an MOU; a2 unchanged; a3 still nothing.
    real = app.detector
    keep_a2 = real.detect(ITEMS[1][3], ITEMS[1][4], "en")
    scripted = ScriptedDetector({
        "HBM4 협력": [Detection(("SK hynix", "TSMC"), "agreement", 0.8, "계약")],
        "supply contract": keep_a2,
    })
    app.__dict__["detector"] = scripted
    result = redetect(app)
    assert (result.items, result.added, result.retracted) == (3, 1, 1)
    assert app.recorder.count() == before + 2
    status = services.timeline(app, "SK hynix", "TSMC").status
    assert status is not None and status.status == "agreement"
    # Nothing changed since: a second run appends nothing.
    assert redetect(app) == type(result)(3, 0, 0)
    # Going back to the first version re-adds the MOU (a new generation) and retracts the agreement.
    app.__dict__["detector"] = real
    assert redetect(app) == type(result)(3, 1, 1)
    assert services.timeline(app, "SK hynix", "TSMC").status.status == "mou"


def test_follow_up_stories_form_a_storyline_and_repeats_are_one_entry(app: App) -> None:
    """Talks first, a signing later (another story); the signing reported by two outlets."""
    follow_ups = [
        ("b1", "2024-07-01", "story-talks", "Samsung Electronics and Google in talks on Android XR chips",
         "Samsung Electronics is in talks with Google on custom chips for Android XR headsets, people familiar said."),
        ("b2", "2024-09-10", "story-sign", "Samsung Electronics signs chip supply deal with Google",
         "Samsung Electronics signed a contract to supply custom XR chips to Google from 2025."),
        ("b3", "2024-09-10", "story-sign", "Samsung to supply Google with XR chips under new contract",
         "Samsung Electronics will supply Google with custom XR chips under a contract signed on Tuesday."),
    ]
    for item_id, published, story, title, summary in follow_ups:
        app.recorder.append(f"item-{item_id}", [NewEvent.of(
            ItemSeen(item_id=item_id, feed="wire", url=f"https://wire.test/{item_id}", title=title, summary=summary,
                     lang="en", published=published + "T00:00:00+00:00", outlet=f"Outlet {item_id}",
                     story_id=story), key=f"item:{item_id}")])
    pair = ("Google", "Samsung Electronics")
    app.__dict__["detector"] = ScriptedDetector({  # the storyline, not the detector, is under test
        "in talks": [Detection(pair, "talks", 0.7, "in talks")],
        "signs chip supply": [Detection(pair, "supply", 0.9, "signed a contract to supply")],
        "to supply Google": [Detection(pair, "supply", 0.9, "will supply")],
    })
    detect_new_items(app)
    app.project()
    chain = services.timeline(app, "삼성전자", "구글").entries
    assert [(e.story_id, e.kind) for e in chain] == [("story-talks", "talks"), ("story-sign", "supply")]
    assert [s.url for s in chain[1].sources] == ["https://wire.test/b2", "https://wire.test/b3"]
    status = services.timeline(app, "Samsung", "Google").status
    assert status is not None and (status.status, status.stage, status.sources) == ("supply", "supply", 3)

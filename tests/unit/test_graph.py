"""The /graph PNG: valid, sized, deterministic, quick, and sensible when empty."""

from __future__ import annotations

import struct

from bots.graph import STATUS_STYLE, render_graph

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def network(nodes: int) -> list[tuple[str, str, str]]:
    statuses = list(STATUS_STYLE)
    names = [f"Org {i}" for i in range(nodes - 3)] + ["삼성전자", "LG에너지솔루션", "SK hynix"]
    return [(names[i % nodes], names[(i * 7 + 3) % nodes], statuses[i % len(statuses)])
            for i in range(nodes * 2)]


def test_small_graph_is_a_png_of_the_expected_size() -> None:
    png = render_graph([("Samsung", "Naver", "mou"), ("Samsung", "LG", "supply")])
    assert png_size(png) == (800, 800)
    assert png.endswith(b"IEND\xaeB`\x82")


def test_large_graph_gets_a_larger_canvas() -> None:
    assert png_size(render_graph(network(50))) == (1000, 1000)


def test_empty_graph_still_renders() -> None:
    empty = render_graph([], title="PactWatch")
    assert png_size(empty) == (800, 800)
    assert len(empty) > 2000  # the "no partnerships yet" text is drawn
    assert empty != render_graph([], title=None)


def test_focus_without_partners_renders_the_empty_picture() -> None:
    png = render_graph([("A", "B", "mou")], focus="Nobody")
    assert png_size(png) == (800, 800)


def test_focus_and_title_and_unknown_status() -> None:
    edges = [("현대자동차", "기아", "joint_venture"), ("현대자동차", "Aptiv", "rumour"),
             ("기아", "Aptiv", "ended"), ("Other", "Else", "mou")]
    png = render_graph(edges, focus="현대자동차", title="현대자동차")
    assert png_size(png) == (800, 800)


def test_same_input_gives_the_same_picture() -> None:
    edges = network(20)
    assert render_graph(edges) == render_graph(list(edges))


def test_latest_status_of_a_pair_wins_regardless_of_direction() -> None:
    once = render_graph([("A", "B", "ended"), ("C", "A", "mou")])
    twice = render_graph([("A", "B", "talks"), ("B", "A", "ended"), ("C", "A", "mou")])
    assert once == twice

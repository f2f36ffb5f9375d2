"""The /graph picture: organisations as nodes, partnerships as coloured edges.

Drawn with matplotlib's object API on an Agg canvas - no pyplot, no display,
no global state - so it is safe inside the bot's process and threads. Layout
is computed here (circles and shells) rather than with networkx: it must be
deterministic, so the same data always gives the same picture, and a ring
layout is all a partnership map of tens of organisations needs.
"""

from __future__ import annotations

import io
import logging
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

log = logging.getLogger(__name__)

Edge = tuple[str, str, str]

STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    # status: (colour, line style, legend label)
    "talks": ("#9e9e9e", "dotted", "talks"),
    "mou": ("#1e88e5", "solid", "MoU"),
    "agreement": ("#43a047", "solid", "agreement"),
    "supply": ("#fb8c00", "solid", "supply"),
    "investment": ("#8e24aa", "solid", "investment"),
    "joint_venture": ("#e53935", "solid", "joint venture"),
    "ended": ("#bdbdbd", "dashed", "ended"),
}
OTHER_STYLE = ("#607d8b", "solid", "other")

# Families known to carry Hangul, best first.
_CJK_HINTS = ("noto sans cjk", "noto sans kr", "noto serif cjk", "nanum", "malgun",
              "apple sd gothic", "applegothic", "source han sans", "undotum", "baekmuk",
              "unifont", "cjk")
_LABEL_MAX = 18


@dataclass(frozen=True)
class _Layout:
    positions: dict[str, tuple[float, float]]
    edges: list[Edge]  # (a, b, status), one per pair, latest status


def render_graph(
    edges: Sequence[tuple[str, str, str]],
    focus: str | None = None,
    title: str | None = None,
) -> bytes:
    """A PNG of the partnership network.

    ``edges`` are (organisation, organisation, status), oldest first: when a
    pair appears twice, the later status wins. With ``focus`` the picture is
    that organisation in the centre, its partners on a ring around it and the
    partnerships among them. Nothing to draw gives a picture that says so.
    """
    layout = _layout(_latest(edges), focus)
    fig = Figure(figsize=_figsize(len(layout.positions)), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.9 if title else 0.96))
    ax.set_axis_off()
    fonts = _font_families()
    if title:
        fig.suptitle(title, fontsize=15, fontfamily=fonts, y=0.97)
    if not layout.edges:
        _draw_empty(ax, focus, fonts)
    else:
        _draw(ax, layout, focus, fonts)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # Without a CJK font, Hangul draws as boxes; _font_families has said so once.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        # Fast zlib level: a third of the encoding time for a slightly larger file.
        fig.savefig(buf, format="png", metadata={"Software": None},
                    pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def _latest(edges: Sequence[tuple[str, str, str]]) -> list[Edge]:
    by_pair: dict[tuple[str, str], str] = {}
    for a, b, status in edges:
        a, b = a.strip(), b.strip()
        if not a or not b or a == b:
            continue
        pair = (a, b) if a <= b else (b, a)
        by_pair.pop(pair, None)  # re-insert so order follows the latest event
        by_pair[pair] = status.strip().lower()
    return [(a, b, status) for (a, b), status in by_pair.items()]


def _layout(edges: list[Edge], focus: str | None) -> _Layout:
    if focus is not None:
        partners = {b if a == focus else a for a, b, _ in edges if focus in (a, b)}
        circle = partners | {focus}
        edges = [e for e in edges if e[0] in circle and e[1] in circle]
        if not partners:
            return _Layout({}, [])
        ring = _ring(sorted(partners, key=lambda p: (_status_of(edges, focus, p), p)), 1.0)
        return _Layout({focus: (0.0, 0.0), **ring}, edges)

    degree: dict[str, int] = {}
    for a, b, _ in edges:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    nodes = sorted(degree, key=lambda n: (-degree[n], n))
    if len(nodes) <= 10:
        return _Layout(_ring(sorted(nodes), 1.0), edges)
    inner_count = max(5, len(nodes) // 4)
    inner = _ring(nodes[:inner_count], 0.5)
    outer_nodes = nodes[inner_count:]
    # Put each outer node near the hubs it is tied to, to keep crossings down.
    neighbours: dict[str, list[str]] = {n: [] for n in outer_nodes}
    for a, b, _ in edges:
        if a in neighbours and b in inner:
            neighbours[a].append(b)
        if b in neighbours and a in inner:
            neighbours[b].append(a)
    outer_nodes.sort(key=lambda n: (_mean_angle([inner[m] for m in neighbours[n]]), n))
    return _Layout({**inner, **_ring(outer_nodes, 1.0)}, edges)


def _ring(nodes: Sequence[str], radius: float) -> dict[str, tuple[float, float]]:
    count = max(1, len(nodes))
    return {
        node: (radius * math.cos(math.pi / 2 - 2 * math.pi * i / count),
               radius * math.sin(math.pi / 2 - 2 * math.pi * i / count))
        for i, node in enumerate(nodes)
    }


def _mean_angle(points: list[tuple[float, float]]) -> float:
    """Clockwise angle from the top of the mean direction; unattached nodes go last."""
    if not points:
        return 10.0
    x = sum(p[0] for p in points)
    y = sum(p[1] for p in points)
    return (math.pi / 2 - math.atan2(y, x)) % (2 * math.pi)


def _status_of(edges: list[Edge], a: str, b: str) -> int:
    order = list(STATUS_STYLE)
    for x, y, status in edges:
        if {x, y} == {a, b}:
            return order.index(status) if status in order else len(order)
    return len(order)


def _figsize(nodes: int) -> tuple[float, float]:
    side = 8.0 if nodes <= 30 else 10.0
    return (side, side)


def _draw(ax, layout: _Layout, focus: str | None, fonts: list[str]) -> None:  # type: ignore[no-untyped-def]
    pos = layout.positions
    present: list[str] = []
    for status in [*STATUS_STYLE, "other"]:
        group = [e for e in layout.edges if _style_key(e[2]) == status]
        if not group:
            continue
        present.append(status)
        colour, style, _ = STATUS_STYLE.get(status, OTHER_STYLE)
        lines = LineCollection([(pos[a], pos[b]) for a, b, _ in group], colors=colour,
                               linestyles=style, linewidths=2.2, zorder=1)
        ax.add_collection(lines)

    degree = {n: 0 for n in pos}
    for a, b, _ in layout.edges:
        degree[a] += 1
        degree[b] += 1
    names = list(pos)
    xs = [pos[n][0] for n in names]
    ys = [pos[n][1] for n in names]
    sizes = [900 if n == focus else 120 + 60 * min(degree[n], 10) for n in names]
    colours = ["#ffd54f" if n == focus else "#eceff1" for n in names]
    ax.scatter(xs, ys, s=sizes, c=colours, edgecolors="#37474f", linewidths=1.2, zorder=2)

    crowded = len(names) > 30
    # A backing box keeps labels readable over edges, but costs ~10 ms a label:
    # crowded pictures go without, to stay well under a second.
    backing = None if crowded else {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                    "alpha": 0.8}
    for name in names:
        x, y = pos[name]
        lx, ly, ha, va = _label_anchor(x, y)
        ax.text(lx, ly, _short(name), ha=ha, va=va,
                fontsize=7 if crowded else 9, fontfamily=fonts, zorder=3,
                fontweight="bold" if name == focus else "normal", bbox=backing)

    handles = [
        Line2D([], [], color=STATUS_STYLE.get(s, OTHER_STYLE)[0],
               linestyle=STATUS_STYLE.get(s, OTHER_STYLE)[1], linewidth=2.5,
               label=STATUS_STYLE.get(s, OTHER_STYLE)[2])
        for s in present
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=9, frameon=True, framealpha=0.9,
              title="latest status", title_fontsize=9)
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-1.5, 1.5)
    ax.set_aspect("equal")


def _label_anchor(x: float, y: float) -> tuple[float, float, str, str]:
    """Put a label just outside its node, pointing away from the centre.

    Neighbours on a ring then keep their labels apart; the centre node's
    label goes underneath it.
    """
    radius = math.hypot(x, y)
    if radius < 1e-9:
        return x, y - 0.09, "center", "top"
    cos, sin = x / radius, y / radius
    ha = "left" if cos > 0.35 else "right" if cos < -0.35 else "center"
    va = "bottom" if sin > 0.35 else "top" if sin < -0.35 else "center"
    return x + 0.06 * cos, y + 0.06 * sin, ha, va


def _draw_empty(ax, focus: str | None, fonts: list[str]) -> None:  # type: ignore[no-untyped-def]
    message = "No partnerships yet"
    if focus:
        message += f"\nfor {focus}"
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=22, color="#546e7a",
            fontfamily=fonts, transform=ax.transAxes)


def _style_key(status: str) -> str:
    return status if status in STATUS_STYLE else "other"


def _short(name: str) -> str:
    return name if len(name) <= _LABEL_MAX else name[: _LABEL_MAX - 1] + "…"


@lru_cache(maxsize=1)
def _font_families() -> list[str]:
    """Font families for labels: a CJK-capable one first when installed.

    Matplotlib falls back through the list glyph by glyph, so Latin text
    keeps DejaVu Sans and Hangul uses the CJK font.
    """
    names = sorted({f.name for f in font_manager.fontManager.ttflist})
    for hint in _CJK_HINTS:
        for name in names:
            if hint in name.lower():
                return [name, "DejaVu Sans"]
    log.warning("no CJK font installed (e.g. fonts-noto-cjk or fonts-nanum); "
                "Korean names in /graph will render as boxes")
    return ["DejaVu Sans"]

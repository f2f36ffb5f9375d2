"""Telegram HTML helpers, checked against the fake server's independent HTML parser."""

from __future__ import annotations

import random

import pytest

from tests.fake_telegram import TelegramHTMLError, parse_telegram_html, utf16_len
from tracker.render import (
    html_escape,
    html_to_plain,
    link,
    split_message,
    utf16_len as render_utf16_len,
    visible_length,
)


def assert_valid_parts(parts: list[str], limit: int = 4096) -> None:
    for part in parts:
        shown = parse_telegram_html(part)  # raises if Telegram would refuse it
        assert utf16_len(shown) <= limit
        assert shown.strip()


def test_escape_covers_markup_and_attribute_quotes() -> None:
    assert html_escape('A&B <b> "q" \'s\'') == "A&amp;B &lt;b&gt; &quot;q&quot; &#x27;s&#x27;"
    assert parse_telegram_html(html_escape('<&>"\'')) == '<&>"\''


def test_link_escapes_url_and_label() -> None:
    html = link('https://news.example/a?x=1&y="2"', "LG & <SK>")
    assert html == ('<a href="https://news.example/a?x=1&amp;y=&quot;2&quot;">'
                    "LG &amp; &lt;SK&gt;</a>")
    assert parse_telegram_html(html) == "LG & <SK>"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "news.example/a"])
def test_link_refuses_dubious_urls(url: str) -> None:
    assert link(url, "label <x>") == "label &lt;x&gt;"


def test_lengths_count_utf16_units_after_entities() -> None:
    assert render_utf16_len("가😀") == 3
    assert visible_length("<b>&amp;&#128512;</b> x") == 5


def test_short_text_is_one_part_and_blank_text_none() -> None:
    assert split_message("<b>hi</b>") == ["<b>hi</b>"]
    assert split_message(" \n ") == []


def test_five_thousand_characters_full_of_specials_split_validly() -> None:
    rng = random.Random(5)
    pieces = ["<", ">", "&", "삼성", "LG", " ", "\n", "😀", '"', "x"]
    raw = "".join(rng.choice(pieces) for _ in range(5000))
    html = f"<b>{html_escape(raw[:1200])}</b>\n{link('https://e.x/?a=1&b=2', raw[1200:1300])}" \
        f"\n<i>{html_escape(raw[1300:])}</i>"

    parts = split_message(html)

    assert len(parts) >= 2
    assert_valid_parts(parts)
    shown = [parse_telegram_html(p) for p in parts]
    assert "".join(shown).replace("\n", "").replace(" ", "") == \
        parse_telegram_html(html).replace("\n", "").replace(" ", "")


def test_single_overlong_line_is_cut_hard_but_never_inside_an_entity_or_tag() -> None:
    line = "<u>" + "&amp;&lt;가" * 3000 + "</u>"  # one line, 9000 visible units

    parts = split_message(line, limit=1000)

    assert_valid_parts(parts, limit=1000)
    assert all(p.startswith("<u>") and p.endswith("</u>") for p in parts)
    assert "".join(parse_telegram_html(p) for p in parts) == "&<가" * 3000


def test_lines_are_kept_whole_and_tags_reopened_across_parts() -> None:
    lines = [f"line {i:03d} with <i>italic</i> and &amp;" for i in range(300)]
    html = '<blockquote><a href="https://e.x/?q=1&amp;r=2">' + "\n".join(lines) + "</a></blockquote>"

    parts = split_message(html, limit=2000)

    assert_valid_parts(parts, limit=2000)
    assert all(p.startswith('<blockquote><a href="https://e.x/?q=1&amp;r=2">') for p in parts)
    assert all(p.endswith("</a></blockquote>") for p in parts)
    shown_lines = [ln for p in parts for ln in parse_telegram_html(p).split("\n")]
    assert shown_lines == [parse_telegram_html(ln) for ln in lines]


def test_astral_characters_are_not_split_and_count_double() -> None:
    parts = split_message("😀" * 10, limit=5)
    assert parts == ["😀😀", "😀😀", "😀😀", "😀😀", "😀😀"]


def test_splitting_prefers_spaces_over_hard_cuts() -> None:
    assert split_message("alpha beta gamma", limit=11) == ["alpha beta", "gamma"]


def test_html_to_plain_keeps_urls_and_unescapes() -> None:
    html = (f"<b>{html_escape('Kia & <Hyundai>')}</b> {link('https://e.x/a?b=1&c=2', 'story')}"
            f" {link('https://e.x/', 'https://e.x/')}")
    assert html_to_plain(html) == "Kia & <Hyundai> story (https://e.x/a?b=1&c=2) https://e.x/"


def test_the_fake_parser_refuses_what_telegram_refuses() -> None:
    for bad in ["a < b", "a & b", "<b>x</i>", "<div>x</div>", "&nbsp;", "<b>open"]:
        with pytest.raises(TelegramHTMLError):
            parse_telegram_html(bad)

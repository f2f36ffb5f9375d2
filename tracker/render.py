"""Text helpers shared by the Telegram bot and the console.

Everything here works on the small HTML dialect Telegram accepts with
``parse_mode="HTML"``; the console gets the same text through
:func:`html_to_plain`, so there is one source of formatting, not two.

Lengths are measured the way Telegram measures them: after entities such as
``&amp;`` are parsed and tags removed, in UTF-16 code units (an emoji outside
the Basic Multilingual Plane counts as two).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

TELEGRAM_TEXT_LIMIT = 4096
"""Maximum length of a message text after entity parsing (UTF-16 units)."""

TELEGRAM_CAPTION_LIMIT = 1024
"""Maximum length of a media caption after entity parsing (UTF-16 units)."""

_LINK_SCHEMES = frozenset({"http", "https", "tg", "mailto"})

# A start or end tag with optional attributes; quoted values may contain '>'.
_TAG_RE = re.compile(
    r"""<(/?)([A-Za-z][A-Za-z0-9-]*)"""
    r"""((?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)"""
    r"""\s*(/?)>"""
)
_HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def html_escape(text: str) -> str:
    """Escape ``&``, ``<``, ``>`` and both quote characters.

    Quotes are escaped too so that the result is safe inside an attribute
    value (``href="..."``); Telegram accepts ``&quot;`` and numeric entities.
    """
    return html.escape(text, quote=True)


def link(url: str, label: str) -> str:
    """An ``<a href>`` element, or just the escaped label for a dubious URL.

    Telegram rejects some schemes and a ``javascript:`` link from a scraped
    article must never become clickable, so only http(s), tg and mailto
    links are emitted.
    """
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme not in _LINK_SCHEMES:
        return html_escape(label)
    return f'<a href="{html_escape(url.strip())}">{html_escape(label)}</a>'


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def visible_length(html_text: str) -> int:
    """Length of ``html_text`` as Telegram counts it: tags dropped, entities parsed."""
    return sum(tok.width for tok in _tokenize(html_text))


def split_message(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split HTML ``text`` into parts that each fit in one Telegram message.

    Cuts at the last line break that fits, else at the last space, else hard
    - but never inside a tag or an entity. Tags open at a cut are closed at
    the end of the part and reopened at the start of the next, so each part
    is valid on its own. The whitespace at a cut is dropped (Telegram trims
    it anyway) and blank parts are omitted, so blank text gives ``[]``.
    """
    if limit < 2:
        raise ValueError("limit must allow at least one character (2 UTF-16 units)")
    tokens = _tokenize(text)
    parts: list[str] = []
    start = 0
    stack: list[_Token] = []
    while start < len(tokens):
        end, resume, end_stack = _find_cut(tokens, start, stack, limit)
        part = _assemble(tokens[start:end], stack, end_stack)
        if any(tok.plain.strip() for tok in tokens[start:end]):
            parts.append(part)
        start, stack = resume, end_stack
    return parts


def html_to_plain(text: str) -> str:
    """Telegram HTML as console text: tags stripped, entities unescaped.

    A link keeps its URL in parentheses after the label (``label (url)``),
    since a terminal cannot follow an ``<a>``; a bare URL label is not repeated.
    """
    out: list[str] = []
    links: list[tuple[int, str | None]] = []  # (output index where label starts, href)
    for tok in _tokenize(text):
        if tok.kind == "open" and tok.name == "a":
            links.append((len(out), _href_of(tok.raw)))
        elif tok.kind == "close" and tok.name == "a" and links:
            begin, href = links.pop()
            label = "".join(out[begin:])
            if href and href != label.strip():
                out.append(f" ({href})" if label.strip() else href)
        elif tok.kind in ("text", "entity"):
            out.append(tok.plain)
    return "".join(out)


# --- tokenising ---------------------------------------------------------------------------

_Kind = Literal["text", "entity", "open", "close", "void"]


@dataclass(frozen=True, slots=True)
class _Token:
    """One indivisible piece of HTML: a character, an entity or a tag."""

    kind: _Kind
    raw: str
    name: str = ""
    plain: str = ""
    width: int = 0


def _tokenize(text: str) -> list[_Token]:
    """Tokens for ``text``; a ``<`` or ``&`` that starts nothing valid is plain text.

    Leniency matters because the splitter also sees text that is not
    well-formed; validity is Telegram's (or the fake server's) call.
    """
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "<" and (m := _TAG_RE.match(text, i)):
            closing, name, _attrs, self_closing = m.groups()
            kind: _Kind = "close" if closing else ("void" if self_closing else "open")
            tokens.append(_Token(kind, m.group(0), name.lower()))
            i = m.end()
        elif ch == "&" and (m := _ENTITY_RE.match(text, i)):
            plain = html.unescape(m.group(0))
            tokens.append(_Token("entity", m.group(0), plain=plain, width=utf16_len(plain)))
            i = m.end()
        else:
            tokens.append(_Token("text", ch, plain=ch, width=2 if ord(ch) > 0xFFFF else 1))
            i += 1
    return tokens


def _href_of(open_tag: str) -> str | None:
    m = _HREF_RE.search(open_tag)
    if not m:
        return None
    return html.unescape(next(g for g in m.groups() if g is not None))


def _apply(stack: list[_Token], tok: _Token) -> None:
    """Track which tags are open; tolerate stray or mis-nested end tags."""
    if tok.kind == "open":
        stack.append(tok)
    elif tok.kind == "close":
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth].name == tok.name:
                del stack[depth:]
                break


def _find_cut(
    tokens: list[_Token], start: int, stack: list[_Token], limit: int
) -> tuple[int, int, list[_Token]]:
    """Where the part beginning at ``start`` ends.

    Returns (end index exclusive, index the next part resumes at, open tags at
    the cut).
    """
    width = 0
    open_tags = list(stack)
    newline: tuple[int, list[_Token]] | None = None
    space: tuple[int, list[_Token]] | None = None
    i = start
    while i < len(tokens):
        tok = tokens[i]
        if width + tok.width > limit:
            break
        if tok.kind == "text" and tok.raw == "\n":
            newline = (i, list(open_tags))
        elif tok.kind == "text" and tok.raw.isspace():
            space = (i, list(open_tags))
        width += tok.width
        _apply(open_tags, tok)
        i += 1
    else:
        return len(tokens), len(tokens), open_tags
    for candidate in (newline, space):
        if candidate is not None and candidate[0] > start:
            at, tags = candidate
            return at, at + 1, tags
    if newline is not None or space is not None:
        # Only a leading whitespace fits before the overflow: drop it, go on.
        at, tags = newline if newline is not None else space  # type: ignore[misc]
        return at, at + 1, tags
    # Hard cut: leave tags that open right at the cut to the next part.
    while i > start + 1 and tokens[i - 1].kind == "open":
        i -= 1
        open_tags.pop()
    overflow = tokens[i]
    if overflow.kind == "text" and overflow.raw.isspace():
        return i, i + 1, open_tags
    return i, i, open_tags


def _assemble(body: list[_Token], reopen: list[_Token], still_open: list[_Token]) -> str:
    return (
        "".join(tok.raw for tok in reopen)
        + "".join(tok.raw for tok in body)
        + "".join(f"</{tok.name}>" for tok in reversed(still_open))
    )

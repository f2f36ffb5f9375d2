"""Group near-duplicate news items into stories.

Outlets rewrite each other's stories (and wire copy) within hours; counting
each rewrite as a new partnership event would inflate every figure we show.
A story is identified by the item_id of its first item, so the grouping is
deterministic and can be rebuilt by replaying items in their original order.

How two items are compared (same language only; cross-language linking is
the detector's job, through catalog entities):
- Organisation names are found through an alias list (built-in, or the
  catalog's via ``org_aliases``), mapped to one key ("MS", "마이크로소프트" →
  microsoft) and taken *out* of the text, so a long company name does not
  make two unrelated stories about it look alike.
- English: word unigrams (light stemming, stopwords dropped); Korean: character
  bigrams of Hangul runs, because particles glue onto words ("SK하이닉스가").
- Model codes (HBM4, K9, GB300) and organisations together form the entity
  score; figures with their unit (6.6조 and 6조6000억 → 66000억; $80 billion
  and $80bn → 80b; 12-high and 12단 → 12layer) are compared on their own.
- Hard negatives get penalties: two items whose figures (years aside) have
  nothing in common are usually one template with new numbers (Q1 vs Q2
  results); an organisation in one headline that the other item never names
  usually means a different party (Samsung vs Micron passing the same test).
Candidates come from a bucket index on a bottom-k sketch of each item's
shingles (one MinHash, k smallest), so ``assign`` looks at a handful of
recent items instead of every story.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import ahocorasick

DEFAULT_THRESHOLD = 0.52
TEXT_WEIGHT = 0.6
FIGURE_BONUS = 0.1
FIGURE_MISMATCH = 0.4
ORG_MISMATCH = 0.5
SKETCH_K = 5
BUCKET_CAP = 16  # most recent items kept per bucket; bounds the work a hot key can cause
MAX_ORGS_FOR_KEYS = 4
SUMMARY_CHARS = 400

_TOKEN = re.compile(
    r"(?P<latin>[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*)"
    r"|(?P<num>\$?\d+(?:[.,]\d+)*)(?P<unit>[\s-]*(?:%|조|억|만|billion|bn|million|mn|trillion"
    r"|gw|gigawatts?|mw|megawatts?|high|layers?|단|년|분기|원|주|개|장)(?![a-z]))?"
    r"|(?P<hangul>[\uac00-\ud7a3]+)",
    re.I,
)
# "2조4000억원" and "2.4조원" are the same amount: rewrite both as 억 units.
_KO_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*조(?:\s*(\d[\d,]*)\s*억)?|(\d[\d,]*)\s*억")
_EN_STOP = frozenset(
    "a an and the of to in on for with by at from as is are was were be been will would its it "
    "this that these those has have had after over into under than about more new says said "
    "say up out their his her our we they he she us not but or also which who".split()
)
_UNIT_ALIASES = {
    "billion": "b", "bn": "b", "million": "m", "mn": "m", "trillion": "t",
    "gigawatt": "gw", "gigawatts": "gw", "megawatt": "mw", "megawatts": "mw",
    "high": "layer", "layers": "layer", "단": "layer",
}

# Organisation names are the strongest signal of "same story" and, when they
# differ, of "different story". This built-in list covers the usual suspects;
# pass the catalog's aliases to StoryClusterer(org_aliases=...) for the rest.
DEFAULT_ORG_ALIASES: dict[str, tuple[str, ...]] = {
    "sk hynix": ("SK hynix", "SK하이닉스", "하이닉스", "Hynix"),
    "sk telecom": ("SK Telecom", "SK텔레콤", "SKT"),
    "samsung": ("Samsung Electronics", "Samsung", "삼성전자", "삼성"),
    "lg electronics": ("LG Electronics", "LG전자"),
    "lg energy solution": ("LG Energy Solution", "LG에너지솔루션", "LG엔솔", "LGES"),
    "kt": ("KT", "케이티"),
    "naver": ("Naver Cloud", "Naver", "네이버클라우드", "네이버"),
    "kakao": ("Kakao", "카카오"),
    "hyundai": ("Hyundai Motor Group", "Hyundai Motor", "Hyundai", "현대자동차그룹", "현대차그룹",
                "현대자동차", "현대차"),
    "hanwha aerospace": ("Hanwha Aerospace", "한화에어로스페이스", "한화에어로"),
    "posco future m": ("POSCO Future M", "포스코퓨처엠"),
    "openai": ("OpenAI", "오픈AI"),
    "microsoft": ("Microsoft", "MS", "마이크로소프트"),
    "amazon": ("Amazon Web Services", "Amazon", "AWS", "아마존웹서비스", "아마존"),
    "google": ("Google", "Alphabet", "구글"),
    "nvidia": ("Nvidia", "엔비디아"),
    "intel": ("Intel", "인텔"),
    "tsmc": ("TSMC", "Taiwan Semiconductor"),
    "amd": ("AMD",),
    "micron": ("Micron Technology", "Micron", "마이크론"),
    "anthropic": ("Anthropic", "앤트로픽"),
    "oracle": ("Oracle", "오라클"),
    "tesla": ("Tesla", "테슬라"),
    "foxconn": ("Foxconn", "Hon Hai", "폭스콘"),
    "apple": ("Apple", "애플"),
    "meta": ("Meta", "메타"),
    "gm": ("General Motors", "GM"),
    "mercedes-benz": ("Mercedes-Benz", "Mercedes", "메르세데스벤츠", "벤츠"),
    "softbank": ("SoftBank", "소프트뱅크"),
    "qualcomm": ("Qualcomm", "퀄컴"),
    "broadcom": ("Broadcom", "브로드컴"),
}


class OrgMatcher:
    """Finds organisation aliases in normalised text and maps them to one key.

    One Aho–Corasick pass (pyahocorasick) finds the leftmost-longest aliases; Latin aliases
    must stand on word edges ("ms" in "terms" is no match), Hangul ones may carry particles."""

    def __init__(self, aliases: Mapping[str, Iterable[str]]) -> None:
        table: dict[str, str] = {}
        for key, names in aliases.items():
            for name in (key, *names):
                alias = " ".join(_norm(name).split())  # folded as extract() folds the text
                if alias:
                    table.setdefault(alias, _norm(key))
        self._table = table
        self._automaton: ahocorasick.Automaton | None = None
        if table:
            automaton = ahocorasick.Automaton()
            for alias, key in table.items():
                latin = re.search("[a-z0-9]", alias) is not None
                automaton.add_word(alias, (len(alias), key, latin))
            automaton.make_automaton()
            self._automaton = automaton

    def extract(self, text: str) -> tuple[str, set[str]]:
        """(text with the names blanked out, the organisations found)."""
        if self._automaton is None:
            return text, set()
        text = " ".join(text.split())
        found: set[str] = set()
        pieces: list[str] = []
        last = 0
        for end, (length, key, latin) in self._automaton.iter_long(text):
            start = end - length + 1
            if latin and ((start > 0 and _is_word(text[start - 1])) or
                          (end + 1 < len(text) and _is_word(text[end + 1]))):
                continue
            found.add(key)
            pieces.append(text[last:start])
            pieces.append(" ")
            last = end + 1
        if not found:
            return text, found
        pieces.append(text[last:])
        return "".join(pieces), found


def _is_word(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("0" <= ch <= "9")


@dataclass(frozen=True)
class Features:
    """What an item is compared by."""

    shingles: frozenset[str]
    title_shingles: frozenset[str]
    orgs: frozenset[str]
    title_orgs: frozenset[str]
    codes: frozenset[str]  # model/product codes with digits: hbm4, k9, gb300
    figures: frozenset[str]
    distinctive: frozenset[str]  # figures that are not bare years
    entities: frozenset[str]  # orgs | codes


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _ko_amounts(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1):
            eok = float(m.group(1)) * 10000 + (float(m.group(2).replace(",", "")) if m.group(2) else 0)
        else:
            eok = float(m.group(3).replace(",", ""))
        return f" {eok:g}억 "

    return _KO_AMOUNT.sub(sub, text)


def _figure(num: str, unit: str | None) -> str:
    value = num.lstrip("$").replace(",", "")
    unit = re.sub(r"[\s-]", "", (unit or "").lower())
    return value + _UNIT_ALIASES.get(unit, unit)


def _stem(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _analyse(text: str, lang: str, orgs: OrgMatcher) -> tuple[set[str], set[str], set[str], set[str]]:
    """(shingles, organisations, codes, figures) of one text."""
    text, found = orgs.extract(_norm(text))
    korean = lang == "ko"
    if korean and ("조" in text or "억" in text):
        text = _ko_amounts(text)
    shingles: set[str] = set()
    codes: set[str] = set()
    figures: set[str] = set()
    add = shingles.add
    for latin, num, unit, hangul in _TOKEN.findall(text):
        if latin:
            word = _stem(latin)
            if _HAS_DIGIT.search(word):
                codes.add(word)
            if korean or (word not in _EN_STOP and len(word) > 1):
                add(word)
        elif num:
            fig = _figure(num, unit or None)
            figures.add(fig)
            add("#" + fig)
        else:
            run = _strip_particle(hangul)
            if len(run) == 1:
                add(run)
            else:
                shingles.update([a + b for a, b in zip(run, run[1:])])
    return shingles, found, codes, figures


_HAS_DIGIT = re.compile(r"\d")
_PARTICLES_2 = ("으로", "에서", "에게")
_PARTICLES_1 = frozenset("와과이가은는을를의에로도만")


def _strip_particle(run: str) -> str:
    """A Hangul run without its trailing particle (the hot path of shingling: no regex)."""
    if run.endswith(_PARTICLES_2):
        stripped = run[:-2]
    elif run[-1] in _PARTICLES_1:
        stripped = run[:-1]
    else:
        return run
    return stripped or run  # a run that is only a particle stays as it is
_YEAR = re.compile(r"^(19|20)\d\d(년)?$")


def _distinctive(figures: frozenset[str]) -> frozenset[str]:
    """Figures minus bare years, which two different stories share all the time."""
    return frozenset(f for f in figures if not _YEAR.match(f))


_DEFAULT_MATCHER: OrgMatcher | None = None


def _default_matcher() -> OrgMatcher:
    global _DEFAULT_MATCHER
    if _DEFAULT_MATCHER is None:
        _DEFAULT_MATCHER = OrgMatcher(DEFAULT_ORG_ALIASES)
    return _DEFAULT_MATCHER


def features(title: str, summary: str, lang: str, orgs: OrgMatcher | None = None) -> Features:
    matcher = orgs or _default_matcher()
    t_sh, t_org, t_code, t_fig = _analyse(title, lang, matcher)
    # The lead carries the story; full-text feeds must not make assign slow.
    s_sh, s_org, s_code, s_fig = _analyse(summary[:SUMMARY_CHARS], lang, matcher)
    return Features(
        shingles=frozenset(t_sh | s_sh),
        title_shingles=frozenset(t_sh),
        orgs=frozenset(t_org | s_org),
        title_orgs=frozenset(t_org),
        codes=frozenset(t_code | s_code),
        figures=frozenset(t_fig | s_fig),
        distinctive=_distinctive(frozenset(t_fig | s_fig)),
        entities=frozenset(t_org | s_org | t_code | s_code),
    )


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    total = len(a) + len(b)
    return 2 * len(a & b) / total if total else 0.0


def feature_similarity(a: Features, b: Features, floor: float = 0.0) -> float:
    """0..1; see the module docstring for the signals and penalties.

    With ``floor`` set, may return early with any value below ``floor`` once
    the penalties alone prove the score cannot reach it (the clusterer's hot path).
    """
    factor = 1.0
    fig_a, fig_b = a.distinctive, b.distinctive
    figures_agree = bool(fig_a and fig_b and not fig_a.isdisjoint(fig_b))
    if fig_a and fig_b and not figures_agree:
        factor = FIGURE_MISMATCH  # same template, other numbers: Q1 vs Q2, 8-high vs 16-high
    # An organisation in one headline that the other item never mentions.
    missing = len((a.title_orgs - b.orgs) | (b.title_orgs - a.orgs))
    if missing:
        factor *= ORG_MISMATCH ** min(missing, 2)
    if factor * (1.0 + FIGURE_BONUS) < floor:
        return 0.0
    text = 0.5 * _dice(a.shingles, b.shingles) + 0.5 * _dice(a.title_shingles, b.title_shingles)
    ent = _dice(a.entities, b.entities) if a.entities and b.entities else text
    score = TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * ent
    if figures_agree:
        score += FIGURE_BONUS * _dice(fig_a, fig_b)
    return min(score * factor, 1.0)


def similarity(a_title: str, a_summary: str, b_title: str, b_summary: str, lang: str) -> float:
    """How alike two items' texts are (0..1), for tests and threshold tuning."""
    return feature_similarity(features(a_title, a_summary, lang), features(b_title, b_summary, lang))


def _sketch(shingles: frozenset[str], k: int = SKETCH_K) -> list[int]:
    """Bottom-k MinHash: the k smallest shingle hashes (crc32: stable across runs)."""
    return sorted(zlib.crc32(s.encode("utf-8")) for s in shingles)[:k]


def index_keys(feats: Features, lang: str) -> list[tuple]:
    """Buckets an item lives in: each pair of organisations it names (a
    partnership story names both parties, whoever rewrote it), plus a bottom-k
    sketch of its headline words, codes and figures for stories without two
    known organisations."""
    keys: list[tuple] = []
    orgs = sorted(feats.orgs)[:MAX_ORGS_FOR_KEYS]
    keys += [("p", lang, a, b) for i, a in enumerate(orgs) for b in orgs[i + 1:]]
    head = feats.title_shingles | feats.codes | frozenset("#" + f for f in feats.figures)
    keys += [("s", lang, h) for h in _sketch(head)]
    return keys


@dataclass
class _Indexed:
    item_id: str
    story_id: str
    lang: str
    published: datetime
    features: Features


class StoryClusterer:
    """Assigns each item to a story; replaying the same items in order gives the same ids."""

    def __init__(self, window: timedelta = timedelta(days=3),
                 threshold: float = DEFAULT_THRESHOLD,
                 org_aliases: Mapping[str, Iterable[str]] | None = None) -> None:
        self.window = window
        self.threshold = threshold
        self._orgs = OrgMatcher(org_aliases) if org_aliases is not None else _default_matcher()
        self._story_of: dict[str, str] = {}
        self._items: dict[str, _Indexed] = {}
        self._buckets: dict[tuple, deque[str]] = defaultdict(
            lambda: deque(maxlen=BUCKET_CAP))
        self._latest: datetime | None = None
        self._since_prune = 0

    def assign(self, item_id: str, title: str, summary: str, lang: str,
               published: datetime) -> str:
        """The story_id for this item (its own item_id when it starts a story)."""
        known = self._story_of.get(item_id)
        if known is not None:
            return known
        feats = features(title, summary, lang, self._orgs)
        keys = index_keys(feats, lang)
        best_id, best_score = None, self.threshold
        seen: set[str] = set()
        for key in keys:
            for other_id in self._buckets.get(key, ()):
                if other_id in seen:
                    continue
                seen.add(other_id)
                other = self._items.get(other_id)
                if other is None or abs(other.published - published) > self.window:
                    continue
                score = feature_similarity(feats, other.features, best_score)
                # Ties go to the earlier-indexed item: deterministic under replay.
                if score > best_score or (score == best_score and best_id is None):
                    best_id, best_score = other.story_id, score
        story_id = best_id or item_id
        self._story_of[item_id] = story_id
        self._items[item_id] = _Indexed(item_id, story_id, lang, published, feats)
        for key in keys:
            self._buckets[key].append(item_id)
        self._maybe_prune(published)
        return story_id

    def story_of(self, item_id: str) -> str | None:
        return self._story_of.get(item_id)

    def story_count(self) -> int:
        return len(set(self._story_of.values()))

    def _maybe_prune(self, published: datetime) -> None:
        """Forget features of items too old to match anything that still arrives."""
        if self._latest is None or published > self._latest:
            self._latest = published
        self._since_prune += 1
        if self._since_prune < 1000:
            return
        self._since_prune = 0
        horizon = self._latest - 2 * self.window
        for old in [i for i, x in self._items.items() if x.published < horizon]:
            del self._items[old]

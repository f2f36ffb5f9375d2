"""The catalog of organisations PactWatch follows, and lookup of user-typed names.

An Entity has a canonical name (the one events carry), aliases in Korean and English, and the
people who stand for it (a chairman or CEO named in a story acts for the company).  The default
catalog is the one in the labelling guidelines; a deployment may add entities or extend the
aliases of existing ones through ``Catalog(extra=...)``.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Entity:
    """One organisation of the catalog."""

    name: str
    """Canonical name, e.g. "SK hynix"."""
    aliases: tuple[str, ...] = ()
    """Other names it goes by, Korean or English."""
    people: tuple[str, ...] = ()
    """People who stand for it, e.g. "젠슨 황", "Jensen Huang"."""


def _e(name: str, aliases: Iterable[str] = (), people: Iterable[str] = ()) -> Entity:
    return Entity(name, tuple(aliases), tuple(people))


DEFAULT_ENTITIES: tuple[Entity, ...] = (
    _e("SK Group", ("SK그룹", "SK", "에스케이그룹", "SK Group", "SK그룹사"),
       ("최태원", "Chey Tae-won", "Chey Tae-woon", "Chey")),
    _e("SK hynix", ("SK하이닉스", "하이닉스", "SK Hynix", "SK hynix Inc.", "SK Hynix Inc.", "Hynix",
                    "에스케이하이닉스", "SK하이닉스㈜"),
       ("곽노정", "Kwak Noh-jung", "Kwak Noh-Jung")),
    _e("SK Telecom", ("SK텔레콤", "SKT", "에스케이텔레콤", "SK Telecom Co.", "SK Telecom"),
       ("유영상", "Ryu Young-sang", "Ryu Young-Sang")),
    _e("SK Inc.", ("SK㈜", "SK주식회사", "SK Inc", "SK Inc.", "SK(주)", "에스케이㈜")),
    _e("SK On", ("SK온", "SK On", "에스케이온")),
    _e("SK Innovation", ("SK이노베이션", "SK Innovation", "에스케이이노베이션")),
    _e("SK Square", ("SK스퀘어", "SK Square", "에스케이스퀘어")),
    _e("Samsung Electronics", ("삼성전자", "Samsung", "Samsung Electronics", "삼성", "Samsung Electronics Co."),
       ("이재용", "Lee Jae-yong", "Jay Y. Lee", "Lee Jae-Yong")),
    _e("LG Electronics", ("LG전자", "LG Electronics", "엘지전자"), ("조주완", "William Cho", "Cho Joo-wan")),
    _e("LG Energy Solution", ("LG에너지솔루션", "LGES", "LG Energy Solution", "LG엔솔", "엘지에너지솔루션")),
    _e("LG Uplus", ("LG유플러스", "LGU+", "LG U+", "LG Uplus", "LG U plus", "엘지유플러스")),
    _e("KT", ("케이티", "KT Corp", "KT Corporation"), ("김영섭", "Kim Young-shub")),
    _e("Naver", ("네이버", "NAVER", "Naver Corp", "네이버클라우드", "네이버 클라우드", "Naver Cloud"), ("최수연", "Choi Soo-yeon")),
    _e("Kakao", ("카카오", "Kakao Corp"), ("정신아", "Chung Shin-a")),
    _e("Hyundai Motor", ("현대차", "현대자동차", "Hyundai Motor Company", "Hyundai Motor", "Hyundai",
                         "Hyundai Motor Co.", "현대차그룹", "현대자동차그룹", "Hyundai Motor Group"), ("정의선", "Chung Eui-sun")),
    _e("OpenAI", ("오픈AI", "오픈에이아이", "Open AI", "ChatGPT maker", "ChatGPT developer", "ChatGPT creator",
                  "챗GPT 개발사"), ("샘 올트먼", "샘 알트먼", "올트먼", "알트먼", "Sam Altman", "Altman")),
    _e("Microsoft", ("마이크로소프트", "MS", "MSFT", "Azure", "애저", "Windows maker"), ("사티아 나델라", "나델라", "Satya Nadella", "Nadella")),
    _e("Amazon", ("아마존", "AWS", "Amazon Web Services", "아마존웹서비스", "아마존 웹 서비스", "Amazon.com"),
       ("앤디 재시", "Andy Jassy", "Jassy")),
    _e("Google", ("구글", "Alphabet", "알파벳", "Google Cloud", "구글 클라우드", "구글클라우드", "Google DeepMind",
                  "구글 딥마인드"),
       ("순다르 피차이", "피차이", "Sundar Pichai", "Pichai")),
    _e("Meta", ("메타", "Facebook", "페이스북", "Meta Platforms", "메타플랫폼스"),
       ("마크 저커버그", "저커버그", "Mark Zuckerberg", "Zuckerberg")),
    _e("Apple", ("애플", "iPhone maker", "아이폰 제조사"), ("팀 쿡", "Tim Cook")),
    _e("Nvidia", ("엔비디아", "NVIDIA", "Nvidia Corp"), ("젠슨 황", "Jensen Huang", "황젠슨")),
    _e("Intel", ("인텔",), ("팻 겔싱어", "겔싱어", "Pat Gelsinger", "Gelsinger", "립부 탄", "Lip-Bu Tan")),
    _e("TSMC", ("대만 TSMC", "Taiwan Semiconductor", "Taiwan Semiconductor Manufacturing",
                "Taiwan Semiconductor Manufacturing Co", "TSMC"),
       ("웨이저자", "C.C. Wei", "C.C. 웨이", "C. C. Wei", "웨이 회장")),
    _e("AMD", ("Advanced Micro Devices",), ("리사 수", "Lisa Su")),
    _e("Qualcomm", ("퀄컴",), ("크리스티아노 아몬", "Cristiano Amon")),
    _e("Broadcom", ("브로드컴",), ("혹 탄", "Hock Tan")),
    _e("Arm", ("ARM", "암", "Arm Holdings", "Arm Ltd", "ARM홀딩스", "암홀딩스"), ("르네 하스", "Rene Haas")),
    _e("SoftBank", ("소프트뱅크", "Softbank", "SoftBank Group", "소프트뱅크그룹", "SoftBank Corp"),
       ("손정의", "Masayoshi Son", "마사요시 손")),
    _e("Anthropic", ("앤트로픽", "앤스로픽", "Claude maker", "Claude developer"), ("다리오 아모데이", "Dario Amodei", "Amodei")),
    _e("Perplexity", ("퍼플렉시티", "Perplexity AI"), ("아라빈드 스리니바스", "Aravind Srinivas")),
    _e("Lambda", ("람다", "Lambda Labs", "람다랩스"), ()),
    _e("Micron", ("마이크론", "Micron Technology", "마이크론테크놀로지")),
    _e("ASML", ("에이에스엠엘",)),
    _e("Oracle", ("오라클",), ("래리 엘리슨", "Larry Ellison")),
    _e("IBM", ("아이비엠",)),
    _e("Tesla", ("테슬라",)),
    _e("Deutsche Telekom", ("도이치텔레콤", "도이체텔레콤", "Deutsche Telekom AG")),
    _e("Singtel", ("싱텔", "SingTel")),
    _e("Foxconn", ("폭스콘", "Hon Hai", "홍하이", "Hon Hai Precision")),
    _e("Supermicro", ("슈퍼마이크로", "Super Micro", "Super Micro Computer", "SuperMicro")),
    _e("Dell", ("델", "Dell Technologies", "델 테크놀로지스", "델테크놀로지스"), ("마이클 델", "Michael Dell")),
)


# Korean particles (조사) and light suffixes that may follow a name: "엔비디아와의", "TSMC가", "SK하이닉스향".
PARTICLE_ATOMS: frozenset[str] = frozenset(
    "은 는 이 가 을 를 와 과 의 에 도 로 으로 게 서 께 한테 부터 까지 만 보다 처럼 하고 랑 이랑 나 이나 측 향 등 들 "
    "엔 다 였 었 라는 이라는 란 이란 로서 로써 마저 조차 뿐 대로 간 과도 와도 에선 인 이며 며 고 께서 만큼".split()
)
_MAX_ATOM = max(len(a) for a in PARTICLE_ATOMS)


def is_particle_run(run: str) -> bool:
    """True if a run of Hangul can be read as a chain of particles ("" counts)."""
    n = len(run)
    if n == 0:
        return True
    if n > 8:
        return False
    ok = [False] * (n + 1)
    ok[0] = True
    for i in range(n):
        if not ok[i]:
            continue
        for j in range(i + 1, min(n, i + _MAX_ATOM) + 1):
            if run[i:j] in PARTICLE_ATOMS:
                ok[j] = True
    return ok[n]


def is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e"


_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_HANGUL_TAIL = re.compile(r"[\uac00-\ud7a3]+$")


def normalize_key(text: str) -> str:
    """Case-, width- and space-insensitive key for a name: "SK Hynix" -> "skhynix"."""
    t = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in t if ch.isalnum() or ch in "+&")


class Catalog:
    """The organisations to follow, with alias lookup for user input."""

    def __init__(self, entities: Iterable[Entity] = DEFAULT_ENTITIES, extra: Iterable[Entity] = ()):
        merged: dict[str, Entity] = {}
        order: list[str] = []
        for ent in list(entities) + list(extra):
            key = ent.name
            if key in merged:
                old = merged[key]
                aliases = old.aliases + tuple(a for a in ent.aliases if a not in old.aliases)
                people = old.people + tuple(p for p in ent.people if p not in old.people)
                merged[key] = Entity(key, aliases, people)
            else:
                merged[key] = Entity(ent.name, tuple(ent.aliases), tuple(ent.people))
                order.append(key)
        self.entities: tuple[Entity, ...] = tuple(merged[k] for k in order)
        self.names: list[str] = list(order)
        self._by_name = merged
        self._keys: dict[str, str] = {}
        for ent in self.entities:
            for surface in (ent.name, *ent.aliases, *ent.people):
                k = normalize_key(surface)
                if k and k not in self._keys:
                    self._keys[k] = ent.name

    def __iter__(self):
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, name: str) -> Entity | None:
        """The entity with exactly this canonical name."""
        return self._by_name.get(name)

    def surfaces(self) -> list[tuple[str, Entity, bool]]:
        """Every (surface form, entity, is_person) to match in text."""
        out = []
        for ent in self.entities:
            out.append((ent.name, ent, False))
            out.extend((a, ent, False) for a in ent.aliases)
            out.extend((p, ent, True) for p in ent.people)
        return out

    def resolve(self, text: str) -> Entity | None:
        """Map a user-typed name ("하이닉스", "sk hynix", "엔비디아와", "NVIDIA's", "젠슨 황") to its entity."""
        if not text or not text.strip():
            return None
        t = unicodedata.normalize("NFKC", text).strip()
        t = _POSSESSIVE.sub("", t)
        hit = self._keys.get(normalize_key(t))
        if hit:
            return self._by_name[hit]
        # strip a trailing chain of Korean particles, shortest strip first
        m = _HANGUL_TAIL.search(t)
        if m:
            run = m.group(0)
            for cut in range(1, len(run) + 1):
                if is_particle_run(run[len(run) - cut:]):
                    hit = self._keys.get(normalize_key(t[: len(t) - cut]))
                    if hit:
                        return self._by_name[hit]
        return None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Canonical names close to an unknown name, best first ("did you mean")."""
        key = normalize_key(_POSSESSIVE.sub("", text.strip()))
        if not key or limit <= 0:
            return []
        scored: dict[str, float] = {}
        for alias_key, name in self._keys.items():
            ratio = difflib.SequenceMatcher(None, key, alias_key).ratio()
            if len(key) >= 2 and (key in alias_key or alias_key in key):
                ratio = max(ratio, 0.6 + 0.4 * min(len(key), len(alias_key)) / max(len(key), len(alias_key)))
            if ratio >= 0.5 and ratio > scored.get(name, 0.0):
                scored[name] = ratio
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1], self.names.index(kv[0])))
        return [name for name, _ in ranked[:limit]]

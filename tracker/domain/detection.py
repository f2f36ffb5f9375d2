"""Partnership detection in Korean and English news items: pure, deterministic, rule based.

Pipeline for one item (title + summary):

1. One Aho-Corasick pass over the lower-cased text finds catalog names, people, known outside
   organisations, trigger words (one per kind) and cue words (speculation, competition, lawsuits,
   "still talking", plural references like "양사"/"the two companies").  Every hit is checked
   (word boundaries, case of ambiguous English names, Korean particles after a name, context for
   very short Korean aliases) and overlapping hits keep the longest.
2. The text is cut into sentences and clauses.  Names next to each other are merged (company and
   its CEO) or coordinated ("A·B", "A와 B", "A, B and C") into groups; a group's role comes from
   Korean particles (은/는/이/가 subject, 와/과/에/에게/로부터/을/를 partner, 의 genitive) or, in
   English, from its position around the trigger and a preceding preposition.
3. Each surviving trigger pairs its subject group with its partner groups (a joint subject with
   no partner pairs internally), under the kind of the trigger.
4. Item level: denial/termination wins for a pair, a signed stage suppresses talks, a joint
   venture absorbs the investment/contract that set it up, vague "partnered" words only count
   when nothing more specific was said about the pair.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from tracker.domain.catalog import DEFAULT_ENTITIES, Catalog, is_particle_run as _is_particle_run

# a pure function of a short Hangul run (a name's particles): memoised, bounded
is_particle_run = lru_cache(maxsize=8192)(_is_particle_run)

KINDS = ("talks", "mou", "agreement", "supply", "investment", "joint_venture", "ended")
SIGNED = frozenset({"mou", "agreement", "supply", "investment", "joint_venture"})
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True)
class Detection:
    """One partnership event found in an item."""

    parties: tuple[str, str]
    """Canonical names of the two parties, sorted."""
    kind: str
    """One of KINDS."""
    confidence: float
    """In [0, 1]."""
    evidence: str
    """The sentence or clause that justifies it."""


# --------------------------------------------------------------------------------------------
# Lexicon.  English patterns are lower-case and matched at a word start; a trailing "*" allows
# any word ending, otherwise the word must end there.  Korean patterns match anywhere.

# (pattern, kind, generic)  generic: vague "joined hands" words that only count when nothing
# more specific is said about the pair.
_KIND_WORDS: dict[str, list[str]] = {
    "talks": [
        "회동", "만나", "만났", "만남", "만난", "면담", "회담", "접견", "논의", "협의", "협상", "모색", "타진",
        "협력 방안", "협력방안", "협력을 강화", "협력 강화", "협력 확대", "협력을 확대", "협력을 넓히", "협력을 이어",
        "협력하기로", "협력키로",
        "talks", "talk", "in talks", "met", "meet", "meets", "meeting", "meetings", "discuss*", "negotiat*",
        "explore", "explores", "exploring", "cooperat*", "co-operat*", "considering", "weighs", "weighing",
        "mulls", "mulling", "nears", "nearing", "approached", "approaches", "approaching", "courts", "courted",
        "courting", "woos", "wooed", "wooing",
        "sounded out", "sounding out", "sounds out", "sits down with", "sat down with", "sit down with",
        "sitting down with",
    ],
    "mou": [
        "양해각서", "업무협약", "의향서", "mou", "mous", "loi", "memorandum*", "letter of intent",
        "letters of intent",
    ],
    "agreement": [
        "계약", "본계약", "파트너십", "제휴", "라이선스", "라이센스",
        "agreement*", "partnership*", "partner with", "partners with", "partnered", "partnering",
        "licens*", "contract", "contracts",
    ],
    "supply": [
        "공급", "납품", "수주", "공급받", "위탁생산", "수탁생산", "주문", "구매", "퀄 테스트", "퀄테스트",
        "품질 테스트", "퀄리피케이션", "공급사", "공급 계약", "공급계약", "납품 계약", "위탁생산 계약", "파운드리 계약",
        "구매 계약", "판매 계약", "이용 계약", "사용 계약", "인도했", "인도한", "인도하기로", "인도키로", "임대", "렌털", "임차", "빌리는", "빌리기로", "빌린다", "빌려 쓰",
        "생산을 맡", "생산 맡",
        "supply", "supplies", "supplied", "supplying", "supplier", "suppliers", "ship", "ships", "shipped",
        "furnish", "furnishes", "furnished", "furnishing",
        "shipping", "shipment*", "deliver*", "order", "orders", "ordered", "purchase*", "procure*",
        "qualification*", "qualif*", "supply deal", "supply contract", "supply agreement", "foundry contract",
        "cloud deal", "cloud deals", "cloud contract", "cloud contracts", "cloud computing contract", "cloud computing deal", "computing contract", "computing contracts",
        "cloud services deal", "cloud services contract", "cloud services agreement", "computing deal", "compute deal",
        "compute contract", "클라우드 계약", "클라우드 공급", "클라우드 이용 계약",
        "foundry deal", "chip deal", "chip deals", "chip order", "chip orders",
        "memory deal", "hbm deal", "hbm contract", "hbm order", "hbm orders", "gpu deal", "gpu order", "gpu orders",
        "고객으로 유치", "고객사로 유치", "고객으로 확보", "고객사로 확보", "고객사로 맞", "고객으로 맞",
        "as a customer", "as customer", "as its customer", "as a client", "as a foundry customer",
        "as foundry customer", "as its foundry customer", "primary cloud provider", "preferred cloud provider",
        "main cloud provider", "primary cloud partner", "customers include", "customers included", "customers including",
        "clients include", "clients included", "clients including", "customers such as", "clients such as",
        "vendor", "vendors", "certification", "certifications", "certified", "rent", "rents", "renting", "rented", "lease", "leases", "leasing", "leased",
        "제공", "provide", "provides", "provided", "providing",
        # a foundry making a customer's chips supplies that customer
        "manufacture", "manufactures", "manufactured", "fabricate", "fabricates", "fabricated",
    ],
    "investment": [
        "투자", "지분", "인수", "출자", "베팅", "투자 계약", "인수합병", "펀딩", "투자 유치", "보통주", "우선주",
        "invest*", "stake", "stakes", "acquir*", "acquisition*", "takeover*", "buyout", "backed by", "backing",
        "funding", "fundrais*", "financing", "funding round", "bet on", "bets on", "betting on", "pour", "pours",
        "poured", "pouring", "round led by", "merger", "investment deal", "round that included", "round that includes",
        "round including", "investors including", "backers including", "investors such as", "backers such as",
        "participating investors", "backers include", "investors include", "backers included", "warrant for", "warrants for", "warrant to buy", "warrants to buy",
        "warrant to acquire", "신주인수권", "joined the round", "join round", "joins round", "join the round",
        "joins the round", "joining the round", "among the participants", "among participants", "added to their existing stakes", "added to their stakes",
        "added to its stake", "added to its existing stake", "참여했", "참여한", "참여해", "참여를", "참여",
        "taken money", "took money", "take money", "takes money", "taking money", "raised money",
        "share purchase", "share purchases", "stock purchase", "stock purchases", "among its backers",
        "among its investors", "among its shareholders", "among its biggest backers", "among its largest shareholders",
    ],
    "joint_venture": [
        "합작법인", "합작 법인", "합작사", "합작회사", "합작 회사", "합작", "조인트벤처", "조인트 벤처", "jv",
        "joint venture*", "joint-venture*", "joint company", "joint firm", "합작 계약", "forming a new company",
        "form a new company", "formed a new company", "forms a new company", "set up a new company",
        "setting up a new company", "new joint entity", "jointly owned company", "jointly-owned company",
        "jointly owned venture", "jointly owned entity", "50-50 venture", "50-50 company",
    ],
    "ended": [
        "종료", "중단", "결별", "해지", "파기", "철회", "취소", "부인", "사실무근", "사실이 아니", "무산", "접기로", "접었",
        "백지화", "한 바 없", "한 적 없", "한 적이 없", "한 사실이 없", "은 바 없", "은 적 없", "은 적이 없", "손을 떼", "손을 뗀", "손을 뗐", "발을 빼", "발을 뺀", "발을 뺐",
        "terminat*", "cancel*", "withdr*", "revoked", "revokes", "revoking", "cut off", "cuts off", "pull out", "pulls out", "pulled out", "pulling out", "walked away",
        "walks away", "walk away", "walking away", "collapse", "collapses", "collapsed", "fell apart", "falls apart",
        "fall apart", "backed away", "backs away", "back away", "backing away",
        "cools on", "cooled on", "rules out", "ruled out", "ruling out", "한 사실 없", "한 사실은 없", "deni*", "deny", "scrap*", "called off", "calls off",
        "call off", "no longer", "halt*", "suspend*", "abandon*", "untrue", "ended its", "ends its", "end its",
        "ended the", "ends the", "ended their", "ends their", "end their", "ending their", "ending its", "drops pursuit", "dropped pursuit", "drops bid", "dropped its bid", "drops plan*",
        "dropped plan*", "parted ways", "part ways", "broke up", "breaks up", "exits", "exited", "ends talks",
        "ended talks", "end talks", "ends discussions", "ended discussions", "broke off", "breaks off", "break off", "broken off", "breaking off",
        "end exclusiv*", "ends exclusiv*", "ended exclusiv*", "ending exclusiv*", "dissolv*", "unwind*", "unwound",
        "severs", "severed", "sever ties", "cut ties", "cuts ties", "cutting ties", "split with", "splits with",
        "결렬", "불발", "갈라서", "갈라섰", "해체", "관계를 끊", "손절", "일축", "선 그", "선을 그",
        "reject*", "rebuff*", "spurn*", "drops interest", "dropped interest", "drops its interest", "dropped its interest", "rebut*", "refute*",
        "dismisses", "dismissed", "dismissing", "shoots down", "shot down", "shelve*", "pulls the plug", "pulled the plug",
        "pull the plug", "pulling the plug", "pulls plug", "pulled plug",
    ],
}
# concrete joint acts ("jointly develop"): weaker than a signed document, but a deal of its own
# next to an investment
_JOINT_ACT_WORDS = ["합작품", "공동 개발", "공동개발", "함께 개발", "공동 출시", "공동출시", "함께 출시", "공동으로", "공동 연구", "함께 선보",
                    "공동 구축", "함께 구축", "jointly", "co-develop*", "codevelop*", "joint development", "joint research",
                    "collaborat*", "joint offering", "joint solution", "joint solutions", "joint product", "joint products",
                    "co-engineer*", "co-design*", "co-branded", "co-creat*", "developed together", "developed jointly",
                    "built together", "built jointly", "co-built", "공동 솔루션", "공동 상품", "공동 브랜드"]
# adopting another company's product ("도입", "탑재", "deploy X's chips"): supply, but part of a licence or
# partnership deal when the pair has one (then no supply of its own).  English adoption verbs need the
# product in view: the partner in the genitive, after "from", or followed by a product word or "as".
_ADOPT_WORDS = ["도입", "탑재", "채택", "들여와", "들여온", "들여오", "생산하는", "사용하는", "사용한다", "사용하기로", "사용해", "생산한다", "생산하기로", "생산해", "생산할", "생산을 맡", "use", "uses", "using", "buy", "buys", "bought", "buying", "deploy*", "adopt*",
                "tap", "make", "makes", "making", "produce", "produces", "producing", "assemble", "assembles",
                "assembled", "assembling", "brought in", "brings in", "installed", "installs", "installing",
                "received", "receives", "reserved", "reserves", "reserving",
                "receiving", "takes delivery of", "took delivery of", "taking delivery of"]
_ADOPT_NEXT = re.compile(r"[^\S\n]*(?:[A-Z][\w-]*|chips?|gpus?|tpus?|cpus?|processors?|accelerators?|servers?|services?|models?|cloud|"
                         r"platform|memory|process|technology|as|compute|computing|capacity|infrastructure)\b")
_COMPONENT_LAST = ("on", "with", "by", "around", "upon", "the", "featuring",
                   "ON", "WITH", "BY", "AROUND", "UPON", "THE", "FEATURING")


def _component_tail(text: str, start: int) -> bool:
    """Cheap necessary condition for _COMPONENT_EN ending at start: whitespace right before, and the
    word before it one that the pattern can end on (the regex itself decides)."""
    if start == 0 or not text[start - 1].isspace():
        return False
    tail = text[max(0, start - 14):start].rstrip()
    return tail.endswith(_COMPONENT_LAST) or tail.lower().endswith(_COMPONENT_LAST)


_ADOPT_COMPONENT_KO = re.compile(r"(?:한|된)?\s")
_PRODUCT_KO = ("서버", "스마트폰", "노트북", "PC", "차량", "제품", "기기", "시스템", "장비", "칩", "랙", "슈퍼컴퓨터",
               "데이터센터", "AI 서버", "단말")
# a name right after these is a component of the product ("servers built on Nvidia's GPUs"), not a party
_COMPONENT_EN = re.compile(r"(?:built|based|running|runs|run|powered|equipped|designed|made|accelerated)\s+"
                           r"(?:on|with|by|around|upon)\s+(?:the\s+)?$|\bfeaturing\s+$", re.I)
_KO_AMOUNT_GAP = re.compile(r"\s*(?:(?:약|총|최대|연간)\s*)?(?:(?:[\d.,]+|수|수십|수백|수천)\s*[조억만천백]*\s*)*"
                            r"(?:원|달러|유로|엔)?(?:\s*(?:규모|어치|상당))?(?:의)?\s*"
                            r"(?:(?:다년|장기|대규모|신규|추가)\s*(?:간의|간|의)?\s*)?")
_KO_ADNOMINAL_VERB = re.compile(r"(?:하는|하기로 한|받는|받기로 한|할|한|는)\s")
_LISTING_KO = re.compile(r"\s*(?:등|같은|처럼)(?:[과와을를의에]|\s)")
_LISTING_NEXT = re.compile(r"\s*((?:[^\s,.]+\s+){0,3}?[^\s,.]*?)(은|는|이|가|도|과|와|을|를|의|에|에게)\s")
_PURPOSE_KO = re.compile(r"^[^,.]{0,8}(?:위한|위해)\s")

_GENERIC_WORDS = {
    "mou": ["협약", "협약식"],
    # generic agreement-ish words: count only when nothing more specific is said for the pair
    "agreement": ["맞손", "손잡", "손을 잡", "동맹", "협업", "합의", "deal", "deals", "alliance", "signed", "signs",
                  "sign", "inks", "inked", "ink", "struck", "strikes", "agreed to", "agrees to", "pact", "tie-up",
                  "ties up", "tied up", "partner", "partners",
                  "teams up", "team up", "teamed up", "teaming up", "join hands", "joins hands", "joined hands",
                  "joining hands", "join forces", "joins forces", "joined forces", "joining forces",
                  "taps", "tapped", "tapping", "picks", "picked", "selects", "selected", "chooses", "chose"],
    "talks": ["협력"],
    "investment": ["participat*", "led by", "took part", "take part", "takes part", "taking part", "put in", "puts in",
                   "chipped in", "injected", "자금을 넣", "자금을 투입"],
}
# cue words: (pattern, cue)
_CUE_WORDS: dict[str, list[str]] = {
    # Korean: kills a trigger shortly before it; English: kills triggers after it in the clause
    "spec": [
        "전망", "가능성", "관측", "예상", "수 있", "할 수도", "될 수도", "을 수도", "수도 있", "점쳐", "유력", "주목", "할지", "될지", "거론", "예측", "것으로 보",
        "할 것이", "될 것이", "할 것으로", "될 것으로", "추진설", "협력설", "제휴설", "협상설", "인수설", "투자설",
        "공급설", "합병설", "동맹설", "회동설", "결별설", "매각설", "가시화", "청신호", "파란불", "소문", "루머", "풍문", "기대감", "기대", "자신감", "근접", "임박", "막바지", "여부",
        "인지는", "할지는", "알려지지 않", "확인되지 않", "알려지지는 않", "확인되지는 않", "알려진 바 없", "정황", "할 것",
        "could", "may", "might", "expected to", "expects", "expect", "likely", "potential*", "possib*",
        "forecast*", "hopes to", "aims to", "would likely", "seen as", "seen winning", "seen landing", "seen in",
        "would see", "that would", "rushing to", "racing to", "scrambling to", "trying to", "striving to",
        "in a bid to", "attempting to", "pole position", "frontrunner", "front-runner", "favourite to", "favorite to", "reserved the right",
        "reserves the right",
        "seen securing", "seen getting", "tipped to", "poised to", "in the running", "sees", "tip", "tips",
        "pushing to", "pushes to", "working to", "works to", "looking to", "looks to",
        "contender", "contenders", "hopes of", "hope of",
    ],
    "neg": ["지 않", "지 못", "않았", "않기로", "못했", "rather than", "instead of", "not", "without", "hasn't", "haven't", "didn't", "doesn't", "won't",
            "isn't", "aren't", "wasn't", "never", "has yet to", "have yet to", "no plans", "no plan", "no intention",
            "no immediate plans", "no sign", "no indication", "no evidence", "no discussions", "no talks",
            "no negotiations", "neither", "declined to comment", "declines to comment", "declining to comment",
            "would not comment", "확인해 줄 수 없", "확인해줄 수 없", "언급을 피했", "없었", "없다", "없어", "없으며", "없고", "없지만", "없는 상태", "안 해", "안 한다", "안 했", "안 하",
            # ("연내 공급 어렵다", "진입하기 어려울 것"): hard to do is not done
            "어렵", "어려울", "어려워", "어려운 상황"],
    "spec_clause": ["analyst", "analysts", "speculat*", "rumor*", "rumour*", "chatter", "question on", "questions on",
                    "question about", "questions about", "asked about", "asked whether"],
    # a dispute between the parties: no deal in its clause (the licence fought over is not a new one);
    # an ending is still one ("terminated ... after a dispute")
    "dispute": ["분쟁", "dispute", "disputes", "litigation"],
    "comp": [
        "경쟁", "격돌", "수주전", "맞대결", "맞붙", "제치", "앞질", "추월", "추격", "라이벌", "각축", "점유율", "뒤를 이",
        "반격", "경쟁사", "신경전", "전쟁", "쟁탈", "확보전", "파전", "삼파전", "양강", "chase", "chases", "chasing", "deals against", "winning against", "wins against", "won against",
        "win against", "orders against", "contest", "contests", "vie for", "vies for", "edging past",
        "edged past", "edges past", "edge past", "surpass*", "outsold", "outship*",
        "compet*", "rival*", "race", "races", "racing", "square off", "squares off", "squared off", "overtak*",
        "ahead of", "head start", "challeng*", "versus", "vs", "outpac*", "outsell*", "market share",
        "lead over", "vie", "vies", "vying", "battle for", "fight for", "edge out", "showdown", "face off",
        "faces off", "face-off", "clash", "clashes", "duel", "head-to-head", "edges", "edged", "top spot", "tops",
        "topped", "beats", "surpass*", "outsold", "dethron*", "leapfrog*",
    ],
    "legal": [
        "소송", "제소", "고소", "특허 침해", "법적 공방", "과징금", "판결", "배심원", "공정위", "sue", "sues", "sued", "suing",
        "lawsuit*", "court", "verdict", "jury", "antitrust", "infring*", "legal action", "legal battle", "fined",
        "complaint", "complaints", "accuses", "accused", "accusing", "feud", "feuding", "judge", "new trial",
        "licensing case", "appeals court",
    ],
    # "still talking": turns a signed-stage trigger into talks
    "down": ["검토", "추진", "계획", "목표", "제안했", "제안한", "제안해", "제안을", "의사를 전달", "의향을 전달", "consider", "considers", "plans to", "plan to", "planned to", "planning to", "seeks to", "seeking to",
             "intends to", "intend to", "intending to", "close to a", "close to an", "closing in on"],
    # completion: stops "still talking" from reaching back over it
    "done": ["체결", "맺", "합의했", "완료", "마무리", "타결", "signed", "inked", "completed", "closed"],
    "plural": ["양사", "양측", "두 회사", "두 기업", "두 사람", "두 회장", "두 ceo", "the two companies", "both companies",
               "the two also", "the two will", "the two have", "the two had", "the two said", "the two signed",
               "the two agreed", "the two plan", "the two are", "the two were",
               "the two firms", "both firms", "the pair", "the two sides"],
    "joint3": ["3자", "삼자", "3사", "3각", "three-way", "trilateral", "three companies", "세 회사", "세 사람"],
    # words that contain trigger words but are not triggers
    "null": ["경쟁력", "공급망", "협력사", "투자자", "투자자들", "투자심리", "투자 심리", "투자의견", "투자 의견", "투자은행",
             "투자증권", "투자업계", "투자 업계", "투자주의", "투자경고", "투자 경고", "인수위", "인수인계", "공급과잉",
             "공급 과잉", "협의회", "협상력", "중단기", "전해지", "대외협력", "대외 협력", "협력실", "협력팀",
             "partner programme", "partner program", "partner programs", "partner programmes", "partner network",
             "partner ecosystem", "partner officer", "channel partner", "channel partners", "투자 부담", "투자부담",
             "투자 비용", "투자비", "투자 여력", "투자 재원", "최대주주", "최대 주주", "주주", "shareholder", "shareholders",
             "backer", "backers", "공급선", "supply chain", "supply chains", "investor",
             "investors", "investor day", "지분율", "공급망", "order book", "in order to", "ordered by", "trade deal",
             "deal with it", "discussed internally", "discussing internally", "internal discussions",
             "internally discussed", "technical talks", "tech talks", "give talks", "gave talks", "giving talks",
             "keynote talks", "conference talks", "delivering keynotes", "delivering keynote", "deliver keynotes", "deliver a keynote",
             "delivers a keynote", "delivered a keynote", "delivering a keynote", "deliver the keynote",
             "delivers the keynote", "delivered the keynote", "delivering the keynote", "deliver remarks",
             "delivered remarks", "deliver a speech", "delivered a speech", "delivering a speech", "투자 확대 전략", "투자 계획", "market value", "계약직", "may be", "meta-analysis",
             "round of", "지분 가치", "지분가치", "지분 평가", "보유 지분",
             # names that only look like a catalog organisation's
             "oracle of omaha", "dell'oro", "잠재적 고객", "잠재 고객", "잠재적 고객사", "잠재 고객사", "잠재적 파트너",
             "잠재 파트너",
             # supply as the market's ("in short supply", "demand outstrips supply", "공급 부족")
             "short supply", "outstrips supply", "outstrip supply", "outstripping supply", "supply and demand",
             "demand and supply", "supply shortage", "supply shortages", "supply constraints", "supply crunch",
             "tight supply", "supply glut", "공급 부족", "공급부족", "공급 과잉", "공급과잉", "수요와 공급"],
    # English definite references to an organisation named earlier ("take part in the round")
    "anaphor": ["the round", "the company", "the startup", "the ai startup", "the chipmaker",
                "the carrier", "the lab", "the firm", "the funding", "the fundraising", "the venture"],
}

# Organisations outside the catalog that often appear as the other side of a deal; they take
# the partner slot so that a catalog name further away is not paired by mistake.
_FOREIGN_ORGS = [
    "xAI", "GM", "General Motors", "제너럴모터스", "Ford", "포드", "Palantir", "팔란티어", "Purdue University",
    "퍼듀대학교", "퍼듀대", "SK E&S", "Ampere Computing", "Ampere", "Bear Robotics", "MGX", "Coatue", "Altimeter",
    "Thrive Capital", "e&", "이앤", "Stellantis", "스텔란티스", "Honda", "혼다", "Toyota", "도요타", "Mercedes-Benz",
    "BMW", "Volkswagen", "폭스바겐", "Rivian", "Cisco", "시스코", "HPE", "Hewlett Packard Enterprise", "CoreWeave",
    "코어위브", "Mistral", "미스트랄", "Cohere", "코히어", "xAI Holdings", "Baidu", "바이두", "Alibaba", "알리바바",
    "Tencent", "텐센트", "Huawei", "화웨이", "Sony", "소니", "Panasonic", "파나소닉", "Rapidus", "라피더스",
    "Kioxia", "키옥시아", "Western Digital", "Samsung SDI", "삼성SDI", "Samsung Biologics", "LG Display",
    "LG디스플레이", "LG화학", "LG Chem", "포스코", "POSCO", "한화", "Hanwha", "기아", "Kia", "현대모비스",
    "Hyundai Mobis", "SK Ecoplant", "SK에코플랜트", "SK스페셜티", "SK실트론", "SK Siltron", "SK네트웍스", "SK C&C",
    "SK브로드밴드", "SK Broadband", "SK바이오팜", "SK케미칼", "SK가스", "SK E&S", "블루오벌SK", "BlueOval SK",
    "HLI그린파워", "Ultium Cells", "얼티엄셀즈", "Commerce Department", "상무부", "정부", "government", "Figure AI",
    "Groq", "Cerebras", "Rebellions", "리벨리온", "퓨리오사", "FuriosaAI", "Skild", "Databricks", "Snowflake",
    "Salesforce", "ServiceNow", "SAP", "Siemens", "지멘스", "Schneider", "Vodafone", "보다폰", "NTT", "Verizon",
    "버라이즌", "AT&T", "T-Mobile", "e& Group", "Ericsson", "에릭슨", "Nokia", "노키아", "KT&G", "MSCI",
    "Applied Materials", "어플라이드머티어리얼즈", "Lam Research", "램리서치", "Tokyo Electron", "도쿄일렉트론",
    "Hanmi Semiconductor", "한미반도체", "Jeff Bezos", "제프 베이조스", "Elon Musk", "일론 머스크", "Musk", "머스크",
    "Arm-based", "AWS Lambda", "Waymo", "웨이모",
]

# Latin names that are also the first word of other companies' names ("SK Siltron", "Samsung SDI"):
# followed by another capitalised word not in this list, the name is not matched.
_FAMILY_PREFIX = {"sk", "samsung", "hyundai", "lg"}
_FAMILY_NEXT_OK = {
    "group", "chairman", "chair", "ceo", "president", "vice", "executive", "electronics", "galaxy", "foundry",
    "semiconductor", "corp", "co", "inc", "ltd", "holdings", "motor", "motors", "said", "says", "and", "on",
    "has", "is", "will", "to", "the", "in", "with",
}
# very short Korean aliases that are ordinary words too: they need a context word in the item
_NEEDS_CONTEXT = {
    "암": ("반도체", "칩", "설계", "아키텍처", "IP", "CPU", "코어", "팹리스", "라이선스", "소프트뱅크", "손정의", "영국",
          "ARM", "Arm"),
    "람다": ("GPU", "클라우드", "데이터센터", "AI", "엔비디아"),
    "델": ("서버", "PC", "AI", "엔비디아", "테크놀로지스", "컴퓨터", "노트북"),
}

_TITLE_WORDS = re.compile(
    r"[)\]'\"’”」』]*(?:\s*(?:최고경영자\(CEO\)|최고경영자|CEO|CTO|CFO|회장|부회장|사장|대표이사|대표|의장|창업자|창업주|총괄|"
    r"본사|측|그룹|코리아|한국법인))*"
)
_ROLE_BY_ATOM = {
    "은": "S", "는": "S", "이": "S", "가": "S", "도": "S", "께서": "S",
    "와": "P", "과": "P", "하고": "P", "랑": "P", "이랑": "P", "에": "P", "께": "P", "한테": "P", "로": "P",
    "으로": "P", "을": "P", "를": "P", "향": "P", "과도": "P", "와도": "P",
    "의": "G",
}
_ATOMS_BY_LEN = ("이랑", "하고", "께서", "으로", "과도", "와도")
_PREPS = {
    "with", "to", "from", "in", "into", "by", "for", "on", "of", "over", "between", "among", "alongside", "through",
    "via",
    "including", "join", "joining", "at", "about", "and", "than",
}
_COORD_GAPS = {"·", ",", "/", "&", "-", "–", "and", ", and", "and with", ", and with", "및", "、", "ㆍ", "・", "‧", "or",
               "as well as", "와", "과", "+", "and the", ", and the"}
_ABBREV = re.compile(r"(?:\b[A-Z]|\bCo|\bInc|\bCorp|\bLtd|\bMr|\bMs|\bDr|\bNo|\bvs|\bSt|\bJr|\bU\.S|\bU\.K)$")
_EN_CLAUSE = re.compile(
    r";\s|,\s(?=(?:as|while|giving|sending|making|adding|saying|which|who|according to|but|after|before|with|"
    r"where|when|though|although|helping|marking|following|amid|lifting|pushing|putting|raising|helped|driven|"
    r"boosted|fueled|fuelled|hurt|weighed|led|prompting|underscoring|highlighting|citing|noting|allowing|enabling|"
    r"letting|freeing|then|and\s+(?:is|are|was|were|has|have|had|will|would|also|then|later|instead|separately|"
    r"analysts|observers|experts|"
    r"plans|said|says))\b)"
    # (one lookahead for every cut at a space: the same matches as three alternatives, tried once)
    r"|\s(?=(?:on|after|amid)\s(?:a\s|the\s)?reports?\s|(?:as|while)\s(?!well\b|much\b|many\b|long\b|of\b|"
    # (not "add Intel as a foundry customer": a role, not a clause)
    r"(?:an?|its|their)\s+(?:[\w-]+\s+){0,2}(?:customer|client|supplier|partner|vendor)s?\b|"
    r"(?:[\w-]+\s+)?(?:customer|client)s?\b)|but\s|despite\s|(?:under|in|through) which\b|"
    # "met A in the morning and held a separate meeting with B": a second verb phrase
    r"and\s+(?:also\s+|then\s+|later\s+)?(?:held|holds|signed|signs|inked|inks|struck|strikes|met|meets|announced|announces|"
    r"agreed|agrees|separately)\b)"
)
def _is_plain_hangul(w: str) -> bool:
    return bool(w) and all("\uac00" <= c <= "\ud7a3" for c in w)


_KO_CONNECTIVE = re.compile(
    r"(?:하고|하며|했고|했으며|하여|해|되며|되고|됐고|됐으며|받아|받고|만나|만났고|맺고|맺으며|찾아|이며|이고|으며|"
    r"면서|지만|는데|았고|었고|였고|였으며|였다가|한데|하자|하자마자|이어|했는데)$"
)
_KO_CONNECTIVE_ENDS = tuple(_KO_CONNECTIVE.pattern[3:-2].split("|"))
assert all(_is_plain_hangul(w) for w in _KO_CONNECTIVE_ENDS)
# every character \s matches except the plain space (an explicit set: a fast scan)
_OTHER_SPACE = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_EN_CUT_AT = (";", ",", " as ", " while ", " but ", " under which", " in which", " through which", " and ", " despite ")
_EN_CUT_AT_REPORT = _EN_CUT_AT + (" on ", " after ", " amid ")


def _en_cuts(seg: str) -> list[int]:
    """The ends of the _EN_CLAUSE matches in seg.  Every match ends right after one whitespace
    character, so overlapping matches end at the same offset, and trying the pattern only where
    its first character can start a match (found by str.find) gives the same set of ends as
    finditer, much faster."""
    if _OTHER_SPACE.search(seg) is not None:
        return [m.end() for m in _EN_CLAUSE.finditer(seg)]
    ends = []
    match = _EN_CLAUSE.match
    find = seg.find
    for w in (_EN_CUT_AT_REPORT if " report" in seg else _EN_CUT_AT):
        p = find(w)
        while p >= 0:
            m = match(seg, p)
            if m is not None:
                ends.append(m.end())
            p = find(w, p + 1)
    return ends


_KO_NOT_CONNECTIVE = {"지난해", "올해", "작년해", "이해", "피해", "손해", "위해", "통해", "대해", "관해", "의해", "인해",
                      "향해", "해", "양해", "따라"}
# "-나"/"-까" end a question ("손잡나?"), but "만나"/"떠나" are plain verbs ("회장 만나")
_QUESTION_END = re.compile(r"(?:\?|？|(?<![만떠])나|(?<=[만떠]나)나|까|는가|을까|ㄹ까)\W*$")

_LATIN = re.compile(r"[A-Za-z0-9]")
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]*")
# characters that can start a _TITLE_WORDS match other than whitespace (closing quotes, title words)
_TITLE_FIRST = frozenset(")]'\"’”」』최회부사대의창총본측그코한C")
_CONTRACT_WORDS = frozenset({"계약", "contract", "contracts", "agreement", "agreements", "deal", "deals", "pact", "pacts", "agreed to",
                             "agrees to", "signed", "signs", "sign", "inked", "inks", "ink"})
# between a contract word and the deal it is for: "[contract] to supply", "[deal] to jointly invest in",
# "[agreement] worth $2 billion to supply"
_CONTRACT_TO = re.compile(r"(?:\s+(?:worth|valued at|of)\s+\S+(?:\s+(?:billion|million|trillion))?)?"
                          r"(?:\s+(?:last|this|next)\s+(?:week|month|year|quarter))?\s+(?:to\s+)?"
                          r"(?:[A-Za-z]+ly\s+)?(?:(?:set up|form|create|establish|launch|make|take)\s+(?:an?\s+|the\s+)?"
                          r"(?:new\s+)?(?:(?:up to\s+)?[$€£][\d.,]+\s*(?:billion|million|trillion|bn)?\s+)?)?")
# Korean adnominal verb forms that end a relative clause before a name, and look-alikes that do not
_ADNOMINAL_BEFORE = re.compile(r"[\uac00-\ud7a3](?:한|하는|된|되는|던|받은|받는|맺은|세운|만든) (?:[^\s,]+ ){0,2}$")
_PARTICLE_LAST = frozenset("은는이가을를에와과의로도만서")
_REL_STOP = re.compile(r"[,.…·\"'‘’“”]")
_NOT_ADNOMINAL = ("에는", "에서는", "와는", "과는", "로는", "으로는", "보다는", "까지는", "에게는", "한편", "이번", "이는", "는데", "은데")
_ASSET_EN = re.compile(r"\b(?:plants?|factory|factories|fabs?|facilit(?:y|ies)|sites?|campus|buildings?|units?|divisions?|"
                       r"business(?:es)?|assets|operations|production lines?|subsidiar(?:y|ies)|brand|patents?|"
                       r"headquarters|data cent(?:er|re)s?)\b", re.I)
_ASSET_KO = re.compile(r"공장|사업부|사업 부문|사업부문|사업을|사업 일부|설비|팹|자산|사옥|부지|생산라인|생산 라인|생산시설|생산 시설|"
                       r"시설|특허|데이터센터|법인을|법인 지분")
_JOINT_INVEST = re.compile(r"(?:공동|함께|공동으로|jointly|together|co-)\s*(?:[^\s]+\s+)?$", re.I)
# (not "buy Azure capacity from Microsoft": a preposition between them makes two mentions)
_MERGE_STOP = re.compile(r"[.;…]|\b(?:and|from|to|with|for|by|than|into|after|before|following|while|amid|as)\b|·")
_TO_BEFORE = re.compile(r"\bto (?:\w+ly )?$")
_TO_VERB = re.compile(r"\bto [a-z]+ ")
_FAMILY_NEXT = re.compile(r" ([A-Z][\w&]*)")
def _along_with(text: str, pos: int) -> bool:
    """"took part in the round, along with Coatue": who follows did the same, and is no counterparty."""
    return text[pos - 11:pos].lower() in ("along with ", "gether with")


def _all_within(groups: list["_Group"], names: list[str]) -> bool:
    """Every group names organisations, all among names."""
    for g in groups:
        if not g.names:
            return False
        for n in g.names:
            if n not in names:
                return False
    return True


def _has_to_verb(s: str) -> bool:
    return "to " in s and _TO_VERB.search(s) is not None


def _same_names(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The same set of organisations (names are tuples, almost always of one)."""
    if a == b:
        return True
    if len(a) == 1 and len(b) == 1:
        return False
    return set(a) == set(b)


# "provide"/"제공" is supply only with compute or a product as its object (not "provided details")
_PROVIDE_WORDS = frozenset({"제공", "provide", "provides", "provided", "providing"})
_PROVIDE_OBJ = re.compile(r"comput|capacity|cloud|gpus?\b|tpus?\b|chips?\b|servers?\b|infrastructure|hbm|memory|processors?\b|"
                          r"accelerators?\b|components?\b|parts\b|data cent|컴퓨팅|클라우드|GPU|TPU|칩|서버|인프라|HBM|메모리|반도체|연산|데이터센터|데이터 센터|전력", re.I)
# negotiations concluded: the deal, not talks ("공급 협상을 마무리", "협상 타결", "concluded talks")
_SUPPLY_VERBS_KO = frozenset({"공급", "납품"})
_KO_VERB_NEXT = frozenset("하한할해했합")
_KO_HEADLINE_END = frozenset(("", "\n", "…", ".", ",", "\"", "'", "”", "’", "|"))
_SUPPLY_VERBS_EN = frozenset({"supply", "supplies", "supplied", "supplying", "ship", "ships", "shipped", "shipping"})
_NEXT_WORD = re.compile(r"[\s-]+([A-Za-z]+)")
_DEAL_NOUNS = frozenset({"deal", "deals", "contract", "contracts", "agreement", "agreements", "pact", "pacts",
                         "partnership", "tie-up", "talks", "negotiations", "accord", "arrangement"})
_CONCLUDED_KO = re.compile(r"(?:을|를|이|가|은|는|도)?\s*(?:(?:모두|최종|최종적으로|사실상|성공적으로|이미)\s)?"
                           r"(?:마무리|타결|완료|끝내|끝냈|매듭)")
_CONCLUDED_EN = re.compile(r"\b(?:concluded?|concludes|concluding|completed?|completes|finali[sz]e[sd]?|wrapped up|wraps up)\s+"
                           r"(?:(?:the|its|their|his|her)\s+)?(?:[\w-]+\s+){0,2}$", re.I)
# what a memorandum is about, between the memorandum word and a deal word after it: "a letter of intent
# under which B would invest", "an MOU with B to supply", "memorandum on a $2 billion stake"
_NOT_CONCLUDED_KO = re.compile(r"[\uac00-\ud7a3]{0,3}\s?(?:지 않|지 못|못)|"
                               # still under way: "마무리하는 단계에 있다", "타결을 앞두고", "마무리하고 있다"
                               r"(?:하는|짓는|하고 있는|해 가는)?\s?(?:단계|수순|국면|막바지|작업)|(?:를|을)\s?앞두|하고 있")
# receivers of units of a supply told before: "... will each receive up to 50,000 (units)"
_RECEIVE_UNITS = re.compile(r"\s+(?:will|would|are to|is to|are set to|is set to)\s+(?:each\s+|also\s+)?(?:receive|get|take delivery of|take|buy|purchase)\s+"
                            r"(?:each\s+)?(?:up to\s+|about\s+|around\s+|roughly\s+|more than\s+|over\s+|some\s+)?\d[\d,.]*\b")
_KO_SERVICE_DESC = re.compile(r"[\uac00-\ud7a3]?는\s(?:[^\s,.]+\s)?[^\s,.]*(?:서비스|요금제)(?=[를을인이가는은\s'‘\"“(]|$)")
_JOINTLY_FOUND = re.compile(r"\bjointly\s+(?:establish|set up|form|create|launch|found)(?:s|ed|ing)?\s+(?:an?\s+|the\s+)?"
                            r"(?:new\s+)?(?:[\w-]+\s+){0,3}?(?:company|venture|entity|firm|corporation)\b", re.I)
_TRAIN_ON = re.compile(r"\b(?:train|trains|trained|training)\s+(?:(?:and|or)\s+(?:run|deploy|serve)\s+)?(?:[\w-]+\s+){0,4}?"
                       r"models?\s+(?:exclusively\s+|primarily\s+|mainly\s+|largely\s+)?on(?=\s)", re.I)
_SELLS_SHARES_TO = re.compile(r"\bsell(?:s|ing)?\s+(?:(?:about|up to|roughly)\s+)?(?:[$€£][\d.,]+\s*(?:billion|million|bn|m)?\s+"
                              r"(?:worth\s+)?of\s+)?(?:(?:its|new|newly issued|common|preferred)\s+)*(?:stock|shares)"
                              r"(?=\s+to\s)", re.I)
_DEAL_NOUN_AFTER = re.compile(r"[a-z]*\s+(?:[\w-]+\s+){0,2}?(?:deal|agreement|partnership|contract|talks|alliance|venture|"
                              r"joint|pact|tie-up|licen[cs]e|orders?|supply|investment|stake|merger|takeover|bid|offer)", re.I)
_REJECTED_DEAL = re.compile(r"[a-z]*\s+(?:(?:a|an|the|its|their|his|her|any|all|this|that|such)\s+)?(?:[\w$.,%'’-]+\s+){0,3}?"
                            r"(?:offers?|bids?|proposals?|deals?|reports?|takeovers?|mergers?|talks|approach(?:es)?|"
                            r"agreements?|claims?|speculation|rumou?rs?|suggestions?|overtures?|terms|plans?|"
                            r"contracts?|partnerships?|investments?|stakes?|acquisitions?)\b", re.I)
# supply told as a verb: names that do it together do it to someone else ("Kakao and KT to procure GPUs")
_SUPPLY_VERB = re.compile(r"(?:procur|purchas|buy|bought|suppl|ship|deliver|sell|sold|rent|leas|furnish|provid|order)\w*", re.I)
# talks that the names join, held by someone else ("규격 논의 참여", "in talks to take part")
_KO_JOIN_AFTER = re.compile(r"(?:에|에도|에는)?\s?참여")
_TALKS_TO_JOIN = re.compile(r"\s+(?:to|about)\s+(?:take part|join|participate|invest|back|buy into)\b")
# Korean things that end without being a partnership: "보조금 종료", "생산 중단", "서비스 종료" (what ended is
# no deal between the names that share it: "A·B, 보조금 종료에 실적 부진")
_KO_OTHER_ENDED = re.compile(r"(?:보조금|세액공제|지원|혜택|생산|가동|판매|서비스|영업|운영|사업|라인|공장|수출)(?:이|가|을|를|의)?\s?$")
_LIST_GAP_EN = re.compile(r"(?:\s+[A-Z][\w&.-]*)*(?:,\s+|\s+and\s+|,\s+and\s+|\s+&\s+)")
# outsiders who host a meeting or speak of several companies: "이재명 대통령이 ... 회장과 간담회"
_KO_OFFICIAL_SUBJECT = re.compile(r"(?:대통령|총리|부총리|장관|차관|위원장|의원|의원들|정부|시장|지사|청장|대사|실장|처장|국회|당국|"
                                  r"전문가들|애널리스트들|증권가|투자자들|방통위|공정위|금융위|금감원|과기정통부|산업부|기재부|"
                                  r"국토부|규제당국|법원|검찰|위원회|부처)(?:이|가|은|는|에서는|,)\s")
_DONE_DEAL = re.compile(r"\bsign(?:s|ed|ing)?\b|\binks?\b|\binked\b|\bagree[sd]?\b|\bstruck\b|\bstrikes?\b|체결|맺|합의", re.I)
_MARKET_TITLE = re.compile(r"주가|급등|급락|신고가|상한가|하한가|강세|약세|시황|코스피|코스닥|목표주가|목표가|관련주|수혜주|"
                           r"\bshares?\b|\bstocks?\b|\brall(?:y|ies|ied)\b|sell-?off|price target|\bupgrades?\b|"
                           r"\bdowngrades?\b|\banalysts?\b|증권가|애널리스트|브로커리지|\bbrokerages?\b|\bbrokers?\b|\btargets?\b", re.I)
# a Korean sentence's own topic or subject that is no catalog name ("자이스는", "증권가에서는", "대표는")
_KO_OTHER_TOPIC = re.compile(r"[\uac00-\ud7a3A-Za-z)](?:은|는|이|가)\s(?<!에는\s)(?<!날은\s)")
_KO_FORECAST_VERBS = ("전망했다", "전망된다", "전망이다", "내다봤다", "내다보고 있다", "예상했다", "예상된다", "관측했다",
                      "관측된다", "점쳤다", "예측했다", "보고 있다")
_KO_FORECAST_END = re.compile(r"(?:가능성|할 것|될 것|할 수|될 수)[^.]{0,30}(?:" + "|".join(_KO_FORECAST_VERBS) +
                              r")[.\s\"'”’]*$")
# a proposal or draft whose contents a sentence tells ("협상안에는", "제안서에 따르면")
_KO_PROPOSAL = re.compile(r"(?:협상|합의|계약|제안|논의)안(?:에는|에선|에서는|에|은|이)\s|제안서(?:에는|에)\s|"
                          r"(?:협상|논의) 테이블에(?:는)?\s")
_NOT_BEFORE_EN = re.compile(r"\b(?:not|n't|yet to|never|failed to)\s+(?:\w+\s+)?$", re.I)
_MOU_ABOUT = re.compile(r"(?:\s+of\s+understanding)?(?:\s*\([A-Za-z]+\))?\s+(?:with\s+(?:[^,.;\s]+\s+){1,4}?)?"
                        r"(?:on|for|to|about|regarding|covering|under which|in which|that)\s+"
                        r"(?:(?:[^,.;\s]|(?<=\d)[.,](?=\d))+\s+){0,7}?")
_FAILED_WIN_KO = re.compile(r"(?:수주|입찰|선정|납품|공급사 선정)(?:이|가|은|는|도)?\s?$")
# "A and B have agreed to pay the U.S. government": what each agreed to with someone else
_AGREED_TO_OTHER = re.compile(r"agree(?:s|d)?\s+to\s+(?:pay|give|hand|share|settle|comply|divest|sell|buy|spend|"
                              r"cut|lower|refund|limit|halt|stop|drop|accept|follow|abide)\b", re.I)
_KO_OTHER_PARTNER = re.compile(r"[A-Za-z0-9\uac00-\ud7a3)](?:와|과)(?:는|도)\s")
_THAT_BEFORE = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:that|which)\s+")
_UNDER_WHICH_AFTER = re.compile(r"\s+(?:under|in|through) which\s")
_CONTRACT_WORK = re.compile(r"[\s-]+(?:chip|manufactur|electronics|research|foundr|assembl|fab|mak|produc)", re.I)
_PRODUCT_EN = re.compile(r"\b(?:chips?|processors?|accelerators?|servers?|modems?|memory|displays?|batter(?:y|ies)|"
                         r"panels?|cells?|components?|parts|devices|phones|iPhones|racks?|GPUs?|CPUs?|silicon|"
                         r"wafers?|systems)\b")
_DENIAL_STARTS = ("사실무근", "사실이 아니", "부인", "deni", "deny", "Deni", "Deny", "untrue", "not true")
_HIRING = re.compile(r"영입|채용|인력|인재|이직|스카우트|빼가|\b(?:hir(?:e|es|ed|ing)|recruit\w*|poach\w*|defect\w*|"
                     r"exodus|researchers|engineers|talent|staff)\b")
# "삼성전자·SK하이닉스, 대학과 ... 협약": the partner is an institution outside the catalog
_KO_OUTSIDE_PARTNER_NOUN = re.compile(r"(?:대학|대학교|정부|지자체|기관|연구소|연구원|병원|은행|학교|공사|재단|협회|스타트업|"
                                      r"기업|업체|부처|당국|고객사|협력사)(?:들)?(?:와|과)\s")
# "A signed ..., days after B struck a deal": one event told after another, each with its own parties
_AFTER_EVENT = re.compile(r"\b(?:after|before|following|while|whereas|when)\s")
_EACH_AFTER = re.compile(r"\s+(?:(?:are|were|have|had|will|would)\s+)?each\b")
_ALLIANCE = re.compile(r"얼라이언스|동맹|컨소시엄|협의체|\b(?:alliance|consortium)\b", re.I)
_PUT_INTO = re.compile(r"\b(?:put|puts|putting|pumped|pumps|pumping)\s+(?:(?:about|roughly|nearly|more than|over|up to|"
                       r"another|an additional|a further)\s+)?\$[\d.,]+\s*(?:billion|million|bn|m)?\s+into\b")
_ARTICLES = frozenset({"the", "a", "an", "its", "their"})
_ROUND_ANAPHORS = frozenset({"the round", "the funding", "the fundraising"})
# a relative clause closed by a comma, then the main verb: ", which has backed X since 2019, also"
_RELATIVE_RESUMED = re.compile(r",\s(?:which|who)\s[^,;.]{3,120},\s(?:(?:also|then|later|has|have|had|will|would|"
                               r"on\s\w+|in\s\w+)\s){0,2}$")
# between a deal word and the memorandum it is the object of ("합작사 설립 MOU")
_MOU_OBJECT_GAP_KO = frozenset({"", "협력", "설립", "추진", "검토", "설립 추진", "설립 검토", "구축", "체결"})
# an organisation outside the catalog right after "[deal] with": it fills the partner slot
# (not across the end of the headline: "... joint venture\nOperators from Asia")
_WITH_AFTER = re.compile(r"(?:[^\S\n]+[^\s,.;]+){0,5}?[^\S\n]+(?:with|from)[^\S\n]+")
_CONTRACT_WITH_FOR = re.compile(r"\s+with\s+[^,.;]{1,40}?\s+(?:for|to)\s+(?:the\s+)?(?:[A-Za-z]+ly\s+)?")
_CAP_RUN = re.compile(r"[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*")
_NOT_ORG_CAP = frozenset({"The", "A", "An", "Its", "Their", "This", "That", "These", "Those", "His", "Her", "Our",
                          "Chinese", "Japanese", "Korean", "South", "American", "US", "U.S.", "EU", "European", "Taiwanese",
                          "French", "German", "British", "Indian", "Saudi", "UAE", "CEO", "Chairman", "Chief",
                          # ("supply batteries from August 2027": a date)
                          "January", "February", "March", "April", "May", "June", "July", "August", "September",
                          "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept",
                          "Sep", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                          "Saturday", "Sunday", "Q1", "Q2", "Q3", "Q4", "H1", "H2", "Next", "Last"})
_APPOSITIVE = re.compile(r"\s+(?:[a-z][\w-]*\s+){0,3}$")
# a descriptor between a preposition and a name ("with U.S. chipmaker Broadcom", "to AI startup
# Anthropic"): head nouns, and the modifiers allowed before them
_DESCRIPTOR_HEADS = frozenset({
    "chipmaker", "chipmakers", "maker", "giant", "startup", "start-up", "firm", "company", "group", "provider",
    "operator", "designer", "developer", "supplier", "carrier", "conglomerate", "rival", "unit", "powerhouse",
    "titan", "heavyweight", "manufacturer", "foundry", "lab", "laboratory", "platform", "major", "behemoth",
    "specialist", "telco", "retailer", "leader", "player", "vendor", "affiliate", "subsidiary", "peer",
    "rival", "competitor", "backer", "investor", "shareholder",
})
_DESCRIPTOR_BEFORE = re.compile(
    r"\b(with|to|from|into|by|for|between|alongside|and|of|in|on|over|at)\s+(?:the\s+)?"
    r"(?:(?:[a-z][\w-]*|U\.S\.|US|U\.K\.|AI|ChatGPT|GPU|HBM|(?:South\s+)?Korean|Taiwanese|Japanese|Chinese|American|"
    r"European|German|British|Dutch|French|Indian|Singaporean|Silicon\s+Valley|California-based|[A-Z][a-z]+-based)\s+){0,4}$")
_APPOSITIVE_EN = re.compile(r",\s+(?:(?:a|an|the|one of the|one of its|its|whose|which is)\s+[^,;()]{2,70}?|"
                            r"[A-Z][\w-]*(?:'s|’s)\s+[^,;()]{2,50}?),(?=\s)")
_SELECT_WORDS = frozenset({"taps", "tapped", "tapping", "picks", "picked", "selects", "selected", "chooses", "chose"})
_SELECTED_TO_SUPPLY = re.compile(
    r"\s+(?:(?i:[^,;.]{1,40}?\s+(?:as\s+(?:its\s+|their\s+|a\s+|an\s+|the\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:suppliers?|vendors?|providers?|foundry|source)\b|"
    r"for\s+(?:its\s+|their\s+|the\s+|a\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:chips?|gpus?|processors?|accelerators?|hbm\w*|memory|servers?|foundry|wafers?|\d+nm|batter(?:y|ies))\b))|"
    r"(?:[A-Z][\w.-]*\s+){0,2}?[A-Z][\w.-]*(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?"
    r"(?i:tpus?|gpus?|chips?|processors?|accelerators?|hbm\w*|memory|servers?)\b)")
_JOINT_SPLIT_KO = re.compile(r"공동 (?:[^\s,.…]+ ){1,3}?(?:개발|연구|구축|출시|개최|설계|기획|마케팅|운영)")
_DIVEST_BEFORE_EN = re.compile(r"\b(?:sells?|sold|selling|offload(?:s|ed|ing)?|dump(?:s|ed|ing)?|unload(?:s|ed|ing)?|"
                               r"divest(?:s|ed|ing)?|exits?|exited|exiting|cash(?:es|ed)? out)\b[^,;.]{0,30}$", re.I)
_DIVEST_AFTER_KO = re.compile(r"[을를]?\s?(?:전량\s?|일부\s?|모두\s?)?(?:매각|처분|정리|청산)")
# (not "엔비디아 등 기존 투자자들", "Nvidia and other investors": the name is one of the investors)
_INVESTOR_OF = re.compile(r"(?:의|'s|’s)\s(?!(?:등|및|and|or|among)\s)(?:[^\s,.]+\s){0,2}|"
                          # without a genitive only a rank or age between: "오픈AI 최대 투자자인 MS", not
                          # "Meta told investors"
                          r"\s(?:(?:주요|최대|핵심|초기|기존|대|largest|biggest|early|earliest|major|key|top|lead|"
                          r"leading|main|anchor|existing|strategic)\s){0,2}")
_ENDED_THEN_TALKS = re.compile(r"[a-z]*\s+(?:from\s+)?(?:the\s+|its\s+|their\s+|all\s+)?(?:[\w-]+\s+){0,2}")
_NOUN_BEFORE_TALKS = re.compile(r"(?:\s+(?!(?:that|which|after|before|following|and|or|to|in|with)\s)[\w-]+)?\s+")
_ENDS_BEFORE_TALKS = re.compile(r"\b(?:end(?:s|ed|ing)?|halt(?:s|ed|ing)?|suspend(?:s|ed|ing)?|drop(?:s|ped|ping)?|"
                                r"abandon(?:s|ed|ing)?|scrap(?:s|ped|ping)?|call(?:s|ed|ing)? off|terminat\w*|"
                                r"walk(?:s|ed|ing)? away from|pull(?:s|ed|ing)? out of|exit(?:s|ed|ing)?|quit(?:s|ting)?)"
                                r"\s+(?:the\s+|its\s+|their\s+|all\s+)?(?:[\w$.-]+\s+){0,3}$", re.I)
_GAPPED_AMOUNT = re.compile(r"\s+(?:up to |about |around |roughly |another |a further |as much as )?(?:US)?[$€£₩]\d")
_ADNOMINAL_PAST = ("맺은", "받은", "잡은", "얻은", "넣은", "밝힌", "넓힌", "이룬", "꾸린", "세운", "차린")
_BUY_WORDS = frozenset({"buy", "buys", "bought", "buying"})
_MAKE_WORDS = frozenset({"make", "makes", "making", "produce", "produces", "producing", "assemble", "assembles",
                         "assembled", "assembling"})
_BACKED_MARK = re.compile(r"-(?:backed|owned|funded|controlled)\b")
_DESCRIPTOR_GAP = re.compile(r"\s+(?:[A-Za-z][\w.-]*\s+){0,3}")
_OWNS_SHARE = re.compile(r"\b(?:owns|owned|holds|held|controls|controlled)\s+(?:a\s+|an\s+)?(?:roughly\s+|about\s+|around\s+|"
                         r"nearly\s+|almost\s+|more than\s+|some\s+|just over\s+|over\s+)?\d[\d.]*\s?(?:%|percent)")
_MONEY = re.compile(r"[$€£₩]\s?\d|\b(?:dollars|euros|yen|won)\b")
_DIRECT_OBJECT_ONLY = frozenset({"courts", "courted", "courting", "woos", "wooed", "wooing",
                                 # ("betting on Gemini features to win buyers from Apple": a figure of speech)
                                 "bet on", "bets on", "betting on"})
_LED_ROUND = re.compile(r"\b(?:led|leads|leading|co-led|headed|anchored)\b")
_SAID_AFTER = re.compile(r"\s+(?:said|says|told|added|announced|confirmed|stated)\b")
_KO_ALIAS_GAP = re.compile(r",\s*[\uac00-\ud7a3A-Za-z0-9]{1,10}\(")
# "독일 도이치텔레콤, 싱가포르 싱텔과": a country named before each listed company
_KO_COUNTRY_GAP = re.compile(r",\s*(?:미국|독일|일본|중국|대만|싱가포르|아랍에미리트|프랑스|영국|네덜란드|인도|캐나다|"
                             r"사우디|사우디아라비아|이스라엘|스위스|스웨덴|핀란드|호주|베트남|인도네시아|국내)\s")
_SEPARATELY = re.compile(r"각각|각자|별도|따로|respectively|separate|each\b", re.I)
_KO_NEG_ON_TALKS = re.compile(r"\s?(?:[을를은는도이가]\s?|에도\s|에\s)?(?:참여하|진행하|하|중이)?(?:고\s?있)?\s?")
_KO_DECIDED = re.compile(r"(?:하|받|해)?기로\s?(?:했|합의했|결정했)")
_WHICH_AFTER = re.compile(r"(?:'s|’s)?\s*,\s*(?:which|who)\s")
_MONEY_NEXT = re.compile(r"\s+(?:an?\s+|another\s+|a further\s+|about\s+|roughly\s+|nearly\s+|more than\s+|over\s+)?"
                         r"(?:US)?[$€£₩]\s?\d")
_DESCRIPTOR_SUBJECT = re.compile(r"\s+(?:[\w-]+\s+){0,2}(?:startup|start-up|company|firm|maker|developer|chipmaker|lab|"
                                 r"giant|group|provider|designer|operator)\b")
_ENDS_WORD = re.compile(r"\b(?:end|halt|suspend|drop|abandon|scrap|call|terminat|walk|pull|exit|quit)", re.I)
_PARTICIPLE = re.compile(r"[a-z]+ing\b")
_TITLE_COMMA_VERB = re.compile(r",\s(?=[a-z])")
_UPPER = re.compile(r"[A-Z]")
_SHARES_NEXT = re.compile(r"[^.;,]{0,60}?\b(?:stock|shares|equity|stake)\b")
_VERB_BEFORE_ADJUNCT = re.compile(
    r"\b(?:signs?|signed|inks?|inked|wins?|won|lands?|landed|takes?|took|taking|buys?|bought|drops?|dropped|ends?|"
    r"ended|seals?|sealed|strikes?|struck|clinches?|clinched|secures?|secured|announces?|announced|scraps?|"
    r"scrapped|cancels?|cancell?ed|eyes|eyeing|mulls|weighs|boosts?|raises?|sells?|sold|in)\s+"
    r"(?:a\s+|an\s+|its\s+|the\s+|new\s+|fresh\s+)?$", re.I)
_STOCK_AFTER = re.compile(r"(?:'s|’s)?\s+(?:[a-z]+\s+){0,2}(?:stock|shares|equity)\b")
_JV_WORDS = re.compile(r"합작|조인트|venture|joint company|\bJV\b", re.I)
_PARENT_OF_KO = re.compile(r"(?:의\s?|\s)(?:[^\s,.]+\s){0,3}(?:자회사|계열사|손자회사|산하)(?:인)?\s")
_PARENT_OF_EN = re.compile(r"(?:'s|’s)\s+(?:[a-z][\w-]*\s+){0,2}(?:unit|subsidiary|affiliate)\s+(?=[A-Z])")
_COUNTERPARTY = re.compile(r"(?:계약\s?)?(?:상대방?|상대\s?기업|고객사|고객|납품처|공급처)(?:은|는|이|가)\s|"
                           r"\b(?:the\s+)?(?:customer|buyer|counterparty|client)\s+(?:is|was|was identified as|is understood to be)\s")
# (not "투입": money committed to a project or partnership is spent, not a stake)
_KO_PUT_IN = re.compile(r"(?:(?<=원)|(?<=러)|(?<=엔)|(?<=유로))(?:를|을)?\s?(?:추가로\s|추가\s)?넣")
_KO_RAISED = re.compile(r"(?:(?<=원)|(?<=러)|(?<=엔)|(?<=유로))(?:를|을)?\s?(?:추가로\s|추가\s)?유치")
_NEGOTIATION_WORDS = frozenset({"논의", "협의", "협상", "talks", "in talks", "talk", "discuss", "negotiat"})
_PLANNED_AFTER = re.compile(r"(?:하는|할|하기|을|를|이|가)\s")
_UNDER_WHICH = re.compile(r"\s+(?:under|in|through) which\s+[^,;.]{0,45}?\s")
_SELL_HINT = re.compile(r"(?i)sel|sold|offload|dump|unload|divest|exit|cash")
_KILLING_CUES = frozenset({"comp", "spec_clause", "neg", "spec", "dispute"})
_HE_CLAUSE = re.compile(r",\s+(?:where\s+|when\s+|and\s+|as\s+)?(?:he|she)\b")
# "D램을 공급하는 내용의 의향서", "투자에 관한 양해각서": what the memorandum is about
_CONTENT_KO = re.compile(r"(?:\s?협력)?(?:하는|할|받는|하기로 하는)?\s?(?:내용의|내용을 담은|에 관한|에 대한|관련)\s")
# a party's own statement: "..., the company said", "...라고 밝혔다"
_SPEECH = re.compile(r"\b(?:said|says|told|tells|stated|added)\b|밝혔|말했|라고|다고|설명했|강조했|일축|[\"“”「」]")
_ARTICLE_BEFORE = re.compile(r"\b(in|with|to|from|into|by|for|of|on|at)\s+(?:the|a|an|its|their)\s+"
                             r"(?:[a-z][\w-]*\s+){0,2}$")
_WITH_DESCRIPTION = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:with|from|to|in)\s+the\s+(?:[A-Za-z][\w-]*\s+){0,3}"
                               r"(?:carrier|company|firm|startup|start-up|chipmaker|maker|group|giant|developer|"
                               r"provider|operator|lab)\b")
_RAISED = re.compile(r"투자(?:를)?\s?유치|펀딩|\b(?:raised|raises|raising|closed|closes|secured|secures|lands|landed)\b"
                     r"[^.;]{0,60}?\b(?:funding|round|financing|[Ss]eries [A-H])\b|\bfunding round\b")
_ROUND_WORDS = re.compile(r"라운드|투자|참여|펀딩|round|funding|investors?\b")
_ROUND_KO = re.compile(r"라운드|투자|펀딩|출자")
_ANOTHER_DEAL = re.compile(r"\b(?:separate(?:ly)?|another|second|also|additional|as well as|licens\w*|partnership)\b", re.I)
_ING_WORD = re.compile(r"[A-Za-z]+ing\b")
# the words of a kind, to tell whether an ended event is about a deal of that kind
_OTHER_DEAL_WORDS = {
    "joint_venture": _JV_WORDS,
    "supply": re.compile(r"공급|납품|수주|주문|suppl|deliver|order|ship|purchas|cloud|foundry|파운드리|클라우드", re.I),
    "investment": re.compile(r"투자|지분|인수|출자|invest|stake|acquir|shares|funding|round", re.I),
    "agreement": re.compile(r"제휴|협력|계약|협약|동맹|partner|agreement|deal|contract|allian|licen[cs]e|pact|tie-up", re.I),
}
_ENDED_OR_DISPUTED = re.compile(r"종료|중단|결별|해지|파기|철회|취소|부인|무산|백지화|공방|소송|분쟁|terminat|cancel|withdr|"
                                r"drop|\bend|halt|pull|walk|scrap|abandon|revok|cut off|sever|exit|quit|lawsuit|\bsu(?:e|ed|ing)\b|"
                                r"dispute|legal|reject|den(?:y|ies|ied)|rumou?r|report|보도|사실무근|사실이 아니", re.I)
_THIS_ROUND_KO = re.compile(r"(?:이번|해당|이)\s?(?:투자\s?)?(?:라운드|투자|펀딩)(?:에도|에는|에)\s?(?:함께\s|공동\s)?$")
# ("B, C와 공동 개발한": the act is done jointly by all of them)
_TOGETHER = re.compile(r"함께|(?<=[와과]\s)공동|together with|jointly with", re.I)
_INVESTOR_NOUNS = ("투자자", "investor", "shareholder", "backer", "최대주주", "최대 주주", "주주")
_AHEAD_OF_RIVAL = re.compile(r"\s+(?:[A-Z]|rivals?\b|competitors?\b|peers?\b)")
# amounts and quantities count no words between a verb and its partner ("supply more than 260,000 of its
# GPUs to the government and to A")
_AMOUNT = re.compile(r"\d")
# "the company" opening a Korean sentence: the subject of the sentences before
_COMPANY_ANAPHOR_KO = re.compile(r"\s*(?:이\s)?(회사|동사)(?=는\s|가\s|\s측은\s)")
_ANAPHOR_LEADS = r"In return|As part of the (?:deal|agreement|pact)|Separately|Meanwhile|Earlier|Last year|In turn"
_ANAPHOR_LEAD = re.compile(r"(?:" + _ANAPHOR_LEADS + r"), the ")
# "The GPU cloud provider also signed ...": an English sentence opening with a descriptor of its subject
_COMPANY_ANAPHOR_EN = re.compile(r"\s*(?:(?:" + _ANAPHOR_LEADS + r"),\s+the|The)\s+(?:[\w-]+\s+){0,3}?(company|firm|startup|start-up|provider|chipmaker|"
                                 r"carrier|operator|lab|maker|giant|developer|manufacturer|designer|conglomerate|"
                                 r"automaker|supplier)(?:\s+(?=[a-z])|(?=,\s(?:whose|which|who)\s))")
# what may come before an English sentence's subject: nothing, a dateline, an adverb or two
_EN_SUBJECT_LEAD = re.compile(r"(?:[A-Z][A-Z ,.-]{2,40}\s[-–—]\s)?(?:(?:On|In|Last|This)\s+\w+,?\s+)?")
# a Korean headline's topic that is no catalog name ("美, 삼성전자·SK하이닉스 中공장 지위 철회"): the names
# after it are what the topic acts on, not a pair acting together
_OTHER_TOPIC_KO = re.compile(r"(?:^|\n)(?!속보|단독|종합)[^\s,·\n]{1,8},\s*$")
_PLURAL_DEALS = frozenset({"deals", "contracts", "agreements", "pacts", "partnerships", "orders", "investments",
                           "letters", "memorandums", "memoranda", "mous", "lois", "tie-ups", "alliances"})
_TITLE_COMMA_NAME_VERB = re.compile(
    r",\s(?=[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*){0,2}\s(?:adds|trims|signs|inks|buys|sells|cuts|raises|takes|wins|"
    r"lands|drops|ends|joins|invests|acquires|partners|teams|taps|picks|seeks|eyes|nears|launches|unveils|files|"
    r"sues|gets|boosts|doubles|halts|scraps|exits|seals|strikes|clinches|secures|backs|pours)\s)")
_BOTH_BEFORE = re.compile(r"\b(with|to|from|into|by|for|between|in|of|on|at)\s+(?:both|either)\s+$")
# what a descriptive reference can point to among the shipped catalog's organisations
_DEFAULT_NAMES = frozenset(e.name for e in DEFAULT_ENTITIES)
_ANAPHOR_KINDS = {
    "the startup": {"OpenAI", "Anthropic", "Perplexity", "Lambda"},
    "the start-up": {"OpenAI", "Anthropic", "Perplexity", "Lambda"},
    "the ai startup": {"OpenAI", "Anthropic", "Perplexity", "Lambda"},
    "the ai start-up": {"OpenAI", "Anthropic", "Perplexity", "Lambda"},
    "the lab": {"OpenAI", "Anthropic"},
    "the chipmaker": {"SK hynix", "Samsung Electronics", "Intel", "TSMC", "Nvidia", "AMD", "Qualcomm", "Broadcom",
                      "Micron", "Arm"},
    "the carrier": {"SK Telecom", "KT", "LG Uplus", "Deutsche Telekom", "Singtel"},
}
# "이재용 삼성전자 회장과 최태원 SK그룹 회장이": a name, perhaps a title, then "and"
_KO_AND_TAIL = re.compile(r"(?:\s?(?:회장|부회장|사장|대표(?:이사)?|CEO|의장|창업자|최고경영자(?:\(CEO\))?))?(?:와|과|및|하고)")
# "재활용 기업에 공동 투자": co-investors in a company of someone else's (no pair between them)
# (with an amount between: "스타트업에 5000만달러 공동 투자")
_THIRD_COMPANY_KO = re.compile(r"(?:기업|업체|회사|스타트업|社)에\s?(?:[\d,.]+\s?(?:조|억|천만|백만|만)?\s?(?:원|달러|유로|엔)(?:를|을)?\s)?"
                               r"(?:공동|함께)?\s?$")
_INVESTOR_IN = re.compile(r"s?\s+in\s+")
# what a joint venture will do: "a joint venture (with SoftBank) to manufacture ..."
_JV_PURPOSE = re.compile(r"(?:\s+with\s+[^,.;]{1,40}?)?\s+(?:to|that will|which will|that would|which would)\s+"
                         r"(?:[a-z]+\s+)?")
_KO_SIGNED_BEFORE = re.compile(r"(?:맺은|체결한|서명한|맺었던|체결했던)\s(?:[^\s,]+\s){0,3}$")
_KO_RECALLED = re.compile(r"(?:출자한|세운|설립한|만든|설립된|세워진|꾸린|차린|출범한)\s$")
_TALKS_TO = re.compile(r"\s+(?:with\s+[^,;.]{1,40}?\s+)?(?:to|about|on|over)\s")
_CONTRAST_EN = ("instead of ", "rather than ", "Instead of ", "Rather than ")
_UNDER_DEAL = re.compile(r"\bunder\s+(?:(?:an?|the|its|their)\s+)?(?:[\w$.,-]+\s+){0,3}$", re.I)


_SENT_END = re.compile(r"[.!?。](?=[ \n])")


@lru_cache(maxsize=4096)
def _case_rule(alias: str) -> int:
    """0: no case rule (Korean); 1: must match exactly (short all-caps); 2: must start upper-case; 3: none."""
    if not _LATIN.search(alias):
        return 0
    letters = [c for c in alias if c.isalpha() and c.isascii()]
    if letters and alias.upper() == alias and len(letters) <= 5:
        return 1
    if alias[0].isupper():
        return 2
    return 3


_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
_KO_TOKEN = re.compile(r"(\S+)\s")
_TRAILING_NON_HANGUL = re.compile(r"[^\uac00-\ud7a3]+$")
# a whitespace-delimited token (as _KO_TOKEN) whose last Hangul syllable is one a clause cut in
# _clauses can end on: the comma-cut syllables and the last syllables of _KO_CONNECTIVE
_KO_CUT_CANDIDATE = re.compile(r"(?<!\S)(\S*[가고나데만며서아어여자해혀면져][^\uac00-\ud7a3\s]*)\s")
_TITLE_CUTS = re.compile(r"…|\.\.\.|\||;|\s[-–—]\s|:")
_VERBISH = re.compile(r"\s+(?:will|would|is|are|was|were|has|have|had|said|says|plans?|also|can|could|may|might|"
                      r"signed|agreed|to|and|announced|unveiled|launched|joined|took|takes|invested|invests)\b")


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def _is_word_char(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ("0" <= ch <= "9") or _is_hangul(ch)


def _is_latin_char(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ("0" <= ch <= "9")


def _hit_order(h: "_Hit") -> tuple[int, int]:
    return (h.start, h.start - h.end)


_EXPAND_EN = re.compile(r"\b(?:expand|deepen|broaden|extend|strengthen|widen|enhance|renew)[a-z]*\b[^.;,]{0,30}$", re.I)
_EXPAND_KO = re.compile(r"^[^.,…]{0,4}(?:확대|강화|확장|심화|넓히|넓혀|연장|격상)")
_PARTNERSHIP_WORDS = frozenset({"partnership", "파트너십", "제휴", "partner with", "partners with", "partnering"})


def _expanded(t: "_Trigger", text: str) -> bool:
    """A partnership word that names an existing tie being widened ("expand their partnership",
    "파트너십 확대")."""
    if text[t.start:t.end].lower() not in _PARTNERSHIP_WORDS:
        return False
    return bool(_EXPAND_EN.search(text, max(0, t.start - 45), t.start)) or \
        bool(_EXPAND_KO.match(text[t.end:t.end + 12]))


_ATOMS2 = frozenset(_ATOMS_BY_LEN)
assert all(len(a) == 2 for a in _ATOMS2)


def _first_atom(run: str) -> str:
    a = run[:2]
    return a if a in _ATOMS2 else run[:1]


class _Hit(NamedTuple):
    """One lexicon hit.  A tuple, in the order the scan sorts raw hits by (start, then longest
    first), so that kept raw tuples become hits without copying field by field."""

    start: int
    neg_len: int        # start - end
    end: int
    typ: str            # "ent", "foreign", "kind", "cue"
    value: str          # entity name / kind / cue name
    generic: bool | str = False
    person: bool = False


@dataclass(slots=True)
class _Mention:
    start: int
    end: int            # end of the name itself
    tail_end: int       # end including title words and particles
    names: tuple[str, ...]   # entity names (empty for an outside organisation)
    role: str = "U"     # S, P, G, U
    prep: str = ""      # English: preceding word
    genitive: bool = False
    ci: int = 0         # index of the clause holding start


class _Group:
    """Coordinated mentions ("A·B", "A and B") acting together.  start/end/names/foreign are plain
    attributes, refreshed by finish() once the members are complete."""

    __slots__ = ("members", "role", "start", "end", "names", "foreign", "ci", "listing")

    def __init__(self, members: list[_Mention], role: str = "U"):
        self.members = members
        self.role = role
        self.listing = False
        m = members[0]
        self.start = m.start
        self.ci = m.ci
        if len(members) == 1:
            self.end = m.tail_end
            self.names = list(m.names)
            self.foreign = not m.names
        else:
            self.finish()

    def finish(self) -> "_Group":
        members = self.members
        self.start = members[0].start
        self.end = members[-1].tail_end
        if len(members) == 1:
            names = list(members[0].names)
        else:
            names = []
            for m in members:
                for n in m.names:
                    if n not in names:
                        names.append(n)
        self.names = names
        self.foreign = not names
        return self


@dataclass(slots=True)
class _Trigger:
    start: int
    end: int
    kind: str
    generic: bool | str   # False: specific; "joint": a concrete joint act; True: vague
    base: str
    confidence: float = 0.9
    prefix: bool = False
    ci: int = 0         # index of the clause holding start
    head: "_Group | None" = None   # Korean: the name its adnominal verb modifies (see _relative_head)


class Detector:
    """Finds partnership events in news items.  Build once, call detect() many times."""

    version = "rules-8"

    def __init__(self, catalog: Catalog | None = None):
        self.catalog = catalog or Catalog()
        self._auto = ahocorasick.Automaton()
        table: dict[str, list[tuple]] = {}

        def add(pattern: str, payload: tuple) -> None:
            key = pattern.lower()
            table.setdefault(key, []).append(payload)

        for surface, ent, is_person in self.catalog.surfaces():
            if surface.strip():
                add(surface.strip(), ("ent", ent.name, is_person, surface.strip()))
        for ent in self.catalog.entities:
            for person in ent.people:
                surname = ""
                if " " in person and _is_hangul(person[-1]):
                    surname = person.split()[-1]
                elif len(person) == 3 and all(_is_hangul(c) for c in person):
                    surname = person[0]
                if surname:
                    for title_word in ("회장", "부회장", "사장", "대표", "CEO", "의장", "창업자"):
                        add(f"{surname} {title_word}", ("coref", ent.name, True, person))
        for org in _FOREIGN_ORGS:
            add(org, ("foreign", "", False, org))
        for kind, words in _KIND_WORDS.items():
            for w in words:
                add(w.rstrip("*"), ("kind", kind, w.endswith("*"), False))
        for kind, words in _GENERIC_WORDS.items():
            for w in words:
                add(w.rstrip("*"), ("kind", kind, w.endswith("*"), True))
        for w in _JOINT_ACT_WORDS:
            add(w.rstrip("*"), ("kind", "agreement", w.endswith("*"), "joint"))
        for w in _ADOPT_WORDS:
            add(w.rstrip("*"), ("kind", "supply", w.endswith("*"), "adopt"))
        for cue, words in _CUE_WORDS.items():
            for w in words:
                add(w.rstrip("*"), ("cue", cue, w.endswith("*"), False))
        for key, payloads in table.items():
            first = key[0]
            if payloads[0][0] == "ent":
                # a catalog name that is also a "surname + title" form: the name is enough
                payloads = [p for p in payloads if p[0] != "coref"]
            if payloads[0][0] == "coref":
                mode = 0
            elif ("a" <= first <= "z") or first == "-":
                mode = 1        # English word: must start at a word boundary
            elif _is_latin_char(first):
                mode = 2        # digit-led: no Latin letter on either side
            else:
                mode = 3
            parsed = []
            for p in payloads:
                typ = p[0]
                if typ in ("ent", "foreign"):
                    alias = p[3]
                    last = alias[-1]
                    rule = _case_rule(alias)
                    parsed.append((typ, p[1], p[2], alias, rule,
                                   bool(rule) and alias.lower() in _FAMILY_PREFIX,
                                   _NEEDS_CONTEXT.get(alias) if typ == "ent" else None,
                                   _is_latin_char(last) or last == "+", _is_hangul(last)))
                else:
                    parsed.append(p)
            # the hit's (typ, value, generic, person) when the first payload is a trigger or cue word
            first_p = parsed[0]
            if first_p[0] == "kind":
                tail = ("kind", first_p[1], first_p[3], first_p[2])
            elif first_p[0] == "cue":
                tail = ("cue", first_p[1], False, False)
            else:
                tail = None
            if mode == 3 and tail is not None:
                mode = 4        # a Korean (or symbol-led) trigger or cue word: no checks at all
            self._auto.add_word(key, (len(key), mode, tuple(parsed), tail))
        self._auto.make_automaton()

    # ----------------------------------------------------------------------------------------
    def detect(self, title: str, summary: str, lang: str | None = None,
               published: str | None = None) -> list[Detection]:
        """Partnership events asserted by one news item, sorted by parties and kind."""
        title = (title or "").strip()
        summary = (summary or "").strip()
        text = title + "\n" + summary if summary else title
        if not text:
            return []
        hits = self._scan(text)
        if not hits:
            return []
        if "공동 " in text:
            hits = self._split_joint_acts(text, hits)
        sentences = self._sentences(text, len(title))
        if "회사" in summary or "동사" in summary or ". The " in summary or summary.startswith("The ") or (
                ", the " in summary and _ANAPHOR_LEAD.search(summary)):
            hits = self._company_anaphors(text, hits, sentences)
        found: dict[tuple[tuple[str, str], str], tuple[float, str, bool]] = {}
        state = {"last_pair": None, "backed": "-" in text and _BACKED_MARK.search(text) is not None}
        if summary:
            state["title_names"] = [h[4] for h in hits if h[3] == "ent" and h[0] < len(title)]
        starts = [h.start for h in hits]
        hi = 0
        for s_start, s_end, is_title in sentences:
            hi = bisect_left(starts, s_start, hi)
            j = bisect_left(starts, s_end, hi)
            self._sentence(text, s_start, s_end, hits[hi:j], is_title, found, state)
            hi = j
        for key in state.get("jv_part", set()) - state.get("jv_free", set()):
            if (key[0], "joint_venture") in found:
                found.pop(key, None)
        if summary and any("SK Group" in pair for pair, _ in found) and not any(
                h[3] == "ent" and h[4] == "SK Group" and h[0] < len(title) and text[h[0]:h[2]] != "SK" for h in hits):
            # (only a headline's bare "SK")
            self._sk_in_title(found, title, state.get("told", ()))
        if summary and ("각각" in summary or " each " in summary or "respectively" in summary):
            self._separate_in_summary(text, title, hits, sentences, found)
        lonely = state.get("lonely")
        if lonely is not None:
            self._counterparty(text, hits, lonely, found)
            if "supply" in lonely[1]:
                self._receivers(text, hits, sentences, lonely[0], found)
        for pair in state.get("bare", set()) - state.get("firm", set()):
            # a contract or deal named without what it is for, next to a supply deal of the pair
            # ("lands Microsoft contract" / "a contract to supply Microsoft"): that supply deal (a new
            # contract next to a stake is a deal of its own)
            if (pair, "agreement") in found and any(
                    (pair, k) in found and found[(pair, k)][2] in (0, 3) for k in ("supply",)):
                del found[(pair, "agreement")]
        for pair in state.get("planned_joint", ()):
            # a joint act the title states as done but the summary as a plan is a plan
            v = found.get((pair, "agreement"))
            if v is not None and v[2] == 1 and v[1] == title:
                del found[(pair, "agreement")]
                if (pair, "talks") not in found or found[(pair, "talks")][2] != 0:
                    found[(pair, "talks")] = (0.75, v[1], 0)
        out = self._aggregate(found)
        if out and max(d.confidence for d in out) < 0.8 and _MARKET_TITLE.search(title) and \
                not _DONE_DEAL.search(text):
            # a market or analyst story (shares, target prices, rallies) whose every event is weakly
            # told: on unseen sets such items were all false alarms, those with real deals say them firmly
            return []
        return out

    # ----------------------------------------------------------------------------------------
    def _scan(self, text: str) -> list[_Hit]:
        low = text.lower()
        if len(low) != len(text):
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        # raw hits as tuples (start, start - end, end, typ, value, generic, person): sorted natively,
        # objects only for the ones kept
        raw: list[tuple] = []
        append = raw.append
        n = len(text)
        for end_idx, (length, mode, payloads, tail) in self._auto.iter(low):
            start = end_idx - length + 1
            if mode == 4:
                append((start, -length, end_idx + 1) + tail)
                continue
            end = end_idx + 1
            prev = text[start - 1] if start > 0 else " "
            nxt = text[end] if end < n else " "
            prev_word = prev in _ASCII_WORD or "\uac00" <= prev <= "\ud7a3"
            if mode == 0:
                if prev_word:
                    continue
                best, best_pos = None, -1
                for p in payloads:
                    pos = text.rfind(p[3], 0, start)
                    if pos > best_pos:
                        best, best_pos = p, pos
                if best is not None:
                    append((start, start - end, end, "ent", best[1], False, True))
                continue
            typ0 = payloads[0][0]
            if typ0 == "ent" or typ0 == "foreign":
                # a name: no word character before it; checks of its end, case and context
                if prev_word:
                    continue
                nxt_latin = nxt in _ASCII_WORD
                nxt_particles = None
                for typ, value, person, alias, rule, family, ctx, latin_end, hangul_end in payloads:
                    if nxt_latin and (latin_end or hangul_end):
                        continue
                    if "\uac00" <= nxt <= "\ud7a3":
                        if nxt_particles is None:
                            k = end
                            while k < n and "\uac00" <= text[k] <= "\ud7a3":
                                k += 1
                            nxt_particles = is_particle_run(text[end:k])
                        if not nxt_particles:
                            continue
                    if rule == 1:
                        if text[start:end] != alias:
                            continue
                    elif rule == 2 and not text[start].isupper():
                        continue
                    if family:
                        m = _FAMILY_NEXT.match(text, end)
                        if m and m.group(1).lower() not in _FAMILY_NEXT_OK:
                            continue
                    if ctx is not None and not any(w in text for w in ctx):
                        continue
                    append((start, start - end, end, typ, value, False, person))
                    break
                continue
            if mode == 1:
                # English word: starts at a word boundary; ends there unless prefix pattern
                if prev in _ASCII_WORD:
                    continue
                if nxt in _ASCII_WORD:
                    for p in payloads:
                        if p[2]:
                            break
                    else:
                        continue
                    payloads = [p for p in payloads if p[2]]
                else:
                    append((start, start - end, end) + tail)
                    continue
            elif mode == 2 and (prev in _ASCII_WORD or nxt in _ASCII_WORD):
                continue
            p = payloads[0]
            if p[0] == "kind":
                append((start, start - end, end, "kind", p[1], p[3], p[2]))
            else:
                append((start, start - end, end, "cue", p[1], False, False))
        # leftmost-longest, non-overlapping
        raw.sort()
        kept: list[tuple] = []
        last_end = -1
        for h in raw:
            if h[0] >= last_end:
                kept.append(h)
                last_end = h[2]
            elif kept and h[2] > kept[-1][2] and h[0] == kept[-1][0]:
                kept[-1] = h
                last_end = h[2]
        # "앤트로픽의 주요 투자자인 구글", "Anthropic's biggest investor Amazon": an investor of a named
        # company is a trigger, not the plain word
        for i, h in (enumerate(kept) if "투자자" in text or "주주" in text or "investor" in low or "shareholder" in low
                     or "backer" in low else ()):
            if h[3] == "cue" and h[4] == "null" and low.startswith(_INVESTOR_NOUNS, h[0]) and ((
                    i and kept[i - 1][3] == "ent" and _INVESTOR_OF.fullmatch(text, kept[i - 1][2], h[0])) or (
                    i + 1 < len(kept) and kept[i + 1][3] == "ent" and _INVESTOR_IN.fullmatch(text, h[2], kept[i + 1][0]))):
                # ("an early investor in Lambda")
                kept[i] = (h[0], h[1], h[2], "kind", "investment", False, False)
        # an item naming fewer than two catalog organisations, or with no trigger, pairs nothing:
        # no objects for it
        first = None
        two = has_kind = False
        for h in kept:
            typ = h[3]
            if typ == "ent":
                if first is None:
                    first = h[4]
                elif h[4] != first:
                    two = True
            elif typ == "kind":
                has_kind = True
        if two and not has_kind and "공동 " in text:
            has_kind = _JOINT_SPLIT_KO.search(text) is not None
        if two:
            # stakes told by a phrase rather than a word: "아마존으로부터 80억 달러를 유치한" (money raised),
            # "which owns roughly 90% of Arm", "which put $2 billion into Anthropic"
            stakes = []
            if "유치" in text:
                stakes += [(m, "investment") for m in _KO_RAISED.finditer(text)]
            if "넣" in text:
                # "1억달러를 넣은 앤트로픽": money put into a company
                stakes += [(m, "investment") for m in _KO_PUT_IN.finditer(text)]
            if "%" in text or "percent" in text:
                stakes += [(m, "investment") for m in _OWNS_SHARE.finditer(text)]
            if "$" in text and " into " in text:
                stakes += [(m, "investment") for m in _PUT_INTO.finditer(text)]
            if "jointly" in low:
                # "will jointly establish an AI investment company": a joint company
                stakes += [(m, "joint_venture") for m in _JOINTLY_FOUND.finditer(text)]
            if "train" in low and "models" in low:
                # "train future models on AWS's Trainium chips": the chips' maker supplies the trainer
                stakes += [(m, "supply") for m in _TRAIN_ON.finditer(text)]
            if "sell" in low and (" stock" in low or " shares" in low):
                # "will sell $2 billion of common stock to SoftBank": the buyer takes a stake
                stakes += [(m, "investment") for m in _SELLS_SHARES_TO.finditer(text)]
            if stakes:
                kept += [(m.start(), m.start() - m.end(), m.end(), "kind", kind, False, False) for m, kind in stakes]
                kept.sort()
                has_kind = True
        if two and not has_kind and _BACKED_MARK.search(text):
            has_kind = True
        if not (two and has_kind):
            return []
        make = tuple.__new__
        return [make(_Hit, h) for h in kept]

    @staticmethod
    def _counterparty(text: str, hits: list[_Hit], lonely: tuple, found: dict) -> None:
        """"계약 상대방은 테슬라로", "the customer is Tesla": the counterparty of a deal told before
        without its name."""
        name, kinds, evidence = lonely
        for m in _COUNTERPARTY.finditer(text):
            h = next((h for h in hits if h[0] >= m.end() and h[3] == "ent"), None)
            if h is None or h[0] - m.end() > 12 or h[4] == name:
                continue
            kind = next(k for k in ("supply", "investment", "joint_venture", "agreement", "mou") if k in kinds)
            pair = (name, h[4]) if name < h[4] else (h[4], name)
            if not any(p == pair for p, _ in found):
                found[(pair, kind)] = (0.7, evidence, 0)
            return

    @staticmethod
    def _receivers(text: str, hits: list[_Hit], sentences: list, supplier: str, found: dict) -> None:
        """"Nvidia will supply 260,000 GPUs to Korea. Samsung, SK and Hyundai will each receive up to
        50,000": the receivers of a supply told before without a catalog customer."""
        for m in _RECEIVE_UNITS.finditer(text):
            names: list[str] = []
            pos = m.start()
            for h in reversed([h for h in hits if h[2] <= pos]):
                if h[3] != "ent" or text[h[2]:pos] not in ("", ", ", " and ", ", and ", " & "):
                    break
                names.append(h[4])
                pos = h[0]
            s_start, s_end = next(((a, b) for a, b, _ in sentences if a <= m.start() < b), (0, len(text)))
            if pos != s_start and text[pos - 2:pos] != ", ":
                # (only receivers that open their sentence: "..., while Samsung will receive" is someone's
                # order of its own)
                continue
            for name in names:
                if name != supplier:
                    pair = (name, supplier) if name < supplier else (supplier, name)
                    found.setdefault((pair, "supply"), (0.7, text[s_start:s_end].strip(), 0))

    @staticmethod
    def _raiser_named(text: str, s: int, e: int, hits: list[_Hit]) -> bool:
        """The sentence tells of money raised, by the organisation named before "raised" (not by one
        outside the catalog in "a round led by SoftBank")."""
        m = _RAISED.search(text, s, e)
        # (not "오픈AI 출신이 세운 스타트업": where its founders came from; not "ASML led Mistral AI's funding
        # round": the lead investor)
        return m is not None and any(h[3] == "ent" and h[0] < m.start() and not text.startswith(("출신", " 출신"), h[2])
                                     and not _LED_ROUND.search(text, h[2], m.start()) for h in hits)

    @staticmethod
    def _separate_in_summary(text: str, title: str, hits: list[_Hit], sentences: list, found: dict) -> None:
        """"SK온·LG에너지솔루션 북미 합작공장 ..." over "SK온은 포드와, LG에너지솔루션은 GM과 각각 ...": a
        pair the headline joins, the summary tells as acting each on its own."""
        apart: set[tuple[str, str]] = set()
        for s_start, s_end, is_title in sentences:
            seg = text[s_start:s_end]
            if is_title or not ("각각" in seg or " each " in seg or "respectively" in seg):
                continue
            ents = [h for h in hits if s_start <= h[0] < s_end and h[3] == "ent"]
            # the ones acting apart: Korean topics ("SK온은 ..., LG에너지솔루션은 ... 각각"), English
            # subjects right before "each" ("Micron and SK hynix each")
            names = sorted({h[4] for h in ents if text.startswith(("은 ", "는 "), h[2])})
            if len(names) == 1:
                # "삼성전자와 SK하이닉스는 오픈AI와 각각 ...": the names joined to the topic act apart too
                i = next(i for i, h in enumerate(ents) if text.startswith(("은 ", "는 "), h[2]))
                run = {ents[i][4]}
                while i > 0 and text[ents[i - 1][2]:ents[i][0]] in ("와 ", "과 ", "·", ", ", ","):
                    i -= 1
                    run.add(ents[i][4])
                names = sorted(run)
            if len(names) < 2:
                names = []
                for i, h in enumerate(ents):
                    if _EACH_AFTER.match(text, h[2]):
                        # the coordinated run ending right before "each"
                        run = [h[4]]
                        j = i
                        while j > 0 and text[ents[j - 1][2]:ents[j][0]] in (" and ", ", ", " & ", ", and "):
                            j -= 1
                            run.append(ents[j][4])
                        if len(run) >= 2:
                            names = sorted(set(run))
                            break
            apart.update((a, b) for i, a in enumerate(names) for b in names[i + 1:])
        for key in [k for k, v in found.items() if k[0] in apart and v[1] == title]:
            del found[key]

    @staticmethod
    def _sk_in_title(found: dict, title: str, told) -> None:
        """A headline's bare "SK" is the SK company the summary names doing the same deal ("Samsung, SK
        sign letters of intent with OpenAI" over "... SK hynix each signed ..."), not the group."""
        for (pair, kind), v in list(found.items()):
            if "SK Group" not in pair or v[1] != title or (pair, kind) in told:
                continue
            other = pair[0] if pair[1] == "SK Group" else pair[1]
            for (p2, k2), v2 in found.items():
                if k2 == kind and other in p2 and v2[1] != title and any(
                        n != "SK Group" and n.startswith("SK ") for n in p2):
                    del found[(pair, kind)]
                    break

    @staticmethod
    def _company_anaphors(text: str, hits: list[_Hit], sentences: list) -> list[_Hit]:
        """"회사는 지난해부터 엔비디아에 공급하며", "The GPU cloud provider also signed ...": a sentence that
        opens with "the company" or a descriptor speaks of the subject of the sentences before it."""
        added = []
        subject = None
        starts = [h[0] for h in hits]
        dropped: set[int] = set()
        for s_start, s_end, is_title in sentences:
            m = None
            if not is_title:
                m = _COMPANY_ANAPHOR_KO.match(text, s_start) or _COMPANY_ANAPHOR_EN.match(text, s_start)
            if m is not None and subject is not None:
                kinds_of = _ANAPHOR_KINDS.get("the " + m.group(1).lower()) if m.group(1)[0] != "회" else None
                inside = [i for i, h in enumerate(hits) if m.start() <= h[0] < m.end(1)]
                referent = subject
                if kinds_of is not None and subject not in kinds_of and subject in _DEFAULT_NAMES:
                    # "Microsoft will invest ... in Anthropic. In return, the AI startup ...": the one
                    # name told before that the descriptor fits
                    fits = {h[4] for h in hits if h[0] < s_start and h[3] == "ent" and
                            (h[4] in kinds_of or h[4] not in _DEFAULT_NAMES)}
                    referent = fits.pop() if len(fits) == 1 else None
                if referent is not None and not any(hits[i][3] in ("ent", "kind", "foreign") for i in inside):
                    # ("The GPU cloud provider also signed ...": a cue inside the phrase gives way; not
                    # "The Microsoft-backed ChatGPT maker", which names its organisations)
                    dropped.update(inside)
                    added.append(_Hit(m.start(1), m.start(1) - m.end(1), m.end(1), "ent", referent, False, False))
                    continue
            i = bisect_left(starts, s_start)
            for h in hits[i:]:
                if h[0] >= s_end:
                    break
                if h[3] == "ent":
                    nxt = text[h[2]:h[2] + 2]
                    if nxt[:1] in ("은", "는", "이", "가") or (is_title and nxt[:1] == ","):
                        subject = h[4]
                    elif _is_latin_char(text[h[0]]) and _EN_SUBJECT_LEAD.fullmatch(text, s_start, h[0]) and \
                            nxt[:1] != "'":
                        subject = h[4]
                    break
        if not added:
            return hits
        if dropped:
            hits = [h for i, h in enumerate(hits) if i not in dropped]
        return sorted(hits + added, key=_hit_order)

    @staticmethod
    def _split_joint_acts(text: str, hits: list[_Hit]) -> list[_Hit]:
        """Korean headlines split a joint act around its object ("공동 AI 모델 개발"): one trigger."""
        added = []
        for m in _JOINT_SPLIT_KO.finditer(text):
            if not any(h[0] < m.end() and m.start() < h[2] and h[3] == "kind" for h in hits):
                added.append(_Hit(m.start(), m.start() - m.end(), m.end(), "kind", "agreement", "joint", False))
        return sorted(hits + added, key=_hit_order) if added else hits

    @staticmethod
    def _sentences(text: str, title_len: int) -> list[tuple[int, int, bool]]:
        out = []
        if title_len:
            out.append((0, title_len, True))
        pos = title_len + 1 if title_len < len(text) else len(text)
        start = pos
        n = len(text)
        for m in _SENT_END.finditer(text, pos):
            i = m.start()
            if i < start:
                continue
            ch = text[i]
            j = i + 1
            while j < n and text[j] in " \n":
                j += 1
            if j >= n:
                break
            if ch == "." and (_ABBREV.search(text[max(start, i - 6):i]) or not (
                    text[j].isupper() or _is_hangul(text[j]) or text[j] in "\"'‘“(" or text[j].isdigit())):
                continue
            out.append((start, i + 1, False))
            start = j
        if start < n:
            out.append((start, n, False))
        return out

    # ----------------------------------------------------------------------------------------
    def _clauses(self, text: str, s: int, e: int, korean: bool, is_title: bool) -> list[int]:
        """Start offsets of the clauses of text[s:e] (the first is s)."""
        seg = text[s:e]
        cuts = [s]
        if is_title:
            for m in _TITLE_CUTS.finditer(seg):
                cuts.append(s + m.end())
            if not korean and ", " in seg:
                # "Singtel trims Airtel stake, Deutsche Telekom adds T-Mobile shares": two headlines
                for m in _TITLE_COMMA_NAME_VERB.finditer(seg):
                    cuts.append(s + m.end())
                # "Apple drops Perplexity talks, turns to Google": a headline's second verb phrase
                for m in _TITLE_COMMA_VERB.finditer(seg):
                    nxt = seg.find(",", m.end())
                    if _UPPER.search(seg, m.end(), nxt if nxt >= 0 else len(seg)):
                        # (only when it names someone: "..., co-develop chips" shares the first's parties)
                        cuts.append(s + m.end())
        if korean:
            # only tokens whose last Hangul syllable can end a connective form are candidates
            for m in _KO_CUT_CANDIDATE.finditer(seg):
                tok = m.group(1)
                end = m.end()
                comma = tok.endswith(",")
                core = tok.rstrip(",")
                i = len(core)
                while i and not ("\uac00" <= core[i - 1] <= "\ud7a3"):
                    i -= 1
                if i < len(core):
                    core = core[:i]
                if comma and core and core[-1] in "고며해혀서데면져나만":
                    cuts.append(s + end)
                elif len(core) >= 2 and core.endswith(_KO_CONNECTIVE_ENDS) and core not in _KO_NOT_CONNECTIVE \
                        and not core.endswith(("위해", "통해", "대해", "의해", "인해")):
                    cuts.append(s + end)
        else:
            cuts.extend(s + c for c in _en_cuts(seg))
        return sorted(set(cuts)) if len(cuts) > 1 else cuts

    @staticmethod
    def _followed_before(text: str, hits: list[_Hit]) -> set[int]:
        """"TSMC·삼성전자 이어 미국 투자 대열", "메타 이어 두 번째 합의": the companies named before " 이어" did
        the same before and are no party to this (a person met before is: "재시 이어 아모데이 만나")."""
        out: set[int] = set()
        ents = [h for h in hits if h[3] == "ent"]
        for i, h in enumerate(ents):
            if h[6] or not text.startswith(" 이어", h[2]):
                continue
            out.add(h[0])
            while i > 0 and text[ents[i - 1][2]:ents[i][0]] in ("·", ", ", ","):
                i -= 1
                out.add(ents[i][0])
        return out

    def _ko_topic(self, text: str, sentence: tuple) -> str | None:
        """The topic of a Korean sentence: its first name marked 은/는/이/가."""
        s, e, hits = sentence
        for h in hits:
            if h[3] == "ent" and self._mention(text, h, e, True).role == "S":
                return h[4]
        return None

    def _sentence(self, text: str, s: int, e: int, hits: list[_Hit], is_title: bool,
                  found: dict, state: dict) -> None:
        # (the sentence before, for a Korean subject left unsaid: see _ko_topic)
        prev_sentence = state.get("ko_prev_sentence")
        if hits:
            state["ko_prev_sentence"] = (s, e, hits)
        # a sentence with no trigger, or fewer than two organisations (counting "양사" for the last
        # pair) and no anaphor that could bring in another, pairs nothing: only remember its names
        if state.get("backed") and _BACKED_MARK.search(text, s, e):
            hits = self._backed(text, s, e, hits, found, state)
        has_kind = has_anaphor = False
        named: list[tuple[str, ...]] = []
        lp = state["last_pair"]
        for h in hits:
            typ = h[3]
            if typ == "ent":
                named.append((h[4],))
            elif typ == "kind":
                has_kind = True
            elif typ == "cue":
                value = h[4]
                if value == "plural":
                    if lp:
                        named.append(lp)
                elif value == "anaphor":
                    has_anaphor = True
        if not has_kind:
            if named and "funded" not in state and len(set(named)) == 1 and self._raiser_named(text, s, e, hits):
                # "Anthropic has raised $13 billion in a Series F round.": who later joins it invests
                state["funded"] = named[0][0]
            # (a "양사" here does not refresh the pair it refers to)
            self._remember_names(state, [(h[4],) for h in hits if h[3] == "ent"])
            return
        distinct = {n for ns in named for n in ns}
        if len(distinct) == 1 and state.get("funded") not in (None, *distinct) and any(
                h[3] == "kind" and h[4] == "investment" for h in hits):
            # "기존 주주인 엔비디아도 이번 라운드에 자금을 넣었다": the round raised before is the other side
            has_anaphor = True
        ko_prev = None
        if prev_sentence is not None and not has_anaphor and len(distinct) == 1 and not is_title and \
                any(h[3] == "kind" and h[4] == "talks" for h in hits) and \
                _HANGUL_RE.search(text, s, e) is not None and not _KO_OTHER_TOPIC.search(text, s, e) and \
                self._ko_topic(text, (s, e, hits)) is None:
            # "이튿날에는 LG전자 경영진과 만나 ...": the topic of the sentence before acts here too
            ko_prev = self._ko_topic(text, prev_sentence)
            if ko_prev is not None and ko_prev not in distinct:
                has_anaphor = True
            else:
                ko_prev = None
        if not has_anaphor and len(distinct) < 2:
            if len(named) == 1 and "funded" not in state and has_kind and self._raiser_named(text, s, e, hits):
                state["funded"] = named[0][0]
            if named and "lonely" not in state:
                # a deal with an unnamed counterparty ("글로벌 완성차 업체와 공급 계약"), named later
                kinds = {h[4] for h in hits if h[3] == "kind" and h[5] is False and h[4] in SIGNED}
                if kinds:
                    state["lonely"] = (named[0][0], kinds, text[s:e].strip())
            self._remember_names(state, named)
            return
        seg = text[s:e]
        korean = _HANGUL_RE.search(seg) is not None
        if not korean and ", " in seg and not is_title:
            apps = self._appositives(text, s, e, hits)
            if apps:
                # what an appositive says about a name ("SK hynix, a key Nvidia supplier, signed ...",
                # "Perplexity, the startup backed by Nvidia, ...") is a statement of its own about
                # that name; the rest of the sentence is read without it
                for a_start, a_end, a_hits in apps:
                    self._sentence(text, a_start, a_end, a_hits, False, found, state)
                    hits = [h for h in hits if not (a_hits[0][2] < h[0] < a_end)]
        clauses = self._clauses(text, s, e, korean, is_title)

        if len(clauses) == 1:
            def clause_of(pos: int) -> int:
                return 0
        else:
            def clause_of(pos: int) -> int:
                i = bisect_right(clauses, pos) - 1
                return i if i > 0 else 0

        mentions: list[_Mention] = []
        triggers: list[_Trigger] = []
        cues: list[_Hit] = []
        joint3 = False
        former = "출신" in seg or "ormer " in seg or "ex-" in seg or "Ex-" in seg or "계열" in seg
        parent = ("자회사" in seg or "계열사" in seg or "산하" in seg) if korean else (
            " unit " in seg or " subsidiary " in seg or " affiliate " in seg)
        mention = self._mention
        owned_foreign = not korean and ("'s " in seg or "’s " in seg) and {h[0] for h in hits if h[3] == "foreign"}
        followed_before = korean and " 이어" in seg and self._followed_before(text, hits)
        for h in hits:
            typ = h[3]
            if typ == "ent" or typ == "foreign":
                if former and typ == "ent" and self._former(text, h, korean):
                    continue
                if followed_before and h[0] in followed_before:
                    # "메타 이어 두 번째 합의": the one that did the same before, no party to this (but "재시
                    # 이어 아모데이 만나": a person met before is met too)
                    continue
                if owned_foreign and typ == "ent" and h[2] + 3 in owned_foreign and text[h[2] + 1:h[2] + 3] == "s ":
                    # "Alphabet's Waymo": a company of the group that is no catalog organisation
                    continue
                if parent and typ == "ent" and (_PARENT_OF_KO if korean else _PARENT_OF_EN).match(text, h[2]):
                    # "알파벳의 자율주행 자회사 웨이모", "Alphabet's self-driving unit Waymo": the parent is
                    # no party; the subsidiary named after it is
                    continue
                m = mention(text, h, e, korean)
                m.ci = clause_of(h[0])
                mentions.append(m)
            elif typ == "kind":
                start, _, end, _, value, generic, person = h
                if text.startswith("참여", start) and not _ROUND_KO.search(seg):
                    # (joining a round, not a project or an event)
                    continue
                if value == "ended" and text.startswith("해지", start) and start and \
                        "\uac00" <= text[start - 1] <= "\ud7a3" and not text.startswith(("계약", "협약"), start - 2):
                    # "전해지면서", "치열해지는": a verb ending, not a termination ("계약해지" is one)
                    continue
                if value == "ended" and not korean and text[start - 3:start] in ("'s ", "’s ") and \
                        not _DEAL_NOUN_AFTER.match(text, end):
                    # "Apple's shelved car project": the owner's own plan ended, no partnership
                    continue
                if value == "ended" and not korean and text[start:start + 3].lower() in ("rej", "reb", "ref", "spu") and \
                        not _REJECTED_DEAL.match(text, end):
                    # "rejecting his warning that ...": an opinion turned down, no deal
                    continue
                if value == "ended" and text.startswith(_DENIAL_STARTS, start) and _HIRING.search(seg):
                    # "인력 영입설 사실무근", "denies report of researcher exodus": people, not a deal
                    continue
                if value == "ended" and text.startswith("불발", start) and \
                        _FAILED_WIN_KO.search(text, max(0, start - 8), start):
                    # "삼성 파운드리 수주 불발": an order not won (a negation), no partnership ended
                    cues.append(_Hit(start, start - end, end, "cue", "neg", False, False))
                    continue
                if end - start == 8 and _CONTRACT_WORK.match(text, end) and text[start:end].lower() == "contract":
                    # "contract chipmaking arm", "contract manufacturer": a line of business, no contract
                    continue
                if korean and (value == "supply" or generic == "adopt") and _KO_SERVICE_DESC.match(text, end):
                    # "GPU를 빌려 쓰는 구독형 서비스": what a service lets its users do, no deal
                    continue
                if text[start - 3:start] in ("이번 ", "해당 ") and text.startswith(
                        ("계약", "협약", "거래", "LOI", "MOU", "의향서", "양해각서", "합의"), start):
                    # "이번 계약에 투입할": the deal already told, not a new one with whoever is named here
                    continue
                triggers.append(_Trigger(start, end, value, generic, value, 0.9, person,
                                         clause_of(start)))
            else:
                value = h[4]
                if value == "plural":
                    lp = state["last_pair"]
                    if lp:
                        m = mention(text, h, e, korean)
                        m.names = lp
                        m.ci = clause_of(h[0])
                        mentions.append(m)
                elif value == "joint3":
                    joint3 = True
                elif value != "null":
                    cues.append(h)
        ent_names = {n for m in mentions for n in m.names}
        if cues and not korean:
            # "rival" right before a name describes it ("with rival Samsung"): no competition said;
            # "ahead of its US plant ramp-up" is a time, not a race
            starts = {m.start for m in mentions}
            cues = [c for c in cues if not (c.value == "comp" and (
                (text[c.start:c.start + 5].lower() == "rival" and c.end + 1 in starts) or
                (text.startswith("ahead of", c.start) and not _AHEAD_OF_RIVAL.match(text, c.end))))]
        if not triggers or not mentions:
            self._remember(state, ent_names, mentions, None)
            return
        if any(c.value == "legal" for c in cues):
            self._remember(state, ent_names, mentions, None)
            return

        # ---- kill / downgrade triggers by cues
        question = False
        if is_title:
            question = bool(_QUESTION_END.search(seg.rstrip(" \"'”’"))) or "?" in seg
        if cues:
            # (a completion word that is itself planned, "체결하는 것을 목표로", "체결을 추진", is no completion)
            done_pos = [c.start for c in cues if c.value == "done" and not _PLANNED_AFTER.match(text, c.end)]
            cue_clauses = [(c, clause_of(c.start)) for c in cues if c.value in _KILLING_CUES]
            down_cues = [(c.start, c.end) for c in cues if c.value == "down"]
        else:
            done_pos, cue_clauses, down_cues = [], [], []
        scheduled: set[int] = set()
        has_talks = has_supply = invest_ctx = False
        for x in triggers:
            k = x.kind
            if k == "talks":
                has_talks = True
            elif x.base == "supply":
                has_supply = True
            elif x.base == "investment" and not x.generic:
                invest_ctx = True
        if has_talks:
            # concluded negotiations are no talks, and turn no deal word into talks
            triggers = [x for x in triggers if not (x.kind == "talks" and not x.generic and self._concluded(x, text, korean))]
        if has_supply:
            # "provide"/"제공" needs compute or a product as its object
            triggers = [x for x in triggers if not (x.base == "supply" and text[x.start:x.end].lower() in _PROVIDE_WORDS
                                                    and not self._provides_product(x, text, korean))]
        talkers = [x for x in triggers if x.kind == "talks" and not x.generic] if has_talks else []
        if talkers:
            down_cues += [(x.start, x.end) for x in talkers]
        talk_starts = {x.start for x in talkers}
        enders = [x for x in triggers if x.kind == "ended"]
        ends_word = not korean and has_talks and _ENDS_WORD.search(seg) is not None
        proposal = korean and "안" in seg and _KO_PROPOSAL.search(text, s, e)
        # a Korean sentence that ends as a forecast of something possible ("...통과해 공급망에 진입할 가능성이
        # 높다고 전망했다") tells nothing done
        forecast = korean and not is_title and seg.rstrip(" .\"'”’").endswith(_KO_FORECAST_VERBS) and \
            _KO_FORECAST_END.search(seg) is not None
        asked = None
        alive: list[_Trigger] = []
        for t in triggers:
            ci = t.ci
            dead = False
            if is_title and ci >= 0 and (question or len(clauses) > 1):
                if asked is None:
                    # which clauses of the headline end as a question
                    asked = ["?" in seg or _QUESTION_END.search(
                        text[clauses[i]:(clauses[i + 1] if i + 1 < len(clauses) else e)].rstrip(" \"'”’…"))
                        is not None for i in range(len(clauses))]
                if asked[ci]:
                    dead = True
            for c, cc in cue_clauses:
                if dead:
                    break
                if c.value == "comp" and cc == ci:
                    dead = True
                elif (c.value == "spec_clause" or c.value == "dispute") and cc == ci and t.kind != "ended":
                    dead = True
                elif c.value == "neg" and t.kind != "ended":
                    if korean and _is_hangul(text[c.start]):
                        if t.end <= c.start <= t.end + 10:
                            dead = True
                            if text.startswith("지 않기로", c.start) and not t.generic and t.kind in (
                                    "talks", "agreement", "mou", "investment"):
                                # "제휴 방안을 추진하지 않기로 했다": a decision to drop it
                                dead = False
                                t.kind = "ended"
                                t.confidence = 0.75
                                break
                    elif not korean and cc == ci and 0 <= t.start - c.end <= 40:
                        dead = True
                    if dead and t.kind == "talks" and not t.generic and not question and \
                            text[t.start:t.end].lower() in _NEGOTIATION_WORDS and _SPEECH.search(text, s, e) and \
                            (_KO_NEG_ON_TALKS.fullmatch(text, t.end, c.start) if korean else t.start - c.end <= 25):
                        # "is not engaged in any discussions with Intel", "논의하고 있지 않다": a denial
                        dead = False
                        t.kind = "ended"
                        t.confidence = 0.75
                        break
                elif c.value == "spec" and t.kind != "ended":
                    if korean and _is_hangul(text[c.start]):
                        if t.end <= c.start <= t.end + 20 and cc == ci:
                            dead = True
                        elif t.end <= c.start <= t.end + 12:
                            dead = True
                    elif not korean and (cc == ci or (cc == ci - 1 and text.startswith("as ", t.start))) and c.start < t.start:
                        dead = True
            if forecast and t.kind != "ended" and not done_pos:
                # (not "의향서를 체결한 데 힘입어 ... 견조할 것으로 내다봤다": a deal done, then a forecast)
                dead = True
            if dead:
                continue
            if korean and t.generic == "joint" and "할 예정" in text[t.end:t.end + 6]:
                # "공동 개발할 예정이다": an announced plan to act together, nothing signed: talks
                t.kind = "talks"
                t.generic = False
                t.confidence = 0.75
                scheduled.add(id(t))
            if not korean and (t.generic == "adopt" and text[t.start:t.end].lower() in _BUY_WORDS or
                               t.base == "supply" and text.startswith(("purchas", "Purchas"), t.start)) and \
                    _SHARES_NEXT.match(text, t.end):
                # "buy $2 billion of newly issued Intel common stock": a stake
                t.kind = t.base = "investment"
                t.generic = False
            if t.generic == "adopt" and not korean and text.startswith("rece", t.start) and \
                    _MONEY_NEXT.match(text, t.end):
                # "received $500 million from SoftBank": funding
                t.kind = t.base = "investment"
                t.generic = False
            if t.generic is True and not korean and t.kind == "agreement" and \
                    text[t.start:t.end].lower() in _SELECT_WORDS and _SELECTED_TO_SUPPLY.match(text, t.end, e):
                # "picks Samsung as its HBM supplier", "taps AMD for custom chips": a supplier chosen
                t.kind = "supply"
            if t.base == "investment" and (
                    (_SELL_HINT.search(seg) and _DIVEST_BEFORE_EN.search(text, max(s, t.start - 40), t.start))
                    if not korean else _DIVEST_AFTER_KO.match(text, t.end)) and \
                    not any(t.end < x.start <= t.end + 16 for x in talkers):
                # (not "지분 매각을 포함한 협의": a sale still talked about)
                # selling a stake ends the investment ("sells its entire Nvidia stake", "지분 전량 매각")
                t.kind = "ended"
                t.generic = False
            if enders and t.kind != "ended" and (t.kind != "talks" or not t.generic) and any(
                    (o.end <= t.start and _ENDED_THEN_TALKS.fullmatch(text, o.end, t.start)) or
                    (korean and t.end <= o.start <= t.end + 3) for o in enders):
                # "walks away from talks to ...", "broke off negotiations", "협상을 중단", "abandoned its
                # interest in acquiring": what was talked about or agreed ended
                t.kind = "ended"
            if t.base == "supply" and not korean and any(
                    o.base == "joint_venture" and o.end <= t.start and _JV_PURPOSE.fullmatch(text, o.end, t.start)
                    for o in triggers):
                # "a joint venture (with SoftBank) to manufacture ...": what the venture will do
                continue
            if t.kind in SIGNED and not (korean and (
                    _KO_RECALLED.search(text, max(s, t.start - 8), t.start) or
                    _KO_SIGNED_BEFORE.search(text, max(s, t.start - 30), t.start))):
                # (not "50%씩 출자한 합작회사", "지난달 맺은 공급 의향서": a deal made before, whatever is
                # negotiated now)
                for cpos, cend in down_cues:
                    if korean and _is_hangul(text[cpos]):
                        if cpos >= t.end and not any(t.end <= d < cpos for d in done_pos) and \
                                not (clause_of(cpos) != t.ci and _KO_DECIDED.match(text, t.end)):
                            # ("공급하기로 했으며, 각 사는 ... 구축 계획": the plan is another's)
                            t.kind = "talks"
                            t.confidence = 0.75
                            break
                    elif not korean and cend <= t.start and clause_of(cpos) == t.ci and (
                            t.start - cend <= 60 or (t.start - cend <= 200 and _TALKS_TO.match(text, cend))):
                        # ("in talks with Google to use its TPUs ... and to rent capacity": all of it talked about)
                        t.kind = "talks"
                        t.confidence = 0.75
                        break
                    elif not korean and t.end <= cpos and cpos in talk_starts and \
                            _NOUN_BEFORE_TALKS.fullmatch(text, t.end, cpos):
                        # "merger talks", "supply negotiations": what is talked about
                        t.kind = "talks"
                        t.confidence = 0.75
                        break
            if proposal and t.kind in SIGNED and proposal.end() <= t.start:
                # "협상안에는 ... 투자 라운드에 참여하는 내용이 담긴": what is on the table, not done
                t.kind = "talks"
                t.confidence = 0.75
            if t.kind == "talks" and not korean and ends_word and \
                    _ENDS_BEFORE_TALKS.search(text, max(s, t.start - 40), t.start):
                # "ends merger talks", "halted partnership negotiations"
                t.kind = "ended"
            alive.append(t)
        if not alive:
            self._remember(state, ent_names, mentions, None)
            return

        groups = self._groups(text, mentions, korean, is_title, clauses, clause_of,
                              tuple(t.end for t in alive) if korean else ())
        if not korean:
            # "shipped more phones than Samsung": what is compared takes no part
            groups = [g for g in groups if g.members[0].prep != "than"]
        n_alive = len(alive)
        groups, alive = self._components(text, groups, alive, korean)
        if invest_ctx and len(alive) < n_alive and not any(
                t.base == "investment" and not t.generic for t in alive):
            # the investment word was what a memorandum is about: no investment context left
            invest_ctx = False
        if not alive or not groups:
            self._remember(state, ent_names, mentions, None)
            return
        sentence_text = seg.strip()
        if "funded" not in state and ("유치" in seg or "펀딩" in seg or "fund" in seg or "round" in seg or
                                      "financ" in seg) and (m_raised := _RAISED.search(seg)):
            # the company raising money: the first catalog organisation named as subject; in English
            # the one named before "raised" or right before "funding round"
            if korean:
                subj_g = next((g for g in groups if g.names and g.role == "S"), None)
            else:
                pos = s + m_raised.start()
                named_before = [g for g in groups if g.names and g.end <= pos]
                if m_raised.group(0).lower().startswith("funding round"):
                    named_before = [g for g in named_before if len(text[g.end:pos].split()) <= 2]
                subj_g = named_before[-1] if named_before else None
                if subj_g is not None and _LED_ROUND.search(text, subj_g.end, pos):
                    # "ASML led Mistral AI's funding round": the lead investor, not the company raising
                    subj_g = None
                    state["funded"] = None
            if subj_g is not None and len(subj_g.names) == 1:
                state["funded"] = subj_g.names[0]
        last_pair = None
        participle_from = participle_ci = None
        denial: _Trigger | None = None
        together: list[tuple[_Trigger, set[str], list]] = []
        restated: list = []
        supplied: set = set()
        if korean:
            for t in alive:
                t.head = self._relative_head(t, groups, text)
        for t in alive:
            anaphor = None
            if not korean and (state.get("recent") or t.ci > 0):
                for c in cues:
                    if c.value == "anaphor" and c.start > t.start and clause_of(c.start) == t.ci and \
                            not _SAID_AFTER.match(text, c.end):
                        # (not "..., the company said": who speaks is no partner)
                        # (the names before it in its clause, or the one a "which" clause is about:
                        # not a name an earlier clause ends on, "taken money from Google, which ...")
                        in_s = {n for g in groups if g.end <= t.start and (
                            g.ci == t.ci or _WHICH_AFTER.match(text, g.end)) for n in g.names}
                        kinds_of = _ANAPHOR_KINDS.get(text[c.start:c.end].lower())
                        funded = state.get("funded")
                        # names told before: in earlier sentences, then in earlier clauses of this one
                        recent = state.get("recent", [])
                        here = [n for g in groups if g.ci < t.ci for n in g.names]
                        if here:
                            recent = [n for n in recent if n not in here] + here
                        if funded is not None and text[c.start:c.end].lower() in _ROUND_ANAPHORS:
                            recent = [funded]   # "the round" is the round the company raised
                        for name in reversed(recent):
                            if name not in in_s and (kinds_of is None or name in kinds_of or
                                                     name not in _DEFAULT_NAMES):
                                # ("the AI startup" is no chipmaker)
                                anaphor = _Group([_Mention(c.start, c.end, c.end, (name,), "P",
                                                           ci=clause_of(c.start))], "P")
                                break
                        break
            funded = state.get("funded")
            if anaphor is None and funded is not None and (t.base == "investment" or (
                    t.kind == "ended" and _ROUND_WORDS.search(seg))):
                # "이번 라운드에는 엔비디아도 참여했다", "Amazon and Google both added to their stakes",
                # "애플은 참여를 철회했다": the company that raised the round, when nobody else is named
                anaphor = _Group([_Mention(t.start, t.end, t.end, (funded,), "P", ci=t.ci)], "P")
            if korean and funded is None and text.startswith("참여", t.start) and \
                    _THIS_ROUND_KO.search(text, max(s, t.start - 14), t.start):
                # "엔비디아 등 기존 투자자들도 이번 라운드에 참여했다" with no raiser in the catalog: the
                # investors joined someone else's round, not each other
                continue
            if t.base == "investment" and t.generic and anaphor is not None and funded in anaphor.names:
                t.generic = False   # ("participated alongside new investors", "took part in the round")
            if t.generic and t.base == "investment" and invest_ctx:
                t.generic = False
            if t.base == "agreement" and t.kind == "agreement" and self._absorbed(t, alive, text):
                continue
            if t.generic is False and t.base == "agreement" and _expanded(t, text):
                # "expand their cloud partnership": an existing tie, a new deal only if nothing else is
                t.generic = True
            if participle_from is not None and t.ci == participle_ci and t.start > participle_from:
                continue
            if not korean and t.kind == "talks" and last_pair is not None and \
                    text[max(s, t.start - 2):t.start] == ", " and _PARTICIPLE.match(text, t.start) and \
                    not any(g.start > t.start and g.ci == t.ci and g.role != "G" for g in groups):
                # "met B on Thursday, discussing HBM4 supply (for A's project)": the meeting already
                # paired; what is discussed is no deal of its own
                participle_from, participle_ci = t.start, t.ci
                continue
            pairs = self._pairs_for(t, groups, korean, clause_of, text, invest_ctx, joint3, anaphor, alive, ko_prev)
            if pairs and not korean and t.base == "investment" and _ING_WORD.match(text, t.start) and \
                    text[clauses[t.ci] if t.ci < len(clauses) else s:t.start].lower().startswith("with "):
                # "..., with Nvidia and existing backer Microsoft also participating": investors in the
                # round told before, not in each other
                pairs = [p for p in pairs if funded is not None and funded in p[:2]]
            if pairs and together and anaphor is not None:
                for t0, names, keys in together:
                    if t0.ci == t.ci and t0.start < t.start and any(
                            (a in names) != (b in names) for a, b, _ in pairs):
                        # "Microsoft and Nvidia are still in talks to take part": in the round told before
                        for key in keys:
                            found.pop(key, None)
                        keys.clear()
            if pairs and t.kind == "talks" and not korean:
                names = {n for a, b, _ in pairs for n in (a, b)}
                if any(set(g.names) >= names for g in groups):
                    # "A and B are in talks (to take part)": the two together, unless a later verb of
                    # the clause gives them a third party (above)
                    keys = [((a, b) if a < b else (b, a), t.kind) for a, b, _ in pairs]
                    together.append((t, names, [k for k in keys if k not in found]))
            if t.kind == "ended" and not pairs and not korean and text[t.start:t.start + 4].lower() in ("deni", "deny"):
                # "A denied a report that it was negotiating a merger with B": what follows is denied
                denial = t
                continue
            for a, b, conf in pairs:
                pair = (a, b) if a < b else (b, a)
                if not is_title and (a == "SK Group" or b == "SK Group"):
                    state.setdefault("told", set()).add((pair, t.kind))
                if denial is not None and t.kind != "ended":
                    key = (pair, "ended")
                    if key not in found:
                        found[key] = (min(denial.confidence, conf, 0.8), sentence_text, 0)
                key = (pair, t.kind)
                c = min(t.confidence, conf)
                g = t.generic
                if t.kind in ("investment", "agreement", "mou"):
                    # investing in, or agreeing on, a joint venture named in the same clause is
                    # setting it up
                    # (in a headline, the same clause: "출자 완료…합작사 출범" are two pieces of news)
                    state.setdefault("jv_part" if any(o.base == "joint_venture" and (o.ci == t.ci or not is_title)
                                                      for o in alive) else "jv_free", set()).add(key)
                if t.kind == "agreement" and (is_title or t.generic is False):
                    # (a contract named in the headline only; the body's agreements are their own, but
                    # not a bare "signed")
                    state.setdefault("bare" if is_title and text[t.start:t.end].lower() in _CONTRACT_WORDS
                                     else "firm", set()).add(pair)
                tier = 0 if g is False else (1 if g == "joint" else (3 if g == "adopt" else 2))
                if tier == 3 and not korean and _MONEY.search(text, t.end, min(e, t.end + 60)):
                    # a purchase with its price ("buy $250 billion of Azure services") is a deal of its own
                    tier = 0
                prev = found.get(key)
                if (prev is None or prev[2] != 0) and t.kind == "agreement" and not is_title and not korean and \
                        text[t.start:t.end].lower() in _CONTRACT_WORDS:
                    restated.append(key)
                elif t.kind == "supply" and tier in (0, 3):
                    supplied.add(pair)
                if prev is None or tier < prev[2] or (tier == prev[2] and c > prev[0]):
                    found[key] = (c if not tier else min(c, 0.75 if tier in (1, 3) else 0.7), sentence_text, tier)
                last_pair = pair
                if (g == "joint" or (scheduled and id(t) in scheduled)) and t.kind == "talks" and not is_title:
                    # a joint act the summary only plans ("공동 구축할 계획")
                    state.setdefault("planned_joint", set()).add(pair)
        if restated and supplied and not _ANOTHER_DEAL.search(seg):
            # "... signed a $38 billion agreement to buy cloud capacity from AWS, its first big contract
            # with the cloud leader": the contract is that supply deal, told twice
            for key in restated:
                if key[0] in supplied:
                    found.pop(key, None)
        self._remember(state, ent_names, mentions, last_pair)

    @staticmethod
    def _backed(text: str, s: int, e: int, hits: list[_Hit], found: dict, state: dict) -> list[_Hit]:
        """"Microsoft-backed OpenAI", "SoftBank-owned Arm": a stake, stated in passing.  The backer
        takes no other part in the sentence."""
        drop = set()
        for i, h in enumerate(hits):
            if h[3] != "ent" or not _BACKED_MARK.match(text, h[2]):
                continue
            owned = None
            for h2 in hits[i + 1:]:
                if h2[3] == "ent" and h2[4] != h[4]:
                    if _DESCRIPTOR_GAP.fullmatch(text, _BACKED_MARK.match(text, h[2]).end(), h2[0]):
                        owned = h2[4]
                    break
            if owned is None and text[s:h[0]].strip() in ("The", "") and s > 0 and \
                    _DESCRIPTOR_SUBJECT.match(text, _BACKED_MARK.match(text, h[2]).end()):
                # "The Amazon-backed AI startup said ...": the company the headline is about
                owned = next((n for n in state.get("title_names", ()) if n != h[4]), None)
            if owned is not None:
                pair = (h[4], owned) if h[4] < owned else (owned, h[4])
                if (pair, "investment") not in found:
                    found[(pair, "investment")] = (0.8, text[s:e].strip(), 0)
            drop.add(i)
        return [h for i, h in enumerate(hits) if i not in drop] if drop else hits

    @staticmethod
    def _appositives(text: str, s: int, e: int, hits: list[_Hit]) -> list[tuple[int, int, list[_Hit]]]:
        """English appositives right after a name: (start of the name, end, the name's hit and the
        hits inside)."""
        out = []
        for m in _APPOSITIVE_EN.finditer(text, s, e):
            a = m.start()
            if text[a - 2:a] in ("'s", "’s"):
                a -= 2
            head = next((h for h in hits if h[3] == "ent" and h[2] == a), None)
            if head is not None:
                out.append((head[0], m.end(), [head] + [h for h in hits if m.start() < h[0] < m.end()]))
        return out

    @staticmethod
    def _components(text: str, groups: list[_Group], alive: list[_Trigger],
                    korean: bool) -> tuple[list[_Group], list[_Trigger]]:
        """Names that only describe a product's parts are not parties: "servers built on Nvidia's
        GPUs", "엔비디아 GPU를 탑재한 서버", "엔비디아 GB300 탑재 서버".  A listing ending in 등 ("삼성전자,
        SK하이닉스 등 기업들과") is a set of examples, not a joint actor.  A deal word inside the purpose
        of a memorandum ("공급 협력을 위한 의향서") is what the memorandum is about."""
        if korean:
            drop_t: list[_Trigger] = []
            drop_g: set[int] = set()
            for t in alive:
                if t.generic == "adopt":
                    m = _ADOPT_COMPONENT_KO.match(text, t.end)
                    if m is None or text[t.end] == "\n":
                        # "델, xAI에 서버 공급…엔비디아 GPU 탑재": a clause of its own with no subject, after a
                        # supply in an earlier clause, describes the product supplied
                        if any(o.base == "supply" and o.generic is False and o.ci < t.ci for o in alive) and \
                                not any(g.ci == t.ci and g.role == "S" for g in groups):
                            drop_t.append(t)
                            drop_g.update(id(g) for g in groups if g.ci == t.ci and g.end <= t.start and
                                          g.role in ("U", "G"))
                        continue
                    if m.end() - t.end == 1 and not text.startswith(_PRODUCT_KO, m.end()):
                        continue
                    hit = False
                    for g in groups:
                        if g.end <= t.start and t.start - g.end <= 25 and g.role in ("U", "G") and g.ci == t.ci:
                            drop_g.add(id(g))
                            hit = True
                    if hit or m.end() - t.end > 1:
                        drop_t.append(t)
                elif t.kind in ("supply", "investment", "joint_venture", "agreement"):
                    purpose = _PURPOSE_KO.match(text[t.end:t.end + 14]) is not None or \
                        _CONTENT_KO.match(text, t.end) is not None
                    for o in alive:
                        # ("서비스 제휴를 위한 업무협약": a partnership is what it is for)
                        if o.kind == "mou" and o.start > t.end and o.start - t.end <= 24 and (
                                purpose or (t.kind != "agreement" and text[t.end:o.start].strip() in _MOU_OBJECT_GAP_KO)):
                            drop_t.append(t)
                            break
            for g in groups:
                m = _LISTING_KO.match(text, g.members[-1].end) if len(g.members) > 1 else None
                if m is not None:
                    # the listing is a set of examples unless it is the clause's subject ("A, B 등 5개사는")
                    nm = _LISTING_NEXT.match(text, m.end() - 1)
                    if text[m.end() - 1] not in "이가" and not (nm and nm.group(2) in ("은", "는", "이", "가", "도")):
                        g.listing = True
            if drop_t:
                alive = [t for t in alive if t not in drop_t]
            if drop_g:
                groups = [g for g in groups if id(g) not in drop_g]
            return groups, alive
        mous = [t for t in alive if t.kind == "mou" and t.generic is False]
        if mous:
            # "a letter of intent under which B would invest in A": the memorandum is the deal
            # (and "an MOU for a strategic partnership": the partnership is what it is about)
            about = [o for o in alive if o.base in ("supply", "investment", "joint_venture", "agreement") and any(
                0 < o.start - m.end <= 90 and _MOU_ABOUT.fullmatch(text, m.end, o.start) for m in mous)]
            if about:
                alive = [t for t in alive if t not in about]
        kept = [g for g in groups if not (text.endswith(_CONTRAST_EN, max(0, g.start - 12), g.start))]
        if len(kept) != len(groups):
            # "its own chips instead of Nvidia's": the contrasted name is no party
            groups = kept
        kept = [g for g in groups if not (_component_tail(text, g.start) and
                                          _COMPONENT_EN.search(text, max(0, g.start - 40), g.start))
                and not text.startswith(("-owned", "-controlled"), g.end)]
        return (kept if len(kept) != len(groups) else groups), alive

    @staticmethod
    def _outside_partner(t: _Trigger, groups: list[_Group], text: str) -> int:
        """English: the offset of an organisation outside the catalog named right after the trigger
        as "with X" (a capitalised name that is no mention, not followed by a descriptor and a catalog
        name, "with U.S. chipmaker Nvidia"), else -1."""
        m = _WITH_AFTER.match(text, t.end)
        if m is None:
            return -1
        p = m.end()
        if any(t.end <= g.start < p for g in groups):
            return -1
        if _along_with(text, p):
            return -1
        if text.startswith("the ", p):
            p += 4
        run = _CAP_RUN.match(text, p)
        if run is None:
            return -1
        words = run.group(0).split()
        if words[0] in _NOT_ORG_CAP or run.group(0).endswith(("'s", "’s")) or text.startswith(("'s", "’s"), run.end()):
            return -1
        for g in groups:
            if p <= g.start < run.end() or g.start <= p < g.end:
                return -1
            if g.start >= run.end() and _APPOSITIVE.fullmatch(text, run.end(), g.start):
                gap_words = text[run.end():g.start].split()
                # (not "with Scale AI after Meta's investment": a clause of its own follows)
                if not any(w in _PREPS or w in ("after", "before", "following", "amid", "as", "while", "since", "when")
                           for w in gap_words):
                    return -1
        return p

    @staticmethod
    def _former(text: str, h: _Hit, korean: bool) -> bool:
        """A name that only says where someone used to work ("엔비디아 출신 엔지니어", "a former Intel
        executive", "ex-TSMC"): the company takes no part."""
        k = h.end + 1 if text[h.end:h.end + 1] == " " else h.end
        if text.startswith("출신", k) or (text.startswith(("계열사", "계열 "), k) and k > h.end):
            # (and "삼성 계열사들도": affiliates of a group, not the company the name stands for)
            return True
        if h.start >= 3:
            before = text[max(0, h.start - 7):h.start].lower()
            if before.endswith(("former ", "ex-")):
                return True
        return False

    @staticmethod
    def _separate_acts(t: _Trigger, subj: _Group, text: str, korean: bool) -> bool:
        """Named together as the subject, the parties act each on their own: "A and B each/both ...",
        "A와 B가 각각/나란히 ...", or both supply something (to a third party), which makes them
        co-suppliers, not each other's supplier."""
        if subj.end <= t.start and t.start - subj.end <= 160:
            gap = text[subj.end:t.start]
            if korean:
                if "각각" in gap or "나란히" in gap or "각자" in gap or "따로" in gap:
                    return True
            else:
                low = " " + gap.lower().replace(",", " ") + " "
                if " each " in low or " both " in low or " separately " in low or " respectively " in low \
                        or " individually " in low:
                    return True
                if any(w in _PLURAL_DEALS for w in text[t.start:t.start + 40].lower().split()[:4]):
                    # "Microsoft, Amazon strike nuclear deals", "have struck similar agreements": a deal each
                    return True
        if t.base != "supply" or t.generic is not False:
            return False
        word = text[t.start:t.end].lower()
        if korean:
            # a verb ("공급한다"), or a headline's closing noun ("A·B, C에 D 공급")
            nxt = text[t.end:t.end + 1]
            return word in _SUPPLY_VERBS_KO and (nxt in _KO_VERB_NEXT or nxt in _KO_HEADLINE_END)
        if word not in _SUPPLY_VERBS_EN and not word.startswith("deliver"):
            return False
        m = _NEXT_WORD.match(text, t.end)
        return not (m and m.group(1).lower() in _DEAL_NOUNS)

    @staticmethod
    def _with_someone_else(t: _Trigger, subj: _Group, text: str, korean: bool) -> bool:
        """Named together as the subject, the parties act with a third party outside the catalog: a
        government as the headline's topic ("美, 삼성전자·SK하이닉스 ... 철회"), an institution as partner
        ("대학과 ... 협약"), or terms each agreed with someone else ("agreed to pay the U.S. government")."""
        if korean:
            return _OTHER_TOPIC_KO.search(text, max(0, subj.start - 14), subj.start) is not None or (
                subj.end <= t.start and _KO_OUTSIDE_PARTNER_NOUN.search(text, subj.end, t.start) is not None)
        return t.generic is True and _AGREED_TO_OTHER.match(text, t.start) is not None

    @staticmethod
    def _concluded(t: _Trigger, text: str, korean: bool) -> bool:
        """A negotiation word that says the negotiations are over ("협상을 마무리", "협상 타결",
        "concluded supply negotiations")."""
        if _is_hangul(text[t.start]):
            m = _CONCLUDED_KO.match(text, t.end)
            # "협상을 마무리하지 못했다" is no conclusion
            return m is not None and _NOT_CONCLUDED_KO.match(text, m.end()) is None
        m = _CONCLUDED_EN.search(text, max(0, t.start - 60), t.start)
        return m is not None and _NOT_BEFORE_EN.search(text, max(0, m.start() - 16), m.start()) is None

    @staticmethod
    def _provides_product(t: _Trigger, text: str, korean: bool) -> bool:
        if _is_hangul(text[t.start]):
            # the object comes before the verb ("GPU 클라우드 인프라를 제공"); "TPU 제공 계약"
            return _PROVIDE_OBJ.search(text, max(0, t.start - 30), t.start) is not None
        return _PROVIDE_OBJ.search(text, t.end, t.end + 80) is not None

    @staticmethod
    def _absorbed(t: _Trigger, alive: list[_Trigger], text: str) -> bool:
        """A contract whose object is a more specific deal is that deal: a contract word right after
        another kind's trigger ("공급하는 계약", "합작법인 설립 계약") or followed by "to" and that trigger
        ("a contract to supply", "an agreement to invest in", "agreed to form a joint venture")."""
        word = text[t.start:t.end].lower()
        if word not in _CONTRACT_WORDS:
            return False
        for o in alive:
            if o is t or o.base not in ("supply", "investment", "joint_venture") or (
                    o.generic == "adopt" and text.startswith("탑재", o.start)):
                # (a contract to build in the other's product, "탑재하는 계약", is a partnership deal)
                continue
            if o.end <= t.start and t.start - o.end <= 10 and "," not in text[o.end:t.start]:
                return True
            if o.end <= t.start and t.start - o.end <= 30:
                # "공급하는 4조3천억원 규모 계약"
                m = _KO_ADNOMINAL_VERB.match(text, o.end, t.start)
                # (or the trigger is the adnominal verb itself: "사용하는 수천억원 규모 계약")
                pos = m.end() if m else (o.end + 1 if text[o.end - 1] in "는한할" and text[o.end] == " " else -1)
                if pos >= 0 and _KO_AMOUNT_GAP.fullmatch(text, pos, t.start):
                    return True
            # (the plural too: "signed agreements to supply")
            te = t.end + 1 if text.startswith("s ", t.end) else t.end
            if o.start >= te and o.start - te <= 45 and _CONTRACT_TO.fullmatch(text, te, o.start):
                return True
            if o.start >= t.end and o.start - t.end <= 70 and _UNDER_WHICH.fullmatch(text, t.end, o.start):
                # "a definitive agreement under which AMD will supply OpenAI"
                return True
            if o.start >= t.end and o.start - t.end <= 60 and _CONTRACT_WITH_FOR.fullmatch(text, t.end, o.start):
                # "a contract with B for the supply of ..."
                return True
            if o.end <= t.start and o.ci == t.ci and t.start - o.end <= 140 and \
                    _UNDER_DEAL.search(text, max(0, t.start - 40), t.start):
                # "A will deploy GPUs for B under a multibillion-dollar agreement"
                return True
        return False

    @staticmethod
    def _relative_head(t: _Trigger, groups: list[_Group], text: str) -> _Group | None:
        """Korean: the name right after the trigger's verb when that verb is adnominal
        ("공급받아 운영하는 람다", "투자한 람다", "공급하는 SK하이닉스"), else None."""
        for g in groups:
            if g.start >= t.end:
                gap = text[t.end:g.start]
                if len(gap) > 30 or not gap.endswith(" ") or _REL_STOP.search(gap):
                    return None
                toks = gap.split()
                if not toks or len(toks) > 5:
                    return None
                # the adnominal verb, possibly followed by bare modifiers ("운영하는 미국 람다",
                # "투자한 GPU 클라우드 기업 람다")
                k = len(toks) - 1
                while k > 0 and len(toks) - 1 - k < 3 and len(toks[k]) <= 5 and toks[k][-1] not in _PARTICLE_LAST \
                        and not toks[k][-1] in "는한된던운온":
                    k -= 1
                last = toks[k]
                if (last[-1] in "는한된던운온" and not last.endswith(_NOT_ADNOMINAL) and _is_hangul(last[0])) or \
                        (last.endswith(_ADNOMINAL_PAST) and k == len(toks) - 1) or \
                        (last == "인" and k == 0):
                    # ("투자자인 마이크로소프트")
                    return g
                return None
        return None

    @staticmethod
    def _terms_between(t: _Trigger, subj: _Group, groups: list[_Group], text: str) -> bool:
        """"A and B signed a letter of intent under which A will deploy ... and B intends to invest":
        the memorandum's terms name both signers, so it is between them (not co-investors in a third)."""
        if t.generic or t.kind != "mou" or not _UNDER_WHICH_AFTER.match(text, t.end):
            return False
        named = {n for g in groups if g.start > t.end for n in g.names}
        return len(named & set(subj.names)) >= 2

    @staticmethod
    def _asset_between(t: _Trigger, g: _Group, text: str, korean: bool) -> bool:
        """An asset noun between the investment trigger and the party, or right after the party in
        the genitive: "acquire Foxconn's plant", "델의 멕시코 공장을 인수", "a plant from Dell"."""
        last = g.members[-1]
        if g.start < t.start and (text[last.end:last.tail_end] in ("와", "과", "와도", "과도", "하고") or
                                  (not korean and g.members[0].prep in ("with", "alongside"))):
            # "B와 함께 ... 공장에 투자": a co-investor, not the seller of an asset
            return False
        if g.start >= t.end:
            gap = text[t.end:g.start]
            if g.members[-1].genitive or g.role == "G":
                gap += text[g.end:g.end + 30]
        else:
            gap = text[g.end:t.start]
        if len(gap) > 60:
            gap = gap[:60]
        return bool((_ASSET_KO if korean else _ASSET_EN).search(gap))

    @staticmethod
    def _remember_names(state: dict, named: list[tuple[str, ...]]) -> None:
        """_remember for a sentence that paired nothing, from the names of its mentions in order."""
        recent = state.setdefault("recent", [])
        for names in named:
            for n in names:
                if n in recent:
                    recent.remove(n)
                recent.append(n)
        ordered: list[str] = []
        for names in named:
            for n in names:
                if n not in ordered:
                    ordered.append(n)
        if len(ordered) == 2:
            state["last_pair"] = tuple(ordered)

    @staticmethod
    def _remember(state: dict, names: set[str], mentions: list[_Mention], pair) -> None:
        recent = state.setdefault("recent", [])
        for m in mentions:
            for n in m.names:
                if n in recent:
                    recent.remove(n)
                recent.append(n)
        if pair:
            state["last_pair"] = pair
            return
        ordered: list[str] = []
        for m in mentions:
            for n in m.names:
                if n not in ordered:
                    ordered.append(n)
        if len(ordered) == 2:
            state["last_pair"] = tuple(ordered)

    def _mention(self, text: str, h: _Hit, limit: int, korean: bool) -> _Mention:
        hs, _, he, typ, value = h[:5]
        m = _Mention(hs, he, he, (value,) if typ == "ent" or typ == "cue" else ())
        # particles after the name (possibly after "CEO", "회장" ...)
        k = he
        n = len(text)
        if k < n:
            c = text[k]
            if c in _TITLE_FIRST:
                k = _TITLE_WORDS.match(text, k).end()
            elif c.isspace() and k + 1 < n:
                # a title word after a space ("젠슨 황 CEO는"); anything else after the space ends the name
                c = text[k + 1]
                if c in _TITLE_FIRST or c.isspace():
                    k = _TITLE_WORDS.match(text, k).end()
        j = _HANGUL_RUN.match(text, k, limit).end() if k < limit and "\uac00" <= text[k] <= "\ud7a3" else k
        run = text[k:j]
        if run and is_particle_run(run):
            m.role = _ROLE_BY_ATOM.get(_first_atom(run), "U")
            m.tail_end = j
        elif not run and korean and text.startswith(" 등", k) and k + 2 < n and text[k + 2] in _PARTICLE_LAST:
            # "도이치텔레콤·싱텔 등과": the particle after "등" marks the listed names
            j = _HANGUL_RUN.match(text, k + 2, limit).end()
            run = text[k + 2:j]
            if is_particle_run(run):
                m.role = _ROLE_BY_ATOM.get(_first_atom(run), "U")
                m.tail_end = j
        elif k > he and not run:
            m.tail_end = k
        if not korean and he < n and text[he] in "'’":
            after = text[he:he + 2]
            m.genitive = True
            m.role = "G"
            m.tail_end = he + (2 if after[:2] in ("'s", "’s") else 1)
        if not korean or not run:
            # the Latin word right before the name (within 16 characters), as the preposition
            lo = hs - 16 if hs > 16 else 0
            nl = text.rfind("\n", hs - 60 if hs > 60 else 0, hs)
            if nl >= lo:
                lo = nl + 1     # (the title's last word is no preposition of the summary's first name)
            far = nl + 1 if nl >= 0 else (hs - 60 if hs > 60 else 0)
            i = hs
            while i > lo and text[i - 1].isspace():
                i -= 1
            j = i
            while j > lo and text[j - 1] in _ASCII_LETTERS:
                j -= 1
            if j < i:
                m.prep = text[j:i].lower()
                if m.prep in _DESCRIPTOR_HEADS:
                    d = _DESCRIPTOR_BEFORE.search(text, far, j)
                    if d is not None:
                        # "with U.S. chipmaker Broadcom": the preposition before the descriptor
                        m.prep = d.group(1).lower()
                elif m.prep in ("both", "either"):
                    # "with both Anthropic and OpenAI"
                    d = _BOTH_BEFORE.search(text, max(far, hs - 30), j)
                    if d is not None:
                        m.prep = d.group(1).lower()
                elif m.prep not in _PREPS:
                    # ("a stake in the Claude developer": the article itself is the word before)
                    d = _ARTICLE_BEFORE.search(text, max(far, hs - 40), hs if m.prep in _ARTICLES else j)
                    if d is not None:
                        # "a stake in the restructured OpenAI"
                        m.prep = d.group(1).lower()
        return m

    def _groups(self, text: str, mentions: list[_Mention], korean: bool, is_title: bool,
                clauses: list[int], clause_of, trigger_ends: tuple[int, ...] = ()) -> list[_Group]:
        # merge a name with the same organisation named right after it (company + its CEO)
        merged: list[_Mention] = []
        for m in mentions:
            if merged:
                p = merged[-1]
                gap = text[p.end:m.start]
                if ((m.names and _same_names(m.names, p.names)) or (not m.names and not p.names and gap == "(")) \
                        and len(gap) <= 24 and p.ci == m.ci \
                        and "," not in gap.replace("(", "").replace(")", "")[:0] and not _MERGE_STOP.search(gap):
                    p.end = m.end
                    p.tail_end = m.tail_end
                    if m.role != "U" or p.role == "U":
                        p.role = m.role
                    p.genitive = m.genitive
                    continue
            merged.append(m)
        groups: list[_Group] = []
        for idx, m in enumerate(merged):
            if groups:
                g = groups[-1]
                p = g.members[-1]
                gap = text[p.tail_end:m.start].strip()
                coordinated = False
                if p.ci == m.ci:
                    if p.role in ("S", "G") and p.tail_end > p.end:
                        coordinated = False
                    elif korean and p.role == "P" and gap == "" and \
                            _KO_AND_TAIL.fullmatch(text[p.end:p.tail_end].lstrip(")")):
                        # ("이재용 삼성전자 회장과 최태원 SK그룹 회장이": a title before the particle)
                        coordinated = True
                    elif korean and p.role in ("U", "G") and not p.genitive and (
                            _KO_ALIAS_GAP.fullmatch(gap) or _KO_COUNTRY_GAP.fullmatch(text[p.tail_end:m.start])):
                        # "싱텔, 이앤(e&)그룹이": a listed name known only by its alias in brackets
                        coordinated = True
                    elif gap in _COORD_GAPS and p.role in ("U", "G") and not p.genitive and \
                            (korean or not (gap == "," and m.genitive)):
                        # ("A, B's supplier": an appositive, not a list)
                        coordinated = True
                        if korean and gap == "," and is_title and (len(groups) == 1 or (
                                len(g.members) == 1 and
                                not text[clauses[p.ci]:g.start].strip(" '\"‘“[…"))) and \
                                (len(g.members) == 1 or text[p.end:p.tail_end] == ""):
                            # ("…카카오, 오픈AI와 공동 개발": each headline clause has its topic)
                            coordinated = False
                            g.role = "S"
                        elif korean and gap == "," and len(g.members) == 1 and \
                                any(g.start - 12 <= te <= g.start for te in trigger_ends) and \
                                _ADNOMINAL_BEFORE.search(text, max(0, g.start - 12), g.start):
                            # "투자한 람다, 엔비디아와 ...": the head of a relative clause, then the topic comma
                            coordinated = False
                            g.role = "S"
                    elif gap in _COORD_GAPS and not korean and p.role == "U" and not (gap == "," and m.genitive):
                        coordinated = True
                if coordinated:
                    g.members.append(m)
                    continue
            groups.append(_Group([m]))
        for g in groups:
            if len(g.members) > 1:
                g.finish()
        for g in groups:
            last = g.members[-1]
            if korean:
                if g.role != "S":
                    g.role = last.role
                if g.role == "U" and is_title:
                    # a title starting with a name followed by a comma: the topic
                    nxt = text[g.end:g.end + 2]
                    if nxt.startswith(",") and text[clauses[g.ci]:g.start].strip(" '\"‘“[") == "":
                        g.role = "S"
        if not korean:
            for gi, g in enumerate(groups):
                first, last = g.members[0], g.members[-1]
                if first.prep in _PREPS and first.prep != "and":
                    g.role = "P"
                elif first.prep == "and" and gi > 0 and groups[gi - 1].role == "P" and \
                        groups[gi - 1].ci == g.ci and \
                        not _VERBISH.match(text, g.end):
                    g.role = "P"
                elif last.genitive:
                    g.role = "G"
                else:
                    g.role = "U"
        return groups

    def _pairs_for(self, t: _Trigger, groups: list[_Group], korean: bool, clause_of, text: str,
                   invest_ctx: bool, joint3: bool, anaphor: _Group | None = None,
                   other_triggers: list[_Trigger] = (), prev_subject: str | None = None) -> list[tuple[str, str, float]]:
        ci = t.ci
        subj: _Group | None = None
        outside_only = False
        borrowed = False    # English: the subject is taken from an earlier clause
        partners: list[_Group] = []
        conf = 0.9
        if korean:
            before = [g for g in groups if g.end <= t.start or (g.start < t.start and g.end <= t.end)]
            in_clause = [g for g in before if g.ci == ci]
            if before and not in_clause and not any(g.ci == ci for g in groups) and \
                    not _KO_OTHER_PARTNER.search(text[before[-1].end:t.start].rpartition(",")[2]):
                # (not "..., 삼성SDS와는 리셀러 계약을 체결했다": a partner outside the catalog here)
                prev_ci = before[-1].ci
                in_clause = [g for g in before if g.ci == prev_ci]
            # a subject inside an earlier relative clause ("소프트뱅크가 투자한 람다가 ...") is not this
            # trigger's subject; the name that clause modifies is
            inner: set[int] = set()
            heads: set[int] = set()
            for o in other_triggers:
                if o is not t and o.end <= t.start:
                    h = o.head
                    if h is not None and h.start < t.start:
                        heads.add(id(h))
                        # (a topic, "SK텔레콤은 ... 투자한 앤트로픽과", is the sentence's, never inside the
                        # relative clause)
                        inner.update(id(g) for g in groups if g.end <= o.start and g.role == "S" and g.ci == o.ci
                                     and not text[g.members[-1].end:g.end].endswith(("은", "는")))
            if heads:
                s_in = [g for g in in_clause if (g.role == "S" and id(g) not in inner) or
                        (id(g) in heads and g.role in ("S", "U"))]
                s_all = [g for g in before if (g.role == "S" and id(g) not in inner) or
                         (id(g) in heads and g.role in ("S", "U"))]
            else:
                s_in = [g for g in in_clause if g.role == "S"]
                s_all = [g for g in before if g.role == "S"] if not s_in else s_in
            if s_in:
                subj = s_in[-1]
            elif s_all:
                subj = s_all[-1]
            elif before and before[0].role in ("U",) and before[0] not in in_clause[-1:]:
                subj = before[0]
            if subj is not None and subj.role != "S" and t.base != "joint_venture" and \
                    _KO_OFFICIAL_SUBJECT.search(text, max(0, subj.start - 80), subj.start):
                # "과기정통부 장관, 오픈AI 임원 접견 이어 앤트로픽과도 면담": the official meets each of them
                subj = None
            lower = -1
            for o in other_triggers:
                if o.end <= t.start and o.base != t.base and o.ci == ci:
                    lower = max(lower, o.end)
            for role in ("P", "U", "G"):
                partners = [g for g in in_clause if g is not subj and g.role == role]
                if role == "U" and partners and subj is not None:
                    # (not the subject of another verb before ours: "A·B 참여, C는 철회")
                    partners = [g for g in partners if not any(
                        g.end <= o.start and o.end <= subj.start for o in other_triggers if o is not t)]
                if lower >= 0 and any(g.start >= lower for g in partners):
                    partners = [g for g in partners if g.start >= lower]
                if partners:
                    break
            # (not "이재명 대통령이 ... 회장, 회장과 간담회": each meets the official, not one another)
            official = subj is None and partners and t.base != "joint_venture" and \
                _KO_OFFICIAL_SUBJECT.search(text, max(0, partners[0].start - 80), partners[0].start)
            if subj is None and len(partners) >= 2 and not official:
                subj, partners = partners[0], partners[1:]
                conf = 0.75
            elif subj is None and len(partners) == 1 and len(partners[0].names) >= 2 and not official:
                subj, partners = partners[0], []
            if subj is None and len(partners) == 1 and prev_subject is not None and t.kind == "talks" and \
                    prev_subject not in partners[0].names:
                # the subject left unsaid: the topic of the sentence before
                subj = _Group([_Mention(t.start, t.start, t.start, (prev_subject,), "S", ci=t.ci)], "S")
                conf = 0.75
            if subj is None and not partners and in_clause:
                subj = in_clause[-1]
            head = t.head
            if head is not None:
                # "엔비디아로부터 GPU를 공급받아 운영하는 람다": the trigger's verb modifies the name after
                # it, which is its subject; its partner is a name marked as partner inside the clause
                # (or, for "A가 투자한 B", the subject there).  The sentence subject is not involved.
                rel = [g for g in in_clause if g is not head and g.end <= t.start]
                ps = [g for g in rel if g.role == "P"]
                subj, partners = head, (ps or [g for g in rel if g.role == "S"][-1:] or
                                        # "앤트로픽의 주요 투자자인 구글"
                                        [g for g in rel if g.role == "G" and t.start - g.end <= 12][-1:])
                conf = 0.8
            if subj is not None and not partners and anaphor is not None and \
                    not set(anaphor.names) & set(subj.names):
                partners = [anaphor]
                conf = 0.7
        else:
            in_clause = [g for g in groups if g.ci == ci]
            before = [g for g in in_clause if g.end <= t.start]
            after = [g for g in in_clause if g.start >= t.end]
            outside_only = False
            near_after = text[t.end:t.end + 60]
            if "with " in near_after or "from " in near_after:
                outside = self._outside_partner(t, groups, text)
                if outside >= 0:
                    # "a contract with IREN for access to Nvidia chips": IREN is the counterparty
                    after = [g for g in after if g.start < outside]
                    outside_only = not after
            customer = None
            if t.generic == "adopt" and text[t.start:t.start + 6].lower() == "deploy":
                # "A will deploy Nvidia GPUs for B": A serves B; the GPUs are what is deployed
                for g in after:
                    if g.members[0].prep == "for" and not g.foreign and len(text[t.end:g.start].split()) <= 12:
                        customer = g
                        break
            # partner after the trigger: a prepositional object or the direct object
            direct = None
            to_for = t.base == "supply" and any(
                g.members[0].prep in ("to", "for") and len(text[t.end:g.start].split()) <= 10 for g in after)
            for g in after:
                words = len(text[t.end:g.start].split())
                if to_for and g.role == "P" and g.members[0].prep in ("with", "on", "using", "featuring"):
                    # "ship servers with AMD chips to Oracle": a component, the buyer follows
                    continue
                if g.role == "P" and (words <= 10 or (words <= 15 and _AMOUNT.search(text, t.end, g.start))):
                    # (amounts count no words: "invest up to $5 billion and Nvidia up to $10 billion in")
                    if g.foreign and _along_with(text, g.start):
                        continue
                    if not g.foreign:
                        partners = [g]
                    else:
                        # "orders from Mercedes-Benz": the counterparty is outside the catalog
                        outside_only = True
                    direct = None
                    break
                if direct is None and (words <= 2 or (t.generic == "adopt" and words <= 5 and (
                        g.members[-1].genitive or _ADOPT_NEXT.match(text, g.end)))):
                    # ("use up to 1 million Google TPUs")
                    direct = g
                if words > 15:
                    break
            if not partners and direct is not None and not direct.foreign:
                partners = [direct]
                if t.kind == "talks":
                    # "met Apple's Tim Cook in Cupertino and Mark Zuckerberg at Meta": every one met
                    for g in after:
                        # (counted from the one met before: "A's X, B's Y, C's Z and D's W")
                        if g.start > direct.end and g.members[0].prep == "and" and not g.foreign and \
                                len(text[partners[-1].end:g.start].split()) <= 8 and not _VERBISH.match(text, g.end) \
                                and not any(direct.end <= o.start < g.start for o in other_triggers):
                            partners.append(g)
                if t.generic == "adopt" and direct.members[-1].genitive:
                    # "makes Nvidia's accelerators and Apple's processors": every owner named so
                    for g in after:
                        if g.start > direct.end and g.members[-1].genitive and g.members[0].prep == "and" \
                                and len(text[direct.end:g.start].split()) <= 6 and not g.foreign:
                            partners.append(g)
            if not partners and t.base == "investment":
                for g in after:
                    if len(text[t.end:g.start].split()) <= 8 and not g.foreign and _STOCK_AFTER.match(text, g.end):
                        # "buy $2 billion of newly issued Intel common stock"
                        partners = [g]
                        break
            gen_adjacent = None
            if before and before[-1].role == "G" and len(text[before[-1].end:t.start].split()) <= 2:
                gen_adjacent = before[-1]
            elif before and before[-1].role == "U" and len(before) + (ci > 0) >= 2 and not t.generic:
                b = before[-1]
                gap = text[b.end:t.start]
                if len(gap.split()) <= 2 and not _UPPER.search(gap) and "," not in gap and \
                        _VERB_BEFORE_ADJUNCT.search(text, max(0, b.start - 20), b.start):
                    # "drops Perplexity talks", "take Intel stake", "signs Nvidia chip deal": the name
                    # before the noun is its counterparty
                    gen_adjacent = b
                    if not partners or all(g.start > t.end + 1 for g in partners):
                        partners = [b]
            cands = [g for g in before if g.role != "P" and g is not gen_adjacent]
            if text[t.end - 3:t.end].lower() == " by" and before:
                cands = [before[-1]]
            near = text[max(0, t.start - 16):t.start]
            infinitive = ("to " in near and _TO_BEFORE.search(near) is not None) or (
                bool(cands) and _has_to_verb(text[cands[-1].end:t.start]))
            nxt = next((g for g in before if g.start >= cands[0].end), None) if cands else None
            if infinitive and cands and not partners and not (
                    nxt is not None and _LIST_GAP_EN.fullmatch(text, cands[0].end, nxt.start)):
                # "A met B and C to discuss ...": the subject of the main verb, its objects the partners
                # (not "selected A Cloud, B and C to procure GPUs": a list of those who will)
                subj = cands[0]
                partners = [g for g in before if g is not subj and not g.foreign]
                cands = [subj]
            if cands and ci > 0 and cands[-1].ci == ci:
                m_rel = _RELATIVE_RESUMED.search(text, max(0, t.start - 200), t.start)
                if m_rel is not None:
                    # "Microsoft, which has backed Sam Altman's company, also took part": the verb after
                    # the relative clause is the antecedent's
                    ante = [g for g in groups if g.end == m_rel.start()]
                    if ante:
                        cands = ante
            if cands:
                subj = cands[-1]
                if gen_adjacent is not None and subj is not gen_adjacent and \
                        _AFTER_EVENT.search(text, subj.end, gen_adjacent.start) and \
                        any(subj.end <= o.start < gen_adjacent.start for o in other_triggers if o is not t):
                    # "A and B cut ties with X after Meta's investment": Meta's deal is an event of its
                    # own, with someone unnamed
                    return []
            elif gen_adjacent is not None and partners:
                subj = gen_adjacent
            elif ci > 0:
                # (not across a semicolon: "clears Microsoft's hiring of X; Amazon's Adept deal" are two
                # pieces of news)
                earlier = [g for g in groups if g.ci < ci and g.role != "P" and ";" not in text[g.end:t.start]]
                antecedent = [g for g in groups if g.ci < ci and g.end <= t.start and
                              _WHICH_AFTER.match(text, g.end)]
                if antecedent:
                    # "..., in Anthropic, which in turn committed to purchase": the name before "which";
                    # "..., which would use": what a deal would bring, not a deal
                    m_which = _WHICH_AFTER.match(text, antecedent[-1].end)
                    if not text.startswith(("would ", "could ", "might ", "may "), m_which.end()):
                        subj = antecedent[-1]
                        conf = 0.8
                elif earlier:
                    subj = earlier[0]
                    conf = 0.75
                    borrowed = True
                    cut = text.rfind(",", max(0, t.start - 160), t.start)
                    if cut >= 0 and _HE_CLAUSE.match(text, cut):
                        # "..., Intel CEO Lip-Bu Tan said, where he also announced an MOU": the speaker
                        speaker = [g for g in groups if g.ci < ci and _SAID_AFTER.match(text, g.end)]
                        if speaker:
                            subj = speaker[-1]
                    if text.startswith("as ", t.start) and len(earlier) >= 2 and not partners:
                        # "Intel lands Microsoft as a foundry customer": the object of the main verb
                        partners = [earlier[-1]]
                    elif not partners and _WITH_DESCRIPTION.match(text, t.end):
                        # "... from SK Telecom and signed a partnership with the South Korean carrier":
                        # the one named before
                        partners = [g for g in groups if g.ci < ci and g is not subj and not g.foreign][-1:]
            if not partners:
                if gen_adjacent is not None and gen_adjacent is not subj:
                    partners = [gen_adjacent]
                else:
                    others = [g for g in before if g is not subj]
                    if others and subj is not None and t.base == "supply" and t.generic != "joint" and \
                            _LIST_GAP_EN.fullmatch(text, others[-1].end, subj.start):
                        # "selected Naver Cloud, Kakao and NHN Cloud to procure GPUs": names listed
                        # together each act, none supplies another
                        others = []
                    if others and not (subj is not None and (" and " in text[others[-1].end:subj.start] or (
                            _AFTER_EVENT.search(text, others[-1].end, subj.start))) and any(
                            others[-1].end <= o.start and o.end <= subj.start
                            for o in other_triggers if o is not t and o.kind != "talks")):
                        # (not the subject of another verb: "SoftBank bought shares and Nvidia took a
                        # stake")
                        partners = [others[-1]]
                        conf = 0.75
                    elif subj is None:
                        others_all = [g for g in groups if g.end <= t.start and g is not subj]
                        if len(others_all) >= 2:
                            subj, partners = others_all[0], [others_all[-1]]
                            conf = 0.7
            if subj is None and partners and len(partners[0].names) >= 2 and partners[0].members[0].prep == "between":
                subj, partners = partners[0], []
            if subj is not None and subj.names and partners and \
                    _all_within(partners, subj.names):
                # the only "partner" is the subject again ("..., Hon Hai said"): look before the trigger
                partners = [g for g in before if g is not subj and not g.foreign and set(g.names) - set(subj.names)][-1:]
                conf = 0.75
            if subj is not None and not partners and anaphor is not None:
                partners = [anaphor]
                conf = 0.7
        if subj is None and not korean and t.base == "joint_venture":
            # "the joint venture that Hyundai Motor and SK On set up": the pair named in its relative clause
            rel = [g for g in groups if g.ci == ci and g.start >= t.end and g.names and
                   _THAT_BEFORE.fullmatch(text, t.end, g.start)]
            if rel:
                # (or "that Hyundai Motor formed with SK On")
                withs = [g for g in groups if g.ci == ci and g.start > rel[0].end and g.names and
                         g.members[0].prep == "with" and len(text[rel[0].end:g.start].split()) <= 4]
                if len(rel[0].names) >= 2 or withs:
                    subj, partners = rel[0], withs[:1]
        if subj is None and not korean and t.base == "supply":
            # "HBM4 will be supplied by SK hynix to Nvidia": the agent after "by" supplies the other
            agent = [g for g in groups if g.ci == ci and g.start >= t.end and g.members[0].prep == "by"
                     and not g.foreign and len(text[t.end:g.start].split()) <= 3]
            if agent:
                rest = [g for g in groups if g.ci == ci and g.start > agent[0].end and not g.foreign and
                        g.members[0].prep in ("to", "for") and len(text[agent[0].end:g.start].split()) <= 6]
                if rest:
                    subj, partners, conf = agent[0], rest[:1], 0.8
        out: list[tuple[str, str, float]] = []
        if subj is None:
            return out
        if not korean and outside_only:
            # "Google's talks with Kairos Power": the counterparty is outside the catalog
            return out
        if not korean and text[t.start:t.end].lower() in _DIRECT_OBJECT_ONLY:
            # "courts Apple", not "courts customers that rely on Nvidia"
            partners = [g for g in partners if g.start >= t.end and not text[t.end:g.start].strip()]
            if not partners:
                return out
        if t.generic == "adopt" and not korean and customer is not None:
            partners = [customer]
        elif t.generic == "adopt" and not korean:
            made_for = ()
            if text[t.start:t.end].lower() in _MAKE_WORDS:
                # "makes Nvidia's accelerators" or "makes custom chips for Google and Meta", not "makes a
                # bet on OpenAI"
                made_for = [g for g in partners if g.members[0].prep == "for" and g.start > t.end and
                            _PRODUCT_EN.search(text, t.end, g.start)]
                partners = [g for g in partners if g.members[-1].genitive or g in made_for]
            # money received or used is no product ("received $500 million from SoftBank")
            if text[t.start:t.start + 4].lower() == "rece":
                partners = [g for g in partners if g.start < t.end or not _MONEY.search(text, t.end, g.start)]
            partners = [g for g in partners if g.start >= t.end and (
                g.members[-1].genitive or g.members[0].prep in ("from", "through", "via") or
                _ADOPT_NEXT.match(text, g.end) or g in made_for)]
            if not partners and not made_for:
                # "buy $30 billion of Azure capacity from Microsoft": the brand is what is bought, the
                # seller follows
                partners = [g for g in after if g.members[0].prep == "from" and not g.foreign and
                            len(text[t.end:g.start].split()) <= 15][:1]
            if not partners:
                return out
        if (t.base == "investment" or (t.generic == "adopt" and (korean or text[t.start:t.end].lower() in _BUY_WORDS))) \
                and partners:
            # buying a plant/unit from a company is not investing in it (nor being supplied by it)
            partners = [g for g in partners if not self._asset_between(t, g, text, korean)]
            if not partners and not joint3:
                return out
        s_names = subj.names
        p_names: list[str] = []
        if not korean and t.base == "investment" and partners and partners[0].start > t.end:
            # "Microsoft will invest up to $5 billion and Nvidia up to $10 billion in Anthropic"
            for g in groups:
                if t.end <= g.start < partners[0].start and g.members[0].prep == "and" and \
                        _GAPPED_AMOUNT.match(text, g.end) and not g.foreign:
                    s_names = tuple(dict.fromkeys(tuple(s_names) + tuple(g.names)))
        if not korean and t.base == "investment" and partners and len(partners[-1].members) >= 2:
            last = partners[-1].members[-1]
            if _GAPPED_AMOUNT.match(text, last.tail_end) and \
                    text[partners[-1].members[-2].tail_end:last.start].strip(" ,") == "and":
                # "invest $5 billion in Anthropic and Nvidia up to $10 billion": Nvidia invests too
                s_names = tuple(dict.fromkeys(tuple(s_names) + tuple(last.names)))
                partners = partners[:-1] + [_Group(partners[-1].members[:-1]).finish()]
        for g in partners:
            for n in g.names:
                if n not in p_names:
                    p_names.append(n)
        if joint3 and not (korean and t.head is not None):
            # (not "엔비디아에 납품해온 SK하이닉스, 마이크론과 함께 메모리 3사가": the verb of a relative
            # clause is its head's alone)
            everyone = list(dict.fromkeys(s_names + p_names))
            for i, a in enumerate(everyone):
                for b in everyone[i + 1:]:
                    out.append((a, b, conf))
            return out
        if p_names:
            for a in s_names:
                for b in p_names:
                    if a != b:
                        out.append((a, b, conf))
            if (t.base == "joint_venture" or ((t.generic == "joint" or (
                    t.generic is False and t.kind in ("mou", "agreement"))) and (_TOGETHER.search(
                    # ("A와 함께 ... 개발", "developed jointly with B and C")
                    text, max(0, min(partners[0].start, t.start) - 5),
                    min(len(text), max(t.start + 2, partners[0].start))) or (
                    # (a memorandum that forms an alliance of all of them)
                    t.kind == "mou" and _ALLIANCE.search(text, max(0, t.start - 120), t.start))))) and \
                    len(p_names) >= 2 and len(partners) == 1 and \
                    not _SEPARATELY.search(text, max(0, partners[0].start - 30), min(len(text), max(t.end, partners[0].end) + 30)) and \
                    not text[t.start:t.end].lower().endswith("s"):
                # "A는 B, C와 함께 합작사를 세웠다", "B·C 등과 합작법인을 세운 A": one joint venture of
                # all three (not "B, C와 각각")
                for i, a in enumerate(p_names):
                    for b in p_names[i + 1:]:
                        out.append((a, b, conf * 0.95))
        elif len(s_names) >= 2 and t.generic != "adopt" and not subj.listing and \
                not (not korean and t.base == "supply" and _SUPPLY_VERB.fullmatch(text, t.start, t.end)) and \
                not (t.kind == "talks" and (_KO_JOIN_AFTER.match(text, t.end) if korean else _TALKS_TO_JOIN.match(text, t.end))) and \
                not (korean and t.kind == "ended" and _KO_OTHER_ENDED.search(text, max(0, t.start - 8), t.start)) and \
                not (borrowed and t.base != "joint_venture" and t.generic != "joint") and \
                not self._separate_acts(t, subj, text, korean) and \
                not self._with_someone_else(t, subj, text, korean) and (
                t.base == "joint_venture" or t.generic == "joint" or (t.kind == "ended" and (
                    not korean or subj.role == "S" or any(0 <= o.start - subj.end <= 2 for o in other_triggers))) or
                (t.base != "investment" and (not invest_ctx or self._terms_between(t, subj, groups, text))) or (
                t.base == "investment" and not partners and _JOINT_INVEST.search(text, max(0, t.start - 12), t.start)
                and not text.startswith(("참여", "particip"), t.start)
                and not _THIRD_COMPANY_KO.search(text, max(0, t.start - 30), t.start))):
            # (co-investors are paired only when they invest together in something of their own:
            # "1조원을 공동 투자해 연구소를 짓는다", "will jointly invest $2 billion in a new fab")
            for i, a in enumerate(s_names):
                for b in s_names[i + 1:]:
                    out.append((a, b, conf * 0.95))
        return out

    # ----------------------------------------------------------------------------------------
    @staticmethod
    def _aggregate(found: dict) -> list[Detection]:
        by_pair: dict[tuple[str, str], dict[str, tuple[float, str, bool]]] = {}
        for (pair, kind), v in found.items():
            by_pair.setdefault(pair, {})[kind] = v
        out: list[Detection] = []
        for pair, kinds in by_pair.items():
            specific = {k: v for k, v in kinds.items() if v[2] == 0}
            if "ended" in specific:
                keep = {"ended": specific["ended"]}
                ended_ev = keep["ended"][1]
                for kind, words in _OTHER_DEAL_WORDS.items():
                    v = specific.get(kind)
                    if v is not None and v[1] != ended_ev and not words.search(ended_ev) and \
                            not _ENDED_OR_DISPUTED.search(v[1]):
                        # a deal told as fact next to the end of something else ("합작사 추진 부인" over
                        # "...를 테슬라에 공급하고 있다"): a deal of its own
                        keep[kind] = v
            else:
                keep = dict(specific)
                joint = {k: v for k, v in kinds.items() if v[2] == 1}
                if "agreement" in joint and not (set(keep) & {"mou", "agreement", "supply", "joint_venture"}):
                    keep["agreement"] = joint["agreement"]
                elif "talks" in joint and not keep:
                    # "plan to jointly develop": a joint act announced as a plan
                    keep["talks"] = joint["talks"]
                adopt = kinds.get("supply")
                if adopt is not None and adopt[2] == 3 and "supply" not in keep and \
                        not (set(keep) & {"mou", "agreement"}):
                    # adopting the other's product, with no licence or partnership deal it is part of
                    keep["supply"] = adopt
                if not (set(keep) & SIGNED):
                    vague = {k: v for k, v in kinds.items() if v[2] == 2}
                    if "mou" in vague:
                        keep["mou"] = vague["mou"]
                    elif "supply" in vague:
                        # a supplier picked ("taps AMD for chips")
                        keep["supply"] = vague["supply"]
                    elif "agreement" in vague and "talks" not in keep:
                        # (not "회동…'동맹' 다진다": a meeting that speaks of an alliance is a meeting)
                        keep["agreement"] = vague["agreement"]
                    elif "talks" in vague and not keep:
                        keep = {"talks": vague["talks"]}
                if set(keep) & SIGNED:
                    keep.pop("talks", None)
            for kind, (conf, ev, _) in keep.items():
                out.append(Detection(pair, kind, round(max(0.0, min(1.0, conf)), 2), ev))
        if len(out) > 1:
            out.sort(key=lambda d: (d.parties, _KIND_RANK[d.kind]))
        return out

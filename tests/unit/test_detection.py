import json
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.domain.catalog import Catalog, Entity
from tracker.domain.detection import KINDS, Detection, Detector

FIXTURES = Path(__file__).parents[1] / "fixtures" / "detection_cases.jsonl"
HELDOUT = Path(__file__).parents[1] / "fixtures" / "detection_heldout.jsonl"
HELDOUT2 = Path(__file__).parents[1] / "fixtures" / "detection_heldout2.jsonl"
HELDOUT3 = Path(__file__).parents[1] / "fixtures" / "detection_heldout3.jsonl"
HELDOUT4 = Path(__file__).parents[1] / "fixtures" / "detection_heldout4.jsonl"
HELDOUT5 = Path(__file__).parents[1] / "fixtures" / "detection_heldout5.jsonl"
DEV = Path(__file__).parents[2].parent / "shared" / "eval" / "dev"


@pytest.fixture(scope="module")
def det():
    return Detector()


def events(det, title, summary=""):
    return {(d.parties, d.kind) for d in det.detect(title, summary)}


def _prf(gold: dict, pred: dict):
    tp = fp = fn = itp = ifp = 0
    for i, g in gold.items():
        p = pred.get(i, set())
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        itp += bool(g) and bool(p)
        ifp += (not g) and bool(p)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    item_p = itp / (itp + ifp) if itp + ifp else 1.0
    return f1, item_p


def _gold_set(evs):
    return {(tuple(sorted(e["parties"])), e["kind"]) for e in evs}


# ---- contract ------------------------------------------------------------------------------

def test_detection_shape(det):
    out = det.detect("SK하이닉스, 엔비디아에 HBM3E 공급", "SK하이닉스가 엔비디아에 HBM3E를 공급한다고 밝혔다.")
    assert out and all(isinstance(d, Detection) for d in out)
    d = out[0]
    assert d.parties == ("Nvidia", "SK hynix") and d.kind == "supply"
    assert 0.0 <= d.confidence <= 1.0 and "공급" in d.evidence
    assert det.version


def test_deterministic_and_pure(det):
    t, s = "Samsung, ASML sign MOU", "Samsung Electronics and ASML signed a memorandum of understanding."
    assert det.detect(t, s) == det.detect(t, s) == Detector().detect(t, s)


def test_empty_input(det):
    assert det.detect("", "") == []
    assert det.detect("엔비디아", "") == []


# ---- aliases -------------------------------------------------------------------------------

@pytest.mark.parametrize("title,summary", [
    ("삼성전자, 언어 모델 공동 개발 착수", "삼성전자가 대학들과 언어 모델을 공동 개발하는 계약을 맺었다."),
    ("SK텔레콤, 암 진단 AI 공동 개발 계약", "SK텔레콤이 병원과 암 진단 모델을 공동 개발하는 계약을 체결했다."),
    ("MS-DOS 40주년… 네이버 전시회", "네이버가 MS-DOS 출시 40주년 기념 전시회를 연다."),
    ("메타버스 플랫폼에 구글 지도 연동", "구글이 메타버스 서비스와 지도를 연동한다."),
    ("폐암 진단 AI, 엔비디아 GPU로 학습", "국내 병원이 폐암 진단 모델을 엔비디아 GPU로 학습시켰다."),
    ("MSCI 편입 기대에 카카오·네이버 강세", "카카오와 네이버가 MSCI 편입 기대감에 올랐다."),
    ("Meta-analysis of 30 studies on Apple Watch accuracy", "A meta-analysis found the arm band sensors accurate."),
])
def test_short_aliases_inside_words_do_not_make_events(det, title, summary):
    assert det.detect(title, summary) == []


def test_longest_alias_wins(det):
    got = events(det, "SKT, 앤트로픽과 AI 업무협약 체결", "SKT는 앤트로픽과 업무협약을 맺었다.")
    assert got == {(("Anthropic", "SK Telecom"), "mou")}
    got = events(det, "SK하이닉스·인텔, HBM 공급 계약", "SK하이닉스가 인텔에 HBM을 공급하는 계약을 맺었다.")
    assert got == {(("Intel", "SK hynix"), "supply")}


def test_english_case_and_possessive(det):
    got = events(det, "Arm signs licensing deal with Samsung",
                 "Arm said Samsung Electronics' foundry will license Arm's latest CPU designs under a multiyear agreement.")
    assert (("Arm", "Samsung Electronics"), "agreement") in got
    assert det.detect("An arm of the dell valley apple farm", "") == []


def test_standalone_short_alias_is_matched(det):
    got = events(det, "삼성전자, 델에 AI 서버용 메모리 공급", "삼성전자가 델에 AI 서버용 메모리를 공급한다.")
    assert got == {(("Dell", "Samsung Electronics"), "supply")}


def test_people_stand_for_their_company(det):
    got = events(det, "손정의, 샘 올트먼과 도쿄서 회동", "손정의 회장이 샘 올트먼 CEO와 만나 AI 협력을 논의했다.")
    assert got == {(("OpenAI", "SoftBank"), "talks")}


def test_extra_entity_detected_without_code_change():
    det = Detector(Catalog(extra=[Entity("Rebellions", ("리벨리온",), ("박성현",))]))
    got = {(d.parties, d.kind) for d in det.detect("리벨리온, SK텔레콤과 AI 칩 공급 계약",
                                                   "리벨리온이 SK텔레콤에 AI 추론 칩을 공급하는 계약을 맺었다.")}
    assert got == {(("Rebellions", "SK Telecom"), "supply")}


# ---- kinds and hard negatives ----------------------------------------------------------------

@pytest.mark.parametrize("title,summary,expected", [
    ("Micron, Nvidia", "Micron and Nvidia signed a letter of intent on HBM4 cooperation.", "mou"),
    ("현대차·LG에너지솔루션 합작법인 설립", "현대자동차와 LG에너지솔루션이 배터리 합작법인을 세우기로 했다.", "joint_venture"),
    ("Amazon invests in Anthropic", "Amazon will invest $4 billion in Anthropic.", "investment"),
    ("Kakao ends partnership talks with OpenAI", "Kakao has ended discussions with OpenAI.", "ended"),
    ("퀄컴 \"인텔 인수 검토한 적 없다\"", "퀄컴은 인텔 인수를 검토한 적이 없다고 공식 부인했다.", "ended"),
    ("네이버, 인텔과 AI 칩 협력 논의", "네이버가 인텔과 만나 AI 칩 협력 방안을 논의했다.", "talks"),
])
def test_kind_comes_from_the_act(det, title, summary, expected):
    kinds = {k for _, k in events(det, title, summary)}
    assert kinds == {expected}


@pytest.mark.parametrize("title,summary", [
    ("Samsung and SK hynix compete for Nvidia HBM4 orders", "Samsung Electronics and SK hynix are racing to win Nvidia's HBM4 orders."),
    ("Analysts expect Micron to win Apple orders", "Analysts say Micron could supply memory to Apple next year."),
    ("삼성전자, 엔비디아 공급 가능성 커져", "증권가는 삼성전자가 엔비디아에 HBM을 공급할 가능성이 높다고 전망했다."),
    ("Tesla sues Samsung over chip defects", "Tesla filed a lawsuit against Samsung Electronics in a California court."),
    ("KT, 팔란티어와 AI 파트너십", "KT가 팔란티어와 전략적 파트너십 계약을 맺었다."),
    ("Intel unveils new Gaudi chip", "Intel launched its new AI accelerator, competing with Nvidia and AMD."),
    ("SK하이닉스, 엔비디아와 손잡나", "SK하이닉스가 엔비디아의 공급사가 될 수 있다는 관측이 나온다."),
])
def test_hard_negatives(det, title, summary):
    assert det.detect(title, summary) == []


def test_signed_stage_suppresses_talks(det):
    got = events(det, "LG전자, MS와 만나 업무협약", "LG전자는 마이크로소프트와 만나 협력 방안을 논의하고 업무협약을 체결했다.")
    assert got == {(("LG Electronics", "Microsoft"), "mou")}


def test_joint_act_gives_all_pairs_but_bilateral_deals_do_not(det):
    got = events(det, "OpenAI, Oracle and SoftBank form joint venture",
                 "OpenAI, Oracle and SoftBank set up a joint venture to build data centres.")
    assert got == {(("OpenAI", "Oracle"), "joint_venture"), (("OpenAI", "SoftBank"), "joint_venture"),
                   (("Oracle", "SoftBank"), "joint_venture")}
    got = events(det, "엔비디아, 네이버·카카오에 GPU 공급", "엔비디아는 네이버와 카카오에 각각 GPU를 공급한다고 밝혔다.")
    assert got == {(("Naver", "Nvidia"), "supply"), (("Kakao", "Nvidia"), "supply")}


def test_co_investors_are_not_paired(det):
    got = events(det, "Nvidia and Microsoft invest in Perplexity",
                 "Nvidia and Microsoft will invest in Perplexity's new funding round.")
    assert (("Microsoft", "Nvidia"), "investment") not in got
    assert (("Nvidia", "Perplexity"), "investment") in got


def test_all_kinds_are_known(det):
    for line in FIXTURES.read_text(encoding="utf-8").splitlines():
        it = json.loads(line)
        for d in det.detect(it["title"], it["summary"]):
            assert d.kind in KINDS and d.parties == tuple(sorted(d.parties))


# ---- labelled sets ---------------------------------------------------------------------------

def test_own_fixture_set_scores(det):
    gold, pred = {}, {}
    for line in FIXTURES.read_text(encoding="utf-8").splitlines():
        it = json.loads(line)
        gold[it["id"]] = _gold_set(it["events"])
        pred[it["id"]] = {(d.parties, d.kind) for d in det.detect(it["title"], it["summary"], it.get("lang"))}
    assert len(gold) >= 60
    f1, item_p = _prf(gold, pred)
    assert f1 >= 0.9, f1
    assert item_p >= 0.97, item_p


def _score_file(det, path):
    gold, pred = {}, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            it = json.loads(line)
            gold[it["id"]] = _gold_set(it["events"])
            pred[it["id"]] = {(d.parties, d.kind) for d in det.detect(it["title"], it["summary"], it.get("lang"))}
    return gold, pred


def test_heldout_set_scores(det):
    # written blind (before looking at the detector's output on it); at least 40% hard negatives
    gold, pred = _score_file(det, HELDOUT)
    assert len(gold) >= 60
    assert sum(1 for g in gold.values() if not g) >= 0.4 * len(gold)
    f1, item_p = _prf(gold, pred)
    assert f1 >= 0.95, f1
    assert item_p >= 0.97, item_p


def test_second_heldout_batch_floor(det):
    # written blind after rules-2 (blind score: event F1 0.852, item precision 0.952)
    gold, pred = _score_file(det, HELDOUT2)
    assert len(gold) >= 35
    f1, item_p = _prf(gold, pred)
    assert f1 >= 0.9, f1
    assert item_p >= 0.95, item_p


def test_dev_set_score_floor(det):
    if not DEV.is_dir():
        pytest.skip("shared dev set not present")
    gold = {}
    for line in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            o = json.loads(line)
            gold[o["id"]] = _gold_set(o["events"])
    pred = {}
    for line in (DEV / "items.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            it = json.loads(line)
            pred[it["id"]] = {(d.parties, d.kind) for d in det.detect(it["title"], it["summary"], it.get("lang"))}
    f1, item_p = _prf(gold, pred)
    assert f1 >= 0.93, f1
    assert item_p >= 0.97, item_p


# ---- one deal, one kind ----------------------------------------------------------------------

@pytest.mark.parametrize("title,summary,expected", [
    ("Samsung wins HBM order from AMD", "Samsung Electronics signed a $3 billion contract to supply HBM3E to AMD.",
     {(("AMD", "Samsung Electronics"), "supply")}),
    ("Oracle inks agreement to invest in Lambda",
     "Oracle signed an agreement to invest $500 million in Lambda, the GPU cloud provider.",
     {(("Lambda", "Oracle"), "investment")}),
    ("LG전자·퀄컴, 합작법인 설립 계약 체결", "LG전자와 퀄컴이 차량용 반도체 합작법인 설립 계약을 체결했다.",
     {(("LG Electronics", "Qualcomm"), "joint_venture")}),
    ("카카오, 퍼플렉시티와 투자 계약", "카카오가 퍼플렉시티와 1억달러 규모 지분 투자 계약을 체결했다.",
     {(("Kakao", "Perplexity"), "investment")}),
    ("인텔, 마이크론과 메모리 공급 계약", "인텔이 마이크론과 서버용 D램 공급 계약을 맺었다.",
     {(("Intel", "Micron"), "supply")}),
    ("Meta signs cloud deal with Oracle", "Meta agreed to a multiyear cloud computing contract with Oracle.",
     {(("Meta", "Oracle"), "supply")}),
])
def test_contract_for_a_specific_deal_is_that_deal(det, title, summary, expected):
    assert events(det, title, summary) == expected


def test_expanded_partnership_next_to_a_concrete_deal_adds_nothing(det):
    got = events(det, "Google and Anthropic deepen cloud partnership with TPU deal",
                 "Anthropic will use up to one million Google TPUs under a new cloud deal, as the two companies "
                 "deepen their partnership.")
    assert got == {(("Anthropic", "Google"), "supply")}
    got = events(det, "KT, 마이크로소프트와 파트너십 확대…GPU 공급 계약",
                 "KT가 마이크로소프트로부터 GPU 클라우드를 공급받는 계약을 맺고 양사 파트너십을 확대하기로 했다.")
    assert got == {(("KT", "Microsoft"), "supply")}
    # alone, an expanded partnership is still the pair's agreement
    got = events(det, "Microsoft expands partnership with Meta",
                 "Microsoft and Meta expanded their partnership on open AI models, the companies said.")
    assert got == {(("Meta", "Microsoft"), "agreement")}


@pytest.mark.parametrize("title,summary", [
    ("Tesla buys Samsung's Texas fab", "Tesla agreed to acquire Samsung Electronics' chip plant in Texas for $2 billion."),
    ("델, 슈퍼마이크로 서버 사업부 인수", "델이 슈퍼마이크로의 서버 사업부를 인수하기로 했다."),
    ("Apple acquires a plant from Foxconn", "Apple will acquire an assembly plant in India from Foxconn."),
])
def test_buying_assets_from_a_company_is_not_investing_in_it(det, title, summary):
    assert det.detect(title, summary) == []


def test_buying_a_stake_is_still_investment(det):
    assert events(det, "IBM acquires stake in Naver", "IBM agreed to acquire a 5% stake in Naver.") == \
        {(("IBM", "Naver"), "investment")}
    assert events(det, "애플, 브로드컴 지분 인수", "애플이 브로드컴 지분 3%를 인수했다.") == \
        {(("Apple", "Broadcom"), "investment")}


@pytest.mark.parametrize("title,summary,expected", [
    ("카카오, 엔비디아 GPU 쓰는 람다에 투자", "카카오가 엔비디아로부터 GPU를 공급받아 클라우드를 운영하는 람다에 투자했다.",
     {(("Kakao", "Lambda"), "investment"), (("Lambda", "Nvidia"), "supply")}),
    ("소프트뱅크가 투자한 람다, 엔비디아와 GPU 공급 계약",
     "소프트뱅크가 투자한 GPU 클라우드 기업 람다가 엔비디아와 GPU 공급 계약을 맺었다.",
     {(("Lambda", "SoftBank"), "investment"), (("Lambda", "Nvidia"), "supply")}),
    ("SK하이닉스, 엔비디아 공급 효과", "엔비디아에 HBM을 공급하는 SK하이닉스는 올해 영업이익이 크게 늘었다.",
     {(("Nvidia", "SK hynix"), "supply")}),
])
def test_korean_relative_clause_has_its_own_subject(det, title, summary, expected):
    assert events(det, title, summary) == expected


def test_supply_goes_to_the_buyer_not_the_component_maker(det):
    got = events(det, "Dell to ship AI servers with AMD GPUs to Meta",
                 "Dell said it will deliver servers built on AMD Instinct GPUs to Meta.")
    assert got == {(("Dell", "Meta"), "supply")}


def test_subject_named_again_after_the_trigger(det):
    got = events(det, "Foxconn to make servers for OpenAI",
                 "Foxconn will assemble AI server racks for OpenAI under a new supply agreement, Hon Hai said.")
    assert got == {(("Foxconn", "OpenAI"), "supply")}


def test_title_topic_comma_after_coordinated_names(det):
    got = events(det, "삼성전자·SK하이닉스, 오픈AI와 협력 의향서 체결", "")
    assert got == {(("OpenAI", "Samsung Electronics"), "mou"), (("OpenAI", "SK hynix"), "mou")}


def test_version_marks_rule_changes(det):
    assert det.version == "rules-8"


def test_denial_covers_the_reported_talks_that_follow(det):
    got = events(det, "Oracle rejects merger report", "Oracle denied a newspaper report that it had been negotiating "
                 "a cloud merger with IBM.")
    assert got == {(("IBM", "Oracle"), "ended")}


def test_ended_their_agreement(det):
    got = events(det, "Apple and Broadcom part", "Apple and Broadcom have ended their modem supply agreement, allowing "
                 "Apple to pick rivals.")
    assert got == {(("Apple", "Broadcom"), "ended")}


def test_joint_investment_in_their_own_project_pairs_the_investors(det):
    got = events(det, "LG전자·퀄컴, 연구소 공동 설립", "LG전자와 퀄컴이 5천억원을 공동 투자해 차량용 AI 연구소를 세운다.")
    assert got == {(("LG Electronics", "Qualcomm"), "investment")}
    # but co-investors in a third company are not paired
    got = events(det, "Amazon, Google co-invest in Anthropic", "Amazon and Google jointly invested in Anthropic.")
    assert (("Amazon", "Google"), "investment") not in got


def test_third_heldout_batch_floor(det):
    # written blind after rules-2 (blind score: event F1 0.787, item precision 0.913)
    gold, pred = _score_file(det, HELDOUT3)
    assert len(gold) >= 80
    assert sum(1 for g in gold.values() if not g) >= 0.4 * len(gold)
    f1, item_p = _prf(gold, pred)
    assert f1 >= 0.95, f1
    assert item_p >= 0.97, item_p


@pytest.mark.parametrize("title,summary,expected", [
    ("Oracle to deploy AMD Instinct chips across its cloud", "", {(("AMD", "Oracle"), "supply")}),
    ("Tesla agrees to buy thousands of Nvidia's accelerators", "", {(("Nvidia", "Tesla"), "supply")}),
    ("Anthropic to use Google Cloud as its main training platform", "", {(("Anthropic", "Google"), "supply")}),
    ("Intel will tap TSMC's 3nm process for its next GPUs", "",
     {(("Intel", "TSMC"), "supply")}),
    ("카카오, 사내 업무에 구글 제미나이 도입", "카카오가 전 직원 업무 도구로 구글의 제미나이를 도입했다.",
     {(("Google", "Kakao"), "supply")}),
])
def test_adopting_another_companys_product_is_supply(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary", [
    ("Apple to buy Perplexity?", ""),
    ("Microsoft uses the occasion to take a swipe at Google", ""),
    ("Samsung buys a chip plant from Intel", "Samsung Electronics will buy Intel's packaging plant in Malaysia."),
])
def test_adoption_verbs_need_a_product_in_view(det, title, summary):
    got = events(det, title, summary)
    assert not any(kind == "supply" for _, kind in got), got


def test_adoption_inside_a_licence_deal_adds_no_supply(det):
    got = events(det, "네이버, 오픈AI와 라이선스 계약…웨일 브라우저에 GPT 탑재",
                 "네이버가 오픈AI와 라이선스 계약을 맺고 웨일 브라우저에 GPT 모델을 도입한다.")
    assert got == {(("Naver", "OpenAI"), "agreement")}


@pytest.mark.parametrize("title,summary", [
    ("HP ships workstations powered by AMD chips, Dell follows with Nvidia-based laptops",
     "Dell Technologies began shipping laptops built on Nvidia's RTX processors this week."),
    ("슈퍼마이크로, 엔비디아 베라루빈 탑재 랙 출하", "슈퍼마이크로가 엔비디아의 베라 루빈 칩을 탑재한 서버 랙 공급을 시작했다."),
    ("Supermicro lifts forecast on servers featuring Nvidia GPUs",
     "Super Micro said orders for racks featuring Nvidia's Blackwell chips were strong."),
])
def test_a_product_built_with_another_companys_chips_is_no_deal_between_them(det, title, summary):
    assert events(det, title, summary) == set()


def test_the_buyer_of_servers_built_on_chips_is_still_supplied():
    d = Detector()
    got = {(x.parties, x.kind) for x in d.detect(
        "Dell to supply Meta with servers built on Nvidia chips", "")}
    assert got == {(("Dell", "Meta"), "supply")}


def test_co_investing_in_a_plant_with_a_partner_is_investment_between_them(det):
    got = events(det, "LG엔솔, 현대차와 함께 美 배터리 공장에 4조원 투자",
                 "LG에너지솔루션은 현대자동차와 함께 미국 조지아주 배터리셀 공장에 총 4조원을 투자한다.")
    assert got == {(("Hyundai Motor", "LG Energy Solution"), "investment")}


def test_joint_venture_of_several_parties_that_will_invest(det):
    got = events(det, "Microsoft, Nvidia and SoftBank form AI infrastructure joint venture",
                 "Microsoft, Nvidia and SoftBank unveiled a joint venture that will invest $30 billion in data centers.")
    assert got == {(("Microsoft", "Nvidia"), "joint_venture"), (("Microsoft", "SoftBank"), "joint_venture"),
                   (("Nvidia", "SoftBank"), "joint_venture")}


def test_funding_round_lists_each_investor_with_the_company(det):
    got = events(det, "Anthropic raises $13 billion",
                 "Anthropic closed a funding round that included Microsoft and Nvidia, valuing it at $183 billion.")
    assert got == {(("Anthropic", "Microsoft"), "investment"), (("Anthropic", "Nvidia"), "investment")}


def test_amount_between_supply_verb_and_contract_is_still_supply(det):
    got = events(det, "삼성전자, 애플에 이미지센서 공급", "삼성전자가 애플에 이미지센서를 공급하는 약 2조원 규모 계약을 맺었다.")
    assert got == {(("Apple", "Samsung Electronics"), "supply")}


def test_memorandum_about_supply_cooperation_is_a_memorandum(det):
    got = events(det, "마이크론, 엔비디아와 HBM 공급 협력 MOU", "마이크론이 엔비디아와 HBM 공급 협력을 위한 양해각서를 체결했다.")
    assert got == {(("Micron", "Nvidia"), "mou")}


@pytest.mark.parametrize("title,summary", [
    ("과기부 장관, 네이버·카카오 등 AI 기업과 간담회", "과학기술정보통신부 장관이 네이버, 카카오 등 국내 AI 기업 대표들과 만나 규제 개선을 논의했다."),
    ("SK스퀘어 주가 급등", "SK스퀘어 주가가 보유한 SK하이닉스 지분 가치 상승에 힘입어 올랐다."),
])
def test_listings_and_holding_values_are_not_events(det, title, summary):
    assert events(det, title, summary) == set()


def test_listing_that_is_the_subject_still_acts_jointly(det):
    got = events(det, "", "SK텔레콤과 도이치텔레콤, 싱텔 등 3개 회원사는 합작법인 설립 계약을 맺었다.")
    assert got == {(("Deutsche Telekom", "SK Telecom"), "joint_venture"), (("SK Telecom", "Singtel"), "joint_venture"),
                   (("Deutsche Telekom", "Singtel"), "joint_venture")}


def test_relative_clause_under_which_has_its_own_parties(det):
    got = events(det, "Naver and Microsoft sign cloud pact",
                 "Naver and Microsoft signed a strategic partnership under which Naver will invest in services built "
                 "on Microsoft's cloud.")
    assert got == {(("Microsoft", "Naver"), "agreement")}


def test_hyundai_motor_group_is_hyundai_motor(det):
    got = events(det, "현대자동차그룹, 엔비디아와 업무협약", "현대자동차그룹은 엔비디아와 자율주행 협력을 위한 업무협약을 맺었다.")
    assert got == {(("Hyundai Motor", "Nvidia"), "mou")}


def test_owner_descriptor_is_a_stake_not_an_actor(det):
    # "SoftBank-owned Arm" asserts the stake (guidelines, fine point 1); SoftBank takes no part in
    # what Arm does (Graphcore is outside the catalog)
    assert events(det, "SoftBank-owned Arm weighs a bid for Graphcore",
                  "SoftBank-owned Arm is considering a purchase of Graphcore, people familiar said.") == \
        {(("Arm", "SoftBank"), "investment")}


def test_fourth_heldout_batch_floor(det):
    # written blind after rules-3 (blind score: event F1 0.815, item precision 0.913); left untuned
    # except for one general rule ("SoftBank-owned Arm"), so it stays close to an honest estimate
    gold, pred = _score_file(det, HELDOUT4)
    assert len(gold) >= 40
    f1, item_p = _prf(gold, pred)
    assert f1 >= 0.8, f1
    assert item_p >= 0.95, item_p


@pytest.mark.parametrize("title,summary,expected", [
    ("Intel and SoftBank sign memorandum on $2 billion stake",
     "Intel and SoftBank signed a memorandum of understanding under which SoftBank would take a $2 billion stake "
     "in Intel.", {(("Intel", "SoftBank"), "mou")}),
    ("Samsung, Tesla sign LOI for chip supply",
     "Samsung Electronics signed a letter of intent with Tesla to supply AI5 chips from its Texas fab.",
     {(("Samsung Electronics", "Tesla"), "mou")}),
    ("Amazon invests $4 billion in Anthropic, signs MOU on chips",
     "Amazon invested $4 billion in Anthropic. The two companies also signed an MOU on chip development.",
     {(("Amazon", "Anthropic"), "investment"), (("Amazon", "Anthropic"), "mou")}),
])
def test_memorandum_whose_content_is_a_deal_is_a_memorandum(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    ("마이크로소프트, 오픈AI에 클라우드 인프라 제공", "마이크로소프트가 오픈AI에 향후 3년간 GPU 클라우드 인프라를 제공하기로 했다.",
     {(("Microsoft", "OpenAI"), "supply")}),
    ("구글, 앤트로픽과 TPU 제공 계약", "구글이 앤트로픽에 최대 100만개의 TPU를 제공하는 계약을 체결했다.",
     {(("Anthropic", "Google"), "supply")}),
    ("Oracle to provide Meta with cloud computing capacity",
     "Oracle will provide Meta with computing capacity for AI training under a multiyear deal.",
     {(("Meta", "Oracle"), "supply")}),
    ("네이버, 카카오에 정보 제공 요청", "네이버는 카카오에 관련 자료 제공을 요청했다고 밝혔다.", set()),
])
def test_providing_compute_or_products_is_supply(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    ("삼성전자, 애플과 이미지센서 공급 협상 타결", "삼성전자가 애플과 차세대 이미지센서 공급 협상을 타결했다.",
     {(("Apple", "Samsung Electronics"), "supply")}),
    ("LG에너지솔루션, 테슬라와 배터리 공급 협상 마무리", "LG에너지솔루션이 테슬라와 원통형 배터리 공급 협상을 마무리한 것으로 알려졌다.",
     {(("LG Energy Solution", "Tesla"), "supply")}),
    ("SK하이닉스, 엔비디아와 HBM 공급 협상 중", "SK하이닉스가 엔비디아와 HBM4 공급 협상을 진행하고 있다.",
     {(("Nvidia", "SK hynix"), "talks")}),
])
def test_concluded_negotiations_are_the_deal(det, title, summary, expected):
    assert events(det, title, summary) == expected


def test_outside_counterparty_after_with_takes_the_partner_slot(det):
    assert events(det, "Meta signs cloud deal with Nebius",
                  "Meta agreed to a $3 billion contract with Nebius for access to Nvidia Blackwell GPUs.") == set()
    assert events(det, "Microsoft signs deal with Nvidia for chips",
                  "Microsoft signed a contract with Nvidia for the supply of GB300 chips.") == {
        (("Microsoft", "Nvidia"), "supply")}
    assert events(det, "Apple signs deal with Broadcom",
                  "Apple signed a multiyear agreement with American chipmaker Broadcom to develop 5G components.") == {
        (("Apple", "Broadcom"), "agreement")}


def test_deploying_gpus_for_a_customer_supplies_the_customer(det):
    got = events(det, "Supermicro to deploy AMD GPUs for Oracle",
                 "Supermicro will deploy thousands of AMD Instinct GPUs for Oracle under a new agreement.")
    assert got == {(("Oracle", "Supermicro"), "supply")}


def test_joint_act_in_the_title_that_the_summary_only_plans_is_talks(det):
    got = events(det, "KT·마이크로소프트, AI 데이터센터 공동 구축", "KT와 마이크로소프트가 국내에 AI 데이터센터를 공동 구축할 계획이라고 밝혔다.")
    assert got == {(("KT", "Microsoft"), "talks")}
    got = events(det, "SKT, 람다 지분 인수…GPU 클러스터 공동 구축",
                 "SK텔레콤이 람다의 지분을 인수했다. 양사는 국내에 GPU 클러스터를 공동 구축할 계획이다.")
    assert got == {(("Lambda", "SK Telecom"), "investment")}


@pytest.mark.parametrize("title,summary", [
    ("Apple to use its in-house modems instead of Qualcomm's",
     "Apple said it would ship iPhones with its own modem chips instead of Qualcomm's from next year."),
    ("Amazon leans on its own chips", "Amazon said it would train its models on Trainium chips rather than buying more "
     "Nvidia GPUs."),
    ("Micron, SK hynix memory in short supply as AI demand surges",
     "Micron and SK hynix said demand for HBM outstrips supply through next year."),
    ("삼성전자·SK하이닉스, HBM 공급 부족 지속", "삼성전자와 SK하이닉스의 HBM 공급 부족이 계속되고 있다."),
])
def test_contrasted_names_and_market_supply_are_not_deals(det, title, summary):
    assert events(det, title, summary) == set()


def test_trailing_title_clause_describes_the_supplied_product(det):
    got = events(det, "슈퍼마이크로, 메타에 AI 서버 공급…AMD GPU 탑재", "슈퍼마이크로가 메타에 AMD GPU를 탑재한 AI 서버를 공급한다.")
    assert got == {(("Meta", "Supermicro"), "supply")}


def test_fifth_heldout_batch_floor(det):
    # written blind after the rules-3 fixes (blind score with the rules of this version before its
    # last three fixes: event F1 0.941, item precision 0.875); fixed only by general rules
    # (contrast "instead of", market supply, a title clause describing the supplied product)
    gold, pred = _score_file(det, HELDOUT5)
    assert len(gold) >= 40
    f1, item_p = _prf(gold, pred)
    assert f1 >= 0.9, f1
    assert item_p >= 0.95, item_p


def test_negotiations_not_concluded_stay_talks(det):
    got = events(det, "삼성전자, 애플과 공급 협상 마무리 못해", "삼성전자가 애플과 이미지센서 공급 협상을 마무리하지 못했다.")
    assert got == {(("Apple", "Samsung Electronics"), "talks")}
    got = events(det, "Micron has not concluded supply talks with Nvidia",
                 "Micron has not concluded negotiations with Nvidia to supply HBM4 next year.")
    assert (("Micron", "Nvidia"), "supply") not in got


HELDOUT6 = Path(__file__).parents[1] / "fixtures" / "detection_heldout6.jsonl"
HELDOUT7 = Path(__file__).parents[1] / "fixtures" / "detection_heldout7.jsonl"
HELDOUT8 = Path(__file__).parents[1] / "fixtures" / "detection_heldout8.jsonl"
HELDOUT9 = Path(__file__).parents[1] / "fixtures" / "detection_heldout9.jsonl"


@pytest.mark.parametrize("title,summary", [
    # co-suppliers of a third party are not each other's supplier
    ("Dell and Supermicro ship liquid-cooled racks to CoreWeave",
     "Dell and Supermicro shipped thousands of liquid-cooled GPU racks to CoreWeave last quarter."),
    ("삼성전자·마이크론, 샤오미에 모바일 D램 공급", "삼성전자와 마이크론이 샤오미 새 스마트폰에 모바일 D램을 공급한다."),
    # named together, each acts on its own
    ("Oracle and IBM each deliver keynotes at cloud summit",
     "Oracle and IBM will each deliver keynote addresses at the cloud summit in Las Vegas."),
    ("Naver and Kakao both ship new AI assistants", "Naver and Kakao both shipped AI assistant apps this week."),
    ("LG전자·삼성전자, 유럽에 히트펌프 나란히 공급", "LG전자와 삼성전자가 유럽 주택 시장에 히트펌프를 각각 공급한다."),
])
def test_coordinated_subjects_acting_separately_are_no_pair(det, title, summary):
    assert events(det, title, summary) == set()


def test_coordinated_subjects_signing_a_supply_deal_still_pair(det):
    got = events(det, "Samsung and Tesla sign chip supply deal", "Samsung Electronics and Tesla signed a chip supply deal.")
    assert got == {(("Samsung Electronics", "Tesla"), "supply")}


@pytest.mark.parametrize("title,summary", [
    ("인텔-AMD 라이선스 분쟁 재점화", "AMD와 인텔의 x86 교차 라이선스 계약을 둘러싼 분쟁이 다시 불거졌다."),
    ("Nvidia and Arm licence dispute heads to arbitration",
     "A licence dispute between Arm and Nvidia over GPU designs has gone to arbitration."),
])
def test_a_dispute_over_a_licence_is_no_deal(det, title, summary):
    assert events(det, title, summary) == set()


def test_a_dispute_does_not_hide_an_ending(det):
    got = events(det, "IBM ends cloud contract with Kakao", "IBM has terminated its cloud contract with Kakao after a dispute.")
    assert got == {(("IBM", "Kakao"), "ended")}


@pytest.mark.parametrize("title,summary", [
    ("\"메타, 구글 TPU 도입할 수도\"", "메타가 구글 TPU를 도입할 가능성이 거론된다."),
    ("오라클, 오픈AI와 추가 계약 맺을 수도", ""),
])
def test_korean_might_is_no_event(det, title, summary):
    assert events(det, title, summary) == set()


def test_a_joint_act_only_scheduled_is_talks(det):
    got = events(det, "카카오·LG유플러스, AI 에이전트 공동 개발", "카카오가 LG유플러스와 통신 AI 에이전트를 공동 개발할 예정이다.")
    assert got == {(("Kakao", "LG Uplus"), "talks")}
    # after a signed memorandum, the scheduled joint work is part of it
    got = events(det, "카카오·LG유플러스, AI 업무협약 체결",
                 "카카오가 LG유플러스와 AI 업무협약을 맺었다. 양사는 통신 AI 에이전트를 공동 개발할 예정이다.")
    assert got == {(("Kakao", "LG Uplus"), "mou")}


@pytest.mark.parametrize("title,summary,expected", [
    ("애플 출신 영입한 오픈AI, MS와 클라우드 계약", "오픈AI가 애플 출신 디자이너를 영입한 데 이어 마이크로소프트와 클라우드 계약을 맺었다.",
     {(("Microsoft", "OpenAI"), "supply")}),
    ("Perplexity hires former Google executive, lands SoftBank funding",
     "Perplexity, which hired a former Google executive as its president, received $500 million from SoftBank.",
     {(("Perplexity", "SoftBank"), "investment")}),
])
def test_a_former_employer_takes_no_part(det, title, summary, expected):
    assert events(det, title, summary) == expected


def test_sixth_heldout_batch_floor(det):
    # written blind after rules-4: 30 hard negatives, 10 near-miss positives (blind score: event F1
    # 0.621, item precision 0.625); fixed only by general rules (co-suppliers and "each/both/각각"
    # subjects, disputes, "할 수도", scheduled joint acts, former employers)
    gold, pred = _score_file(det, HELDOUT6)
    assert len(gold) >= 40
    assert sum(1 for g in gold.values() if not g) >= 30
    f1, item_p = _prf(gold, pred)
    assert f1 >= 0.9, f1
    assert item_p >= 0.95, item_p


@pytest.mark.parametrize("title,summary,expected", [
    ("OpenAI signs agreement with U.S. chipmaker Broadcom", "", {(("Broadcom", "OpenAI"), "agreement")}),
    ("SK Telecom partners with U.S. AI startup Perplexity", "", {(("Perplexity", "SK Telecom"), "agreement")}),
    ("Update", "Nvidia rival AMD signed a supply deal with Microsoft.", {(("AMD", "Microsoft"), "supply")}),
    ("SK hynix signs a deal with memory rival Samsung", "", {(("SK hynix", "Samsung Electronics"), "agreement")}),
])
def test_a_descriptor_before_a_name_keeps_its_preposition(det, title, summary, expected):
    assert events(det, title, summary) == expected


def test_rival_as_a_verb_of_competition_still_kills(det):
    assert events(det, "Samsung and rival SK hynix compete for Nvidia orders") == set()


@pytest.mark.parametrize("title,summary,expected", [
    # the appositive is a statement about its name, the rest of the sentence is read without it
    ("Update", "SK hynix, a key Nvidia supplier, signed a deal with Intel for packaging.",
     {(("Intel", "SK hynix"), "agreement"), (("Nvidia", "SK hynix"), "supply")}),
    ("Update", "Samsung Electronics, Nvidia's rival in AI chips, said on Monday it would supply HBM to AMD.",
     {(("AMD", "Samsung Electronics"), "supply")}),
    ("Update", "Nvidia, the world's most valuable company, signed a supply deal with SK hynix.",
     {(("Nvidia", "SK hynix"), "supply")}),
])
def test_appositives_speak_about_their_own_name(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,expected", [
    ("Microsoft and OpenAI end exclusivity arrangement", {(("Microsoft", "OpenAI"), "ended")}),
    ("SK Telecom and Amazon dissolve their joint venture", {(("Amazon", "SK Telecom"), "ended")}),
    ("Intel cuts ties with Qualcomm", {(("Intel", "Qualcomm"), "ended")}),
    ("삼성전자와 테슬라의 협상 결렬", {(("Samsung Electronics", "Tesla"), "ended")}),
])
def test_more_ways_to_say_ended(det, title, expected):
    assert events(det, title) == expected


@pytest.mark.parametrize("title,expected", [
    ("Samsung signs agreement to manufacture Nvidia chips on its 2nm process", {(("Nvidia", "Samsung Electronics"), "supply")}),
    ("Intel to manufacture Microsoft's custom AI chip on 18A", {(("Intel", "Microsoft"), "supply")}),
])
def test_making_a_customers_chips_is_supply(det, title, expected):
    assert events(det, title) == expected


@pytest.mark.parametrize("title,expected", [
    ("Nvidia picks SK hynix as primary HBM4 vendor", {(("Nvidia", "SK hynix"), "supply")}),
    ("Microsoft taps AMD for custom Azure chips", {(("AMD", "Microsoft"), "supply")}),
    ("OpenAI taps Oracle to build data centers", {(("OpenAI", "Oracle"), "agreement")}),
    ("LG Uplus joins hands with Google Cloud for AI call agent", {(("Google", "LG Uplus"), "agreement")}),
    ("SK Group chief Chey Tae-won sits down with OpenAI CEO Sam Altman in Seoul", {(("OpenAI", "SK Group"), "talks")}),
    ("Tesla signs $16.5 billion chip order with Samsung", {(("Samsung Electronics", "Tesla"), "supply")}),
])
def test_choosing_a_partner_and_more_ways_to_say_it(det, title, expected):
    assert events(det, title) == expected


@pytest.mark.parametrize("title,expected", [
    ("SK하이닉스 곽노정 사장, 대만서 웨이저자 TSMC 회장 만나", {(("SK hynix", "TSMC"), "talks")}),
    ("최태원, 젠슨 황 또 만나나", set()),
    ("삼성전자, 퀄컴과 손잡나", set()),
])
def test_korean_verb_ending_in_na_is_no_question(det, title, expected):
    assert events(det, title) == expected


@pytest.mark.parametrize("title,expected", [
    ("OpenAI taps Google's TPUs to power ChatGPT", {(("Google", "OpenAI"), "supply")}),
    ("Meta taps Google Cloud TPUs", {(("Google", "Meta"), "supply")}),
    ("삼성전자가 테슬라의 차세대 AI칩 AI6를 생산한다", {(("Samsung Electronics", "Tesla"), "supply")}),
    # co-producers supplying a third party are not paired with each other
    ("삼성전자와 SK하이닉스가 HBM을 생산해 엔비디아에 공급한다",
     {(("Nvidia", "SK hynix"), "supply"), (("Nvidia", "Samsung Electronics"), "supply")}),
    ("현대차는 테슬라보다 많은 전기차를 생산할 계획이다", set()),
])
def test_making_or_tapping_the_others_product_is_supply(det, title, expected):
    assert events(det, title) == expected


def test_name_comma_possessive_is_an_appositive_not_a_list(det):
    got = events(det, "Update", "Samsung Electronics, Apple's longtime supplier, unveiled a new foldable.")
    assert got == {(("Apple", "Samsung Electronics"), "supply")}
    assert events(det, "Nvidia, AMD and Intel's chips lead the market") == set()


@pytest.mark.parametrize("title,expected", [
    ("KT·마이크로소프트, 공동 AI 모델 개발 착수", {(("KT", "Microsoft"), "agreement")}),
    ("LG전자와 메타, 공동 XR 기기 개발할 예정", {(("LG Electronics", "Meta"), "talks")}),
    ("삼성전자와 SK하이닉스, 글로벌 D램 시장 공동 1위 등극", set()),
])
def test_korean_joint_act_split_around_its_object(det, title, expected):
    assert events(det, title) == expected


@pytest.mark.parametrize("title,summary,expected", [
    ("SoftBank sells entire Nvidia stake for $5.8 billion", "", {(("Nvidia", "SoftBank"), "ended")}),
    ("소프트뱅크, 엔비디아 지분 전량 매각", "", {(("Nvidia", "SoftBank"), "ended")}),
    ("SoftBank buys $2 billion Intel stake", "", {(("Intel", "SoftBank"), "investment")}),
    ("Samsung wins Nvidia certification for HBM3E", "", {(("Nvidia", "Samsung Electronics"), "supply")}),
    ("Update", "Dell and Nvidia unveiled the AI Factory at GTC, a joint offering for enterprises.",
     {(("Dell", "Nvidia"), "agreement")}),
])
def test_selling_a_stake_ends_it_and_other_acts(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    ("업데이트", "오픈AI의 최대 투자자인 마이크로소프트가 실적을 발표했다.", {(("Microsoft", "OpenAI"), "investment")}),
    ("Update", "Google, a major Anthropic investor, said it would build a data center.", {(("Anthropic", "Google"), "investment")}),
    ("Update", "Anthropic investors cheered the news, while Google shares fell.", set()),
])
def test_an_investor_of_a_named_company(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,expected", [
    ("Apple walks away from talks to bring Meta's AI models to iPhone", {(("Apple", "Meta"), "ended")}),
    ("Qualcomm ends merger talks with Intel", {(("Intel", "Qualcomm"), "ended")}),
    ("Qualcomm in merger talks with Intel", {(("Intel", "Qualcomm"), "talks")}),
    ("Samsung in supply negotiations with Nvidia", {(("Nvidia", "Samsung Electronics"), "talks")}),
    ("삼성전자, 테슬라와 협상 중단", {(("Samsung Electronics", "Tesla"), "ended")}),
    ("웨이저자 TSMC 회장 \"인텔과 합작사 논의 없다\"…설 일축", {(("Intel", "TSMC"), "ended")}),
])
def test_talks_about_a_deal_and_talks_that_ended(det, title, expected):
    assert events(det, title) == expected


def test_what_is_compared_takes_no_part(det):
    assert events(det, "Update", "Apple shipped more smartphones than Samsung Electronics last year.") == set()


def test_gapped_second_investor(det):
    got = events(det, "Update", "Microsoft has committed to invest up to $5 billion in Anthropic and Nvidia up to "
                                "$10 billion, the developer said.")
    assert got == {(("Anthropic", "Microsoft"), "investment"), (("Anthropic", "Nvidia"), "investment")}
    got = events(det, "Update", "SoftBank will invest $2 billion in Intel and OpenAI.")
    assert got == {(("Intel", "SoftBank"), "investment"), (("OpenAI", "SoftBank"), "investment")}



@pytest.mark.parametrize("title,summary,expected", [
    ("Samsung's foundry arm to make IBM's next-generation server processors", "",
     {(("IBM", "Samsung Electronics"), "supply")}),
    ("Update", "TSMC, which makes Nvidia's AI accelerators and Apple's iPhone processors, reported a rise in profit.",
     {(("Apple", "TSMC"), "supply"), (("Nvidia", "TSMC"), "supply")}),
    ("Microsoft makes multibillion-dollar bet on ChatGPT maker OpenAI", "", {(("Microsoft", "OpenAI"), "investment")}),
    ("Update", "Intel received ASML's first commercial unit for its Oregon fab.", {(("ASML", "Intel"), "supply")}),
    ("Claude maker Anthropic to use up to 1 million Google TPUs", "", {(("Anthropic", "Google"), "supply")}),
    ("Update", "Samsung makes more money than Apple.", set()),
])
def test_making_or_receiving_anothers_product(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    ("Amazon-backed Anthropic signs cloud deal with Google", "",
     {(("Amazon", "Anthropic"), "investment"), (("Anthropic", "Google"), "supply")}),
    # the backer of a company outside the catalog, or of no named company, takes no part
    ("SoftBank to buy Ampere", "SoftBank agreed to acquire Ampere, the Oracle-backed chip designer.",
     {(("SoftBank", "Oracle"), "investment")} - {(("SoftBank", "Oracle"), "investment")}),
    ("Update", "SoftBank, which owns roughly 90% of British chip designer Arm, has been expanding its bets.",
     {(("Arm", "SoftBank"), "investment")}),
])
def test_stakes_stated_in_passing(det, title, summary, expected):
    assert events(det, title, summary) == expected


def test_co_subjects_of_an_earlier_clause_do_not_supply_each_other(det):
    assert events(det, "Foxconn, Dell shares rise as AI server orders swell") == set()


@pytest.mark.parametrize("title,summary,expected", [
    ("Qualcomm drops interest in Intel takeover", "", {(("Intel", "Qualcomm"), "ended")}),
    ("Update", "Qualcomm has abandoned its interest in acquiring Intel, people familiar with the matter said.",
     {(("Intel", "Qualcomm"), "ended")}),
    # a denial of talks is ended (guidelines, fine point 7)
    ("Update", "TSMC is not engaged in any discussions with Intel about a joint venture, Chairman C.C. Wei said.",
     {(("Intel", "TSMC"), "ended")}),
    ("웨이저자 TSMC 회장 \"인텔과 합작사 논의하고 있지 않다\"", "", {(("Intel", "TSMC"), "ended")}),
    # a question in one clause of a title follows the summary
    ("LG전자, MS 이어 엔비디아와도 손잡나…냉각 공략 가속", "LG전자는 엔비디아와 액체냉각 솔루션 공급을 위한 협의를 진행 중인 것으로 알려졌다.",
     {(("LG Electronics", "Nvidia"), "talks")}),
])
def test_ended_interest_denials_and_questions(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    # the speaker ("the company said") is no partner; a partner outside the catalog after "with the"
    ("Naver signs Arabic LLM pact with Saudi data authority",
     "South Korea's Naver signed a memorandum of understanding with the Saudi Data and AI Authority, the company said.",
     set()),
    # a listed name known only by its alias in brackets keeps the list together
    ("통신사 AI 합작법인", "SK텔레콤과 도이치텔레콤, 싱텔, 이앤(e&)그룹이 공동 설립한 합작법인이 시제품을 공개했다.",
     {(("Deutsche Telekom", "SK Telecom"), "joint_venture"), (("Deutsche Telekom", "Singtel"), "joint_venture"),
      (("SK Telecom", "Singtel"), "joint_venture")}),
    # one joint venture "together with" two partners is one act of all three
    ("업데이트", "소프트뱅크는 오픈AI, 오라클과 함께 미국 AI 인프라 합작사 '스타게이트'를 공동 설립해 운영하고 있다.",
     {(("OpenAI", "Oracle"), "joint_venture"), (("OpenAI", "SoftBank"), "joint_venture"),
      (("Oracle", "SoftBank"), "joint_venture")}),
    ("업데이트", "SK온은 포드, 현대차와 각각 합작법인을 세웠다.", {(("Hyundai Motor", "SK On"), "joint_venture")}),
    # an investment told in another sentence than the joint venture is a deal of its own
    ("업데이트", "소프트뱅크가 오픈AI에 대한 추가 투자를 마무리했다. 소프트뱅크는 오픈AI와 함께 합작사를 세웠다.",
     {(("OpenAI", "SoftBank"), "investment"), (("OpenAI", "SoftBank"), "joint_venture")}),
])
def test_lists_speakers_and_joint_ventures(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    ("Update", "Microsoft and Nvidia agreed to invest up to $5 billion and $10 billion, respectively, in Anthropic, "
               "which in turn committed to purchase $30 billion of compute capacity on Microsoft's Azure.",
     {(("Anthropic", "Microsoft"), "supply"), (("Anthropic", "Microsoft"), "investment"),
      (("Anthropic", "Nvidia"), "investment")}),
    ("Amazon in talks to invest in OpenAI",
     "Amazon is in discussions to invest more than $10 billion in OpenAI, which would use Amazon's Trainium chips.",
     {(("Amazon", "OpenAI"), "talks")}),
    ("Update", "OpenAI has committed to buy an incremental $250 billion of Azure services.",
     {(("Microsoft", "OpenAI"), "supply")}),
    ("Update", "Perplexity received $500 million from SoftBank.", {(("Perplexity", "SoftBank"), "investment")}),
    # (the second stake's owner is only "its": not found, and never the first buyer)
    ("Update", "Intel unveiled its laptop chips, weeks after SoftBank bought $2 billion of its shares and Nvidia "
               "took a $5 billion stake.", {(("Intel", "SoftBank"), "investment")}),
    ("업데이트", "엔비디아는 삼성전자·현대차에 각각 5만장의 GPU를 공급하기로 했으며, 각 사는 AI 팩토리 구축 계획을 구체화하고 있다.",
     {(("Nvidia", "Samsung Electronics"), "supply"), (("Hyundai Motor", "Nvidia"), "supply")}),
])
def test_relative_clauses_money_and_plans_of_others(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    ("Nvidia-backed Lambda lands multibillion-dollar Microsoft AI infrastructure contract",
     "Lambda said it signed a multibillion-dollar contract to supply Microsoft with AI computing capacity.",
     {(("Lambda", "Nvidia"), "investment"), (("Lambda", "Microsoft"), "supply")}),
    ("MS, 오픈AI 지분 27% 확보…새 계약 체결", "마이크로소프트가 오픈AI와 새로운 계약을 맺고 오픈AI 영리법인 지분 약 27%를 보유하게 됐다.",
     {(("Microsoft", "OpenAI"), "agreement"), (("Microsoft", "OpenAI"), "investment")}),
    ("Anthropic raises $13 billion", "The Amazon-backed AI startup said its Series F round was led by Iconiq.",
     {(("Amazon", "Anthropic"), "investment")}),
])
def test_bare_contracts_and_backers_of_the_headline_company(det, title, summary, expected):
    assert events(det, title, summary) == expected



@pytest.mark.parametrize("title,summary,expected", [
    ("Update", "HBM4 chips will be supplied by SK hynix to Nvidia starting next year.", {(("Nvidia", "SK hynix"), "supply")}),
    ("오라클, 오픈AI에 4.5GW 데이터센터 제공…300조원 규모", "", {(("OpenAI", "Oracle"), "supply")}),
])
def test_passive_supply_and_data_centres_provided(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    # a second verb phrase in a headline that names someone is a clause of its own
    ("Apple drops Perplexity talks, turns to Google for Siri search, Bloomberg says", "",
     {(("Apple", "Perplexity"), "ended")}),
    ("Nvidia to invest $5 billion in Intel, co-develop chips", "",
     {(("Intel", "Nvidia"), "investment"), (("Intel", "Nvidia"), "agreement")}),
    # a coordinated verb phrase after ", and" takes the sentence subject
    ("Update", "Deutsche Telekom said it would buy 10,000 Nvidia chips for a cloud in Munich, and separately signed "
               "an agreement with Perplexity to build an assistant.",
     {(("Deutsche Telekom", "Nvidia"), "supply"), (("Deutsche Telekom", "Perplexity"), "agreement")}),
    # the counterparty outside the catalog: nobody else is paired instead
    ("Update", "Microsoft agreed to buy power from Constellation Energy, following Amazon's purchase of a campus "
               "from Talen Energy and Google's talks with Kairos Power.", set()),
    ("Update", "Separately, SoftBank agreed to buy $2 billion of newly issued Intel common stock.",
     {(("Intel", "SoftBank"), "investment")}),
    ("Update", "Nvidia CEO Jensen Huang met SK Group Chairman Chey Tae-won on Thursday and Samsung Electronics "
               "Chairman Lee Jae-yong later in the day, discussing HBM4 supply.",
     {(("Nvidia", "SK Group"), "talks"), (("Nvidia", "Samsung Electronics"), "talks")}),
    ("Update", "Google filed a complaint accusing Microsoft of using restrictive licensing terms.", set()),
    ("Samsung seen winning Broadcom 2nm orders, Mirae Asset says", "", set()),
    ("Oracle pulls plug on GPU capacity deal with Lambda", "", {(("Lambda", "Oracle"), "ended")}),
])
def test_english_clauses_outside_partners_and_meetings(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    # a joint venture recalled next to the end of talks on something else is a deal of its own
    ("네이버, 소프트뱅크와 협상 중단", "네이버는 A홀딩스 지분 매각과 관련해 소프트뱅크와 진행해 온 협상을 중단했다고 밝혔다. "
                              "A홀딩스는 네이버와 소프트뱅크가 50%씩 출자해 세운 합작회사다.",
     {(("Naver", "SoftBank"), "ended"), (("Naver", "SoftBank"), "joint_venture")}),
    ("Intel drops plan for chip packaging venture with Foxconn",
     "Intel has scrapped its plan to set up a chip packaging joint venture with Foxconn.", {(("Foxconn", "Intel"), "ended")}),
    # "X·Y 등과" marks the listed names; one joint venture of all of them
    ("업데이트", "지난해 도이치텔레콤·싱텔 등과 통신 특화 AI 합작법인을 세운 SK텔레콤은 실적 반등에 나설 방침이다.",
     {(("Deutsche Telekom", "SK Telecom"), "joint_venture"), (("Deutsche Telekom", "Singtel"), "joint_venture"),
      (("SK Telecom", "Singtel"), "joint_venture")}),
    # a meeting that speaks of an alliance is a meeting
    ("젠슨 황 CEO, 이재용 회장과 회동…'AI 반도체 동맹' 다진다", "", {(("Nvidia", "Samsung Electronics"), "talks")}),
    ("업데이트", "엔비디아에 HBM을 공급해온 SK하이닉스는 실적이 좋다.", {(("Nvidia", "SK hynix"), "supply")}),
    # the parent of a subsidiary outside the catalog is no party
    ("업데이트", "현대자동차는 구글 모회사 알파벳의 자율주행 자회사 웨이모와 다년간 전략적 파트너십을 맺었다.", set()),
    ("Update", "Hyundai signed a deal with Alphabet's self-driving unit Waymo.", set()),
    ("업데이트", "SK그룹 계열사 SK하이닉스는 엔비디아와 공급 계약을 맺었다.", {(("Nvidia", "SK hynix"), "supply")}),
])
def test_recalled_ventures_listed_partners_meetings_and_parents(det, title, summary, expected):
    assert events(det, title, summary) == expected



@pytest.mark.parametrize("title,summary,expected", [
    # the counterparty of a deal told without its name, named later
    ("LG엔솔, 5.9조 배터리 공급계약", "LG에너지솔루션은 글로벌 자동차 기업과 배터리 공급 계약을 맺었다고 공시했다. "
                               "업계에 따르면 계약 상대방은 미국 테슬라로, 공급은 2027년부터 이뤄진다.",
     {(("LG Energy Solution", "Tesla"), "supply")}),
    ("업데이트", "앤트로픽은 앞서 아마존으로부터 총 80억 달러를 유치한 바 있다.", {(("Amazon", "Anthropic"), "investment")}),
    ("업데이트", "삼성전자는 애플을 고객으로 유치했다.", {(("Apple", "Samsung Electronics"), "supply")}),
    ("Intel lands Microsoft as a foundry customer", "", {(("Intel", "Microsoft"), "supply")}),
    ("Intel could win Apple as a foundry customer, Bernstein says", "", set()),
])
def test_counterparties_named_later_money_raised_and_customers(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    # a planned main contract after a signed memorandum: the memorandum
    ("KT-마이크로소프트, AI 협력 업무협약…본계약은 9월 목표", "KT가 마이크로소프트와 업무협약(MOU)을 체결했다. 본계약은 오는 9월 체결하는 것을 목표로 하고 있다.",
     {(("KT", "Microsoft"), "mou")}),
    ("LG전자, 퀄컴과 AI 칩 협력 추진…연내 계약 목표", "양사는 연내 공급 계약 체결을 목표로 세부 조건을 조율하고 있다.",
     {(("LG Electronics", "Qualcomm"), "talks")}),
    ("AMD seals definitive agreement to supply OpenAI with GPUs",
     "AMD and OpenAI announced a definitive multiyear agreement under which AMD will supply OpenAI with Instinct GPUs.",
     {(("AMD", "OpenAI"), "supply")}),
    ("LG유플러스, 구글 클라우드와 TPU 이용 계약", "", {(("Google", "LG Uplus"), "supply")}),
    ("SoftBank pours $2 billion into Intel", "SoftBank said it has no plans for a joint venture or a chip-supply deal with Intel.",
     {(("Intel", "SoftBank"), "investment")}),
    ("Update", "Some analysts suggested Broadcom might be interested in Intel's design unit; there is no sign that "
               "Broadcom has approached Intel.", set()),
    ("Apple shelved Llama tie-up talks with Meta, Bloomberg reports", "", {(("Apple", "Meta"), "ended")}),
    # a joint act of "the two companies" next to an investment
    ("Nvidia takes $5 billion Intel stake", "Nvidia will invest $5 billion in Intel common stock, and the two companies "
                                           "will jointly develop custom data-centre and PC products.",
     {(("Intel", "Nvidia"), "investment"), (("Intel", "Nvidia"), "agreement")}),
    # each with an outside buyer: no pair between the suppliers
    ("LG Energy Solution, SK On land separate battery orders from Mercedes-Benz",
     "LG Energy Solution and SK On have each won multi-year orders, according to people familiar with the contracts.",
     set()),
    ("업데이트", "두 사람은 행사 중 따로 만나지 않았고, 발표에서 양사 협력에 관한 언급도 없었다.", set()),
])
def test_planned_contracts_absorbed_agreements_and_near_misses(det, title, summary, expected):
    assert events(det, title, summary) == expected



def test_he_after_a_comma_is_the_speaker(det):
    got = events(det, "Update", "Microsoft will have a custom AI chip manufactured by Intel on its 18A process, Intel chief "
                                "executive Lip-Bu Tan said on Tuesday, where he also announced a memorandum of "
                                "understanding with IBM to co-develop advanced packaging.")
    assert got == {(("Intel", "Microsoft"), "supply"), (("IBM", "Intel"), "mou")}


@pytest.mark.parametrize("title,summary,expected", [
    # investors joining a round raised by the company named before
    ("퍼플렉시티, 5억달러 투자 유치", "AI 검색 스타트업 퍼플렉시티가 5억달러 규모의 신규 투자를 유치했다. 이번 라운드에는 기존 투자자인 "
                             "엔비디아와 소프트뱅크가 추가로 참여했다.",
     {(("Nvidia", "Perplexity"), "investment"), (("Perplexity", "SoftBank"), "investment")}),
    ("Anthropic closes new round", "Anthropic closed a new funding round in which Amazon and Google both added to "
                                   "their existing stakes.",
     {(("Amazon", "Anthropic"), "investment"), (("Anthropic", "Google"), "investment")}),
    # each headline clause has its own topic; a subject of another verb is no partner
    ("[주간] 네이버-소프트뱅크 지분 협상 중단…카카오, 오픈AI와 공동 개발 서비스 출시", "",
     {(("Naver", "SoftBank"), "ended"), (("Kakao", "OpenAI"), "agreement")}),
    ("오픈AI, 66억달러 투자 유치…소프트뱅크·MS 참여, 애플은 철회", "",
     {(("OpenAI", "SoftBank"), "investment"), (("Microsoft", "OpenAI"), "investment"), (("Apple", "OpenAI"), "ended")}),
    # talks given at a conference are no talks
    ("Update", "Nvidia published its GTC session list, with engineers from Meta, Dell and Tesla scheduled to give "
               "technical talks on AI infrastructure.", set()),
    # the memorandum is what the supply is about
    ("업데이트", "삼성전자는 오픈AI와 D램을 공급하는 내용의 의향서(LOI)를 체결했다.", {(("OpenAI", "Samsung Electronics"), "mou")}),
    # a statement that no talks took place is no event; the party's own denial is ended
    ("Update", "Apple has not held talks with Perplexity's management and may decide against making an offer.", set()),
    ("Update", "Kakao's CEO acknowledged that no discussions with Anthropic have taken place.", set()),
    ("Update", "Intel disclosed that Nvidia agreed to purchase $5 billion of its common stock.",
     {(("Intel", "Nvidia"), "investment")}),
    ("Update", "Shares of Hon Hai, which assembles most of Apple's iPhones, fell 2%.", {(("Apple", "Foxconn"), "supply")}),
    ("Update", "Sam Altman met Samsung Electronics Chairman Lee Jae-yong in the morning and held a separate meeting "
               "with SK Group Chairman Chey Tae-won in the afternoon.",
     {(("OpenAI", "Samsung Electronics"), "talks"), (("OpenAI", "SK Group"), "talks")}),
    ("Update", "Nvidia leases thousands of GPU servers from Lambda under multiyear contracts.", {(("Lambda", "Nvidia"), "supply")}),
])
def test_rounds_headline_clauses_statements_and_purchases(det, title, summary, expected):
    assert events(det, title, summary) == expected



@pytest.mark.parametrize("title,summary,expected", [
    ("Update", "Microsoft, OpenAI's largest shareholder, is not taking an equity stake in the venture.",
     {(("Microsoft", "OpenAI"), "investment")}),
    ("업데이트", "오픈AI의 최대주주인 마이크로소프트는 참여하지 않았다.", {(("Microsoft", "OpenAI"), "investment")}),
    ("Update", "Nvidia shareholders cheered while Intel fell.", set()),
    ("Update", "Apple executives have discussed internally the idea of bidding for AI search startup Perplexity.", set()),
    ("Update", "SK Group Chairman Chey Tae-won met Microsoft CEO Satya Nadella on Monday and then held separate meetings "
               "with OpenAI's Sam Altman and Amazon's Andy Jassy.",
     {(("Microsoft", "SK Group"), "talks"), (("OpenAI", "SK Group"), "talks"), (("Amazon", "SK Group"), "talks")}),
    # one joint act "together with" two partners gives all three pairs
    ("업데이트", "삼성전자가 구글, 퀄컴과 함께 개발한 확장현실(XR) 헤드셋을 출시했다.",
     {(("Google", "Samsung Electronics"), "agreement"), (("Qualcomm", "Samsung Electronics"), "agreement"),
      (("Google", "Qualcomm"), "agreement")}),
])
def test_shareholders_internal_talks_later_meetings_and_joint_acts(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    ("SK Innovation to inject 2 trillion won into battery unit SK On",
     "SK Innovation said it will buy 2 trillion won of new shares issued by SK On to shore up the battery maker's "
     "finances ahead of its US plant ramp-up.", {(("SK Innovation", "SK On"), "investment")}),
    ("Telecom roundup: Singtel trims Airtel stake, Deutsche Telekom adds T-Mobile US shares", "", set()),
    ("Apple weighs Anthropic, OpenAI models for new Siri",
     "Apple has held discussions with both Anthropic and OpenAI about using their models for Siri.",
     {(("Anthropic", "Apple"), "talks"), (("Apple", "OpenAI"), "talks")}),
    ("Microsoft, Amazon strike nuclear deals to power AI data centers", "", set()),
    ("ASML says orders on track despite fab delays at Intel, Samsung", "", set()),
    ("오픈AI, 한국 메모리 파트너 물색?", "업계에서는 삼성전자와 SK하이닉스가 유력 후보로 꼽히지만 실제 협상이 진행 중인지는 알려지지 않았다.", set()),
    ("현대차, 웨이모에 아이오닉 5 공급", "현대자동차가 구글 모회사 알파벳 산하 자율주행 기업 웨이모와 손잡고 아이오닉 5를 공급하기로 했다.", set()),
    ("삼성전자, 퍼플렉시티에 지분 투자", "삼성전자가 퍼플렉시티에 지분을 투자하고, 갤럭시 S26에 퍼플렉시티 AI 검색을 기본 탑재하는 계약을 맺었다.",
     {(("Perplexity", "Samsung Electronics"), "investment"), (("Perplexity", "Samsung Electronics"), "agreement")}),
    ("Samsung lands $16.5 billion chip contract from Tesla",
     "Samsung Electronics will make Tesla's next-generation AI6 chips at its new plant in Taylor, Texas, under a "
     "$16.5 billion contract running through 2033.", {(("Samsung Electronics", "Tesla"), "supply")}),
    ("DT, Singtel spin off units into joint company", "Deutsche Telekom and Singtel signed an agreement to spin their "
     "units off into a new jointly owned company.", {(("Deutsche Telekom", "Singtel"), "joint_venture")}),
])
def test_later_batch_shapes(det, title, summary, expected):
    assert events(det, title, summary) == expected



@pytest.mark.parametrize("title,summary,expected", [
    ("Micron seen in pole position for AMD's next HBM4 orders", "", set()),
    ("Apple edges Samsung for top spot in third-quarter smartphone shipments", "", set()),
    # "the AI startup" is no chipmaker or assembler
    ("Foxconn to assemble xAI server racks", "Foxconn will assemble GPU server racks for xAI. Dell Technologies and "
                                            "Super Micro already supply servers to the AI startup.", set()),
    ("SK㈜·SK온, 美 배터리 재활용 기업에 공동 투자", "SK㈜와 SK온이 미국 배터리 재활용 스타트업의 신규 투자 라운드에 함께 참여했다.", set()),
    ("OpenAI, Anthropic each sign public-service pacts with UK",
     "OpenAI and Anthropic have each signed memorandums of understanding with the UK's Department for Science, "
     "Innovation and Technology to explore using their AI models in public services.", set()),
    ("Microsoft signs nuclear power deal", "Amazon and Google have struck similar agreements with other nuclear "
                                           "developers in the US.", set()),
])
def test_last_batch_near_misses(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    ("Update", "Microsoft will invest up to $5 billion and Nvidia up to $10 billion in Anthropic, the companies said.",
     {(("Anthropic", "Microsoft"), "investment"), (("Anthropic", "Nvidia"), "investment")}),
    ("Qualcomm cools on Intel takeover - sources", "", {(("Intel", "Qualcomm"), "ended")}),
    ("Update", "Nvidia, an early investor in Lambda, has also become one of its largest customers.",
     {(("Lambda", "Nvidia"), "investment")}),
    ("Update", "Apple is close to an agreement to pay about $1 billion a year for a version of Google's Gemini model.",
     {(("Apple", "Google"), "talks")}),
    ("네이버 \"소프트뱅크와 지분 매각 협의 중\"", "네이버는 소프트뱅크와 라인야후 지분 매각을 포함한 협의를 진행하고 있다고 밝혔다.",
     {(("Naver", "SoftBank"), "talks")}),
    ("업데이트", "삼성전자와 SK하이닉스는 각각 오픈AI와 고성능 D램 공급 협력에 관한 의향서(LOI)를 체결했다.",
     {(("OpenAI", "Samsung Electronics"), "mou"), (("OpenAI", "SK hynix"), "mou")}),
    # a descriptor line in the title is no preposition of the summary's first name
    ("Lambda books multibillion-dollar Microsoft deal as GPU clouds cash in",
     "GPU cloud provider Lambda will supply Microsoft with AI computing infrastructure under a multibillion-dollar, "
     "multi-year agreement.", {(("Lambda", "Microsoft"), "supply")}),
])
def test_final_batch_shapes(det, title, summary, expected):
    assert events(det, title, summary) == expected



@pytest.mark.parametrize("title,summary,expected", [
    ("\"엔비디아, 내년 HBM4에 삼성 채택할 것\"…증권가 전망", "", set()),
    ("네이버, 소프트뱅크와 A홀딩스 지분 조정 협상", "네이버가 소프트뱅크와 양사가 50%씩 출자한 합작회사 A홀딩스의 지분 일부를 매각하는 방안을 놓고 "
                                       "협상을 벌이고 있다.", {(("Naver", "SoftBank"), "joint_venture")}),
    ("웨이저자 TSMC 회장 \"인텔과 합작사 논의 안 해\"", "", {(("Intel", "TSMC"), "ended")}),
    ("SoftBank, Foxconn form joint venture", "SoftBank and Foxconn will set up a joint venture to manufacture AI data "
                                            "center equipment in Ohio.", {(("Foxconn", "SoftBank"), "joint_venture")}),
    ("네이버, AMD와 AI 인프라 협력 MOU…GPU 공급선 다변화", "", {(("AMD", "Naver"), "mou")}),
    ("Judge denies Arm's bid for new trial in Qualcomm licensing case", "", set()),
    ("Update", "Analysts named Qualcomm and AMD as possible candidates, though neither has placed orders with Samsung.",
     set()),
    ("TSMC CEO rules out joint venture with Intel", "", {(("Intel", "TSMC"), "ended")}),
])
def test_closing_batch_shapes(det, title, summary, expected):
    assert events(det, title, summary) == expected



@pytest.mark.parametrize("title,summary,expected", [
    ("Oracle to supply OpenAI with 4.5 gigawatts", "Oracle has signed a contract to provide OpenAI with about 4.5 gigawatts "
                                                  "of additional cloud computing capacity in the United States.",
     {(("OpenAI", "Oracle"), "supply")}),
    ("애플, 삼성 HBM 쓰나", "업계 일각에서는 삼성전자의 HBM이 탑재될 수 있다는 관측이 나온다. 다만 양사 간 구체적인 협의가 진행된 것으로 "
                      "확인되지는 않았다.", set()),
    ("Is Meta about to run its AI on Google's chips?",
     "Meta Platforms is in talks with Google to use Google's tensor processing units in its own data centres from 2027 "
     "and to rent TPU capacity through Google Cloud as early as next year, The Information reported.",
     {(("Google", "Meta"), "talks")}),
])
def test_talked_about_purchases_and_unconfirmed_talks(det, title, summary, expected):
    assert events(det, title, summary) == expected



@pytest.mark.parametrize("title,summary,expected", [
    ("증권가 \"SK하이닉스, 브로드컴 수혜 기대\"", "다만 양사 간 구체적인 계약 내용은 알려진 바 없다.", set()),
    ("Update", "OpenAI chief executive Sam Altman met SK Group chairman Chey Tae-won on Tuesday, then held talks with "
               "Samsung Electronics chairman Lee Jae-yong later the same day.",
     {(("OpenAI", "SK Group"), "talks"), (("OpenAI", "Samsung Electronics"), "talks")}),
])
def test_unknown_contracts_parts_provided_and_then(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    # a round told in a sentence of its own; who participates in it invests in the company that raised it
    ("Update", "Perplexity has raised $500 million in a new round. Returning backers Nvidia and SoftBank "
               "participated along with two sovereign funds.",
     {(("Nvidia", "Perplexity"), "investment"), (("Perplexity", "SoftBank"), "investment")}),
    ("Perplexity raises $500 million as Nvidia, SoftBank join round", "",
     {(("Nvidia", "Perplexity"), "investment"), (("Perplexity", "SoftBank"), "investment")}),
    ("Update", "Lambda closed a $480 million financing led by a hedge fund, with Nvidia among the participants.",
     {(("Lambda", "Nvidia"), "investment")}),
    # a warrant for the other's shares is a stake
    ("Qualcomm gets warrant to buy Arm shares in licensing deal", "",
     {(("Arm", "Qualcomm"), "investment"), (("Arm", "Qualcomm"), "agreement")}),
    # "the ChatGPT maker" names OpenAI; "and the" joins a list
    ("Update", "KT and the ChatGPT maker agreed to explore a joint AI service for Korean enterprises.",
     {(("KT", "OpenAI"), "talks")}),
    # "Rival" before a name describes it
    ("Update", "Rival KT invested $20 million in Anthropic last year.", {(("Anthropic", "KT"), "investment")}),
    # amounts and quantities count no words between the verb and its partner
    ("Update", "AMD will ship more than 120,000 of its MI355 accelerators to a sovereign cloud and to Oracle and "
               "Microsoft next year.",
     {(("AMD", "Oracle"), "supply"), (("AMD", "Microsoft"), "supply")}),
    # a clause that begins with analysts is not the one that states the fact
    ("Update", "Micron remains AMD's main HBM supplier, and analysts expect Samsung to win share next year.",
     {(("AMD", "Micron"), "supply")}),
    # developed jointly with two firms: one joint act of all three, unless "respectively"
    ("Update", "LG Electronics showed a robot it developed jointly with Qualcomm and Microsoft.",
     {(("LG Electronics", "Qualcomm"), "agreement"), (("LG Electronics", "Microsoft"), "agreement"),
      (("Microsoft", "Qualcomm"), "agreement")}),
    ("Update", "LG Electronics developed the two robots jointly with Qualcomm and with Microsoft, respectively.",
     {(("LG Electronics", "Qualcomm"), "agreement"), (("LG Electronics", "Microsoft"), "agreement")}),
    # plural letters signed by a plural subject: one each, never with each other
    ("LG Electronics, LG Uplus sign letters of intent to build Microsoft's Korean AI hub", "",
     {(("LG Electronics", "Microsoft"), "mou"), (("LG Uplus", "Microsoft"), "mou")}),
    # no comment is no statement
    ("Update", "Apple declined to comment on its modem suppliers, and Qualcomm shares fell 2%.", set()),
    # Korean: expectations, wars over orders, a government topic, contracts named by what they are for
    ("\"SK온, 현대차 전기차 배터리 수주 기대\"…목표가 상향", "", set()),
    ("LG에너지솔루션·SK온, 테슬라 배터리 물량 놓고 '수주 전쟁'", "", set()),
    ("中, 삼성전자·SK하이닉스 메모리 반도체 조사 철회", "", set()),
    ("Update", "카카오가 오픈AI와 GPT 모델을 사용하는 수천억원 규모 다년 계약을 맺었다.",
     {(("Kakao", "OpenAI"), "supply")}),
    ("Update", "KT가 마이크로소프트에 데이터센터를 제공하는 수조원 규모의 장기 계약을 맺었다. "
               "KT는 엔비디아로부터 공급받은 GPU를 이번 계약에 쓸 예정이다.",
     {(("KT", "Microsoft"), "supply"), (("KT", "Nvidia"), "supply")}),
    ("Update", "카카오는 앞서 네이버와 함께 추진하던 AI 윤리 공동 연구에서 손을 뗀 바 있다.",
     {(("Kakao", "Naver"), "ended")}),
    # "회사는" opening a sentence is the subject of the sentences before it
    ("LG이노텍, 실적 발표", "LG전자가 3분기 실적을 발표했다. 회사는 올해부터 퀄컴에 카메라 모듈을 공급하고 있다.",
     {(("LG Electronics", "Qualcomm"), "supply")}),
    ("Update", "카카오가 새 AI 서비스를 공개했다. 회사 측은 오픈AI와의 협력 가능성에 대해 말을 아꼈다.", set()),
    # what a meeting discussed "for A's project" is no deal of its own
    ("Update", "Nvidia CEO Jensen Huang met LG Electronics chairman Koo Kwang-mo in Seoul on Monday, discussing "
               "robot chips for the Korean company's factories and Microsoft's cloud.",
     {(("LG Electronics", "Nvidia"), "talks")}),
])
def test_rounds_joined_warrants_descriptors_and_korean_contract_objects(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    # a memorandum to set up a joint venture is a memorandum (of every pair of a consortium)
    ("KT·LG유플러스·SKT, AI 데이터 합작사 설립 MOU", "", {(("KT", "LG Uplus"), "mou"), (("KT", "SK Telecom"), "mou"),
                                                  (("LG Uplus", "SK Telecom"), "mou")}),
    # Korean negations after a trigger: "협의는 없으며"
    ("Update", "두 회사 모두 공식 확인된 협의는 없으며, 업계에서는 카카오와 오픈AI의 제휴를 관측 수준으로 본다.", set()),
    # an order not won is no partnership ended
    ("브로드컴 AI칩 전량 TSMC 생산…인텔 파운드리 수주 불발", "", set()),
    # a round raised, then a backer "took part in the round, along with" investors outside the catalog
    ("Update", "Perplexity said it had closed a $200 million funding round led by IVP. SoftBank, which has backed "
               "the search startup since 2024, also took part in the round, along with two pension funds.",
     {(("Perplexity", "SoftBank"), "investment")}),
    # what two firms each agreed with a government is no deal between them
    ("Update", "Apple and Google have agreed to pay the European Commission fines over app store rules.", set()),
    # the verb of a Korean relative clause is its head's alone, even next to "3사"
    ("Update", "이로써 앞서 애플에 모뎀을 납품해온 퀄컴, 브로드컴과 함께 통신칩 3사가 모두 애플 공급망에 들어갔다.",
     {(("Apple", "Qualcomm"), "supply"), (("Apple", "Broadcom"), "supply")}),
    # "...와는" in a later clause: a partner outside the catalog, not the one of the clause before
    ("Update", "카카오는 오픈AI와 챗봇 양해각서를 맺었으며, 한 시중은행과는 금융 AI 계약을 체결했다.",
     {(("Kakao", "OpenAI"), "mou")}),
    # "talks to add X as a customer": talks about a supply, not one
    ("Update", "Qualcomm is in early talks to add Samsung Electronics as a second foundry supplier, people familiar "
               "with the matter said.", {(("Qualcomm", "Samsung Electronics"), "talks")}),
    ("Update", "Intel landed Microsoft as a foundry customer for its 18A process.", {(("Intel", "Microsoft"), "supply")}),
    # a question on a customer is no customer
    ("Samsung call: executive sidesteps question on Nvidia as an HBM4 customer", "", set()),
    # capacity reserved at a foundry is bought from it
    ("Update", "AMD has reserved a large share of TSMC's 2nm capacity for next year.", {(("AMD", "TSMC"), "supply")}),
    # "in the Claude developer": the preposition before the article
    ("Update", "Amazon, which owns a minority stake in the Claude developer, said demand keeps rising.",
     {(("Amazon", "Anthropic"), "investment")}),
    # the joint venture a relative clause names
    ("Update", "The battery joint venture that LG Energy Solution and Hyundai Motor built in Georgia began production.",
     {(("Hyundai Motor", "LG Energy Solution"), "joint_venture")}),
    ("Update", "The joint venture that Tesla formed with LG Energy Solution has started hiring.",
     {(("LG Energy Solution", "Tesla"), "joint_venture")}),
    # a letter of intent whose terms name both signers is between them, even with an investment in it
    ("Update", "Microsoft and Lambda signed a letter of intent under which Lambda will host GPUs and Microsoft "
               "intends to invest in the cloud provider.", {(("Lambda", "Microsoft"), "mou")}),
])
def test_memoranda_of_ventures_failed_wins_rounds_and_outside_partners(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    # a relation in a later sentence opened by a descriptor of the subject before
    ("Update", "Lambda opened a new cluster in Texas. The GPU cloud provider also signed a contract to supply "
               "Microsoft with AI infrastructure.", {(("Lambda", "Microsoft"), "supply")}),
    ("Update", "Anthropic launched a new model. The chipmaker said demand from Nvidia stayed strong.", set()),
    ("Update", "The Amazon-backed AI startup said its revenue tripled, while Google kept its stake.", set()),
    # a venture's purpose is no supply of its own
    ("Update", "Foxconn will set up a joint venture with SoftBank to manufacture servers in Texas.",
     {(("Foxconn", "SoftBank"), "joint_venture")}),
    # "contract chipmaking" is a line of business
    ("Update", "Samsung Electronics' contract chipmaking arm trailed TSMC in market share again.", set()),
    # making products for a customer is supplying it
    ("Update", "Foxconn already makes servers for Nvidia and Dell.",
     {(("Foxconn", "Nvidia"), "supply"), (("Dell", "Foxconn"), "supply")}),
    # names that only look like catalog organisations'; collaborative works are joint acts
    ("The Oracle of Omaha adds to Apple stake", "", set()),
    ("LG전자·퀄컴 합작품 AI PC 공개", "", {(("LG Electronics", "Qualcomm"), "agreement")}),
    # a list with each company's country, "함께" a memorandum of all; a memorandum signed before
    ("Update", "KT는 미국 마이크로소프트, 독일 도이치텔레콤과 함께 AI 동맹 결성을 위한 양해각서를 체결했다.",
     {(("KT", "Microsoft"), "mou"), (("Deutsche Telekom", "KT"), "mou"), (("Deutsche Telekom", "Microsoft"), "mou")}),
    ("Update", "LG에너지솔루션이 지난해 테슬라와 맺은 배터리 공급 의향서를 구체화하기 위해 본계약 협상을 진행 중이다.",
     {(("LG Energy Solution", "Tesla"), "mou")}),
    # a headline's bare "SK" is the SK company the summary names doing the same deal
    ("Samsung, SK sign letters of intent with Nvidia", "Samsung Electronics and SK hynix each signed a letter of "
     "intent with Nvidia on Monday.", {(("Nvidia", "Samsung Electronics"), "mou"), (("Nvidia", "SK hynix"), "mou")}),
    # equipment brought in from a maker is supplied by it
    ("Update", "삼성전자가 ASML로부터 차세대 노광장비를 들여와 화성 공장에 설치했다.", {(("ASML", "Samsung Electronics"), "supply")}),
])
def test_descriptor_subjects_venture_purposes_lists_and_headline_sk(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    # denials about people hired, not about deals
    ("카카오 \"네이버 AI 인력 대거 영입설 사실무근\"", "", set()),
    ("Micron denies report it poached SK hynix engineers", "", set()),
    ("Micron denies report of HBM supply talks with Apple", "", {(("Apple", "Micron"), "ended")}),
    # potential customers, and confidence in more orders, are no customers
    ("Update", "인텔 파운드리 대표는 '애플, 엔비디아 같은 기업 모두가 잠재적 고객'이라며 수주 확대에 자신감을 보였다.", set()),
    # a Korean decision not to pursue a partnership ends it
    ("Update", "카카오가 오픈AI와의 지분 제휴 방안을 추진하지 않기로 했다고 밝혔다.", {(("Kakao", "OpenAI"), "ended")}),
    # what a deal "would see" happen is not done yet
    ("Update", "Apple is close to an agreement with Google that would see Apple take part in a funding round of its "
               "AI unit, people familiar said.", {(("Apple", "Google"), "talks")}),
    # two firms' agreements with universities
    ("LG전자·LG유플러스, 대학과 AI 인재 양성 협약", "", set()),
    # "The company, whose backers include A and B, signed ...": the subject named before
    ("Update", "Perplexity filed for a listing on Monday. The company, whose backers include Nvidia and SoftBank, "
               "signed a deal to supply KT with AI search.",
     {(("Nvidia", "Perplexity"), "investment"), (("Perplexity", "SoftBank"), "investment"),
      (("KT", "Perplexity"), "supply")}),
    # attempts are not results; chasing a deal is competing for it
    ("Update", "Samsung and Micron are each scrambling to finish qualification of their HBM4 for AMD.", set()),
    ("Dell and Supermicro chase the same Meta server deal", "", set()),
    # one event told after another: each has its own parties
    ("Update", "Microsoft signed power agreements with a utility, days after Amazon struck a deal to buy power from "
               "a reactor operator.", set()),
    # a pair the headline joins, the summary tells apart
    ("LG에너지솔루션·SK온 미국 합작공장 감산", "LG에너지솔루션은 GM과, SK온은 포드와 각각 합작법인을 운영하고 있다.", set()),
])
def test_hiring_denials_potential_customers_decisions_not_to_and_backers(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    # deals won against a rival are no deal with it
    ("Update", "Its chief executive said Supermicro kept winning deals against Dell in the quarter.", set()),
    # "삼성 계열사들": affiliates, not Samsung Electronics
    ("Update", "KT는 오픈AI와 양해각서를 맺었으며, 삼성 계열사들도 별도 협약을 체결했다.", {(("KT", "OpenAI"), "mou")}),
    # a memorandum that forms an alliance is one of all its members
    ("Update", "KT는 독일 도이치텔레콤, 싱가포르 싱텔과 'AI 얼라이언스'를 출범시키고 양해각서를 체결했다.",
     {(("Deutsche Telekom", "KT"), "mou"), (("KT", "Singtel"), "mou"), (("Deutsche Telekom", "Singtel"), "mou")}),
    # money put into a company is a stake
    ("Update", "Nvidia, which put $1 billion into Perplexity last year, said demand was strong.",
     {(("Nvidia", "Perplexity"), "investment")}),
    # access revoked ends a relation
    ("OpenAI cuts off Microsoft's access to its newest models", "", {(("Microsoft", "OpenAI"), "ended")}),
    # three firms that "each" receive something are not paired by the headline
    ("Nvidia to ship GPUs to Korea as Samsung, SK and Hyundai sign on",
     "Samsung Electronics, SK Group and Hyundai Motor will each receive up to 50,000 chips.", set()),
    # a Series round raised, then backers that "put in fresh capital" / "자금을 넣었다"
    ("Update", "Perplexity has raised $200 million in a Series E led by a growth fund. Existing backers Nvidia and "
               "SoftBank both put in fresh capital, the company said.",
     {(("Nvidia", "Perplexity"), "investment"), (("Perplexity", "SoftBank"), "investment")}),
    ("Update", "퍼플렉시티가 5억달러 규모의 투자 유치를 마무리했다. 기존 주주인 엔비디아도 이번 라운드에 자금을 넣었다.",
     {(("Nvidia", "Perplexity"), "investment")}),
    # furnishing a customer under an agreement is supplying it
    ("Update", "Oracle will furnish Meta with cloud capacity under a multiyear agreement.", {(("Meta", "Oracle"), "supply")}),
])
def test_rivals_affiliates_alliances_money_put_in_and_access_revoked(det, title, summary, expected):
    assert events(det, title, summary) == expected


@pytest.mark.parametrize("title,summary,expected", [
    # money "taken from" backers is their investment
    ("Update", "Lambda has taken money from Nvidia and a sovereign fund this year.", {(("Lambda", "Nvidia"), "investment")}),
    ("Update", "Apple said it would not take money from Google.", set()),
    # the brand bought is not the seller: "buy ... Azure capacity from Microsoft"
    ("Update", "OpenAI agreed to buy $12 billion of Azure computing power from Microsoft over five years.",
     {(("Microsoft", "OpenAI"), "supply")}),
    # "as foundry customer" is a role inside the talks, not a clause of its own
    ("Samsung in talks to land Qualcomm as foundry customer", "", {(("Qualcomm", "Samsung Electronics"), "talks")}),
    # two firms in talks "to take part" in a round told before talk with its raiser, not with each other
    ("Update", "Anthropic is raising $5 billion in a new funding round. Amazon and Google are in talks to take part, "
               "people familiar said.", {(("Amazon", "Anthropic"), "talks"), (("Anthropic", "Google"), "talks")}),
    ("Update", "Amazon and Google are in talks over a cloud alliance.", {(("Amazon", "Google"), "talks")}),
    # a "which" clause about the name an earlier clause ends on: "the company" is the one before
    ("Update", "Dell builds its servers in Texas. Lambda recently met with Nvidia, which plans to take a stake in "
               "the company.", {(("Lambda", "Nvidia"), "talks")}),
    # a memorandum for a partnership is the memorandum only
    ("Update", "Naver and Nvidia signed a memorandum of understanding for a strategic partnership in physical AI.",
     {(("Naver", "Nvidia"), "mou")}),
    # a plan to act together is talks
    ("Update", "Kakao and OpenAI plan to team up on AI agents for the Korean market.", {(("Kakao", "OpenAI"), "talks")}),
    ("Update", "LG Electronics plans to jointly develop in-car AI with Microsoft.", {(("LG Electronics", "Microsoft"), "talks")}),
    # negotiations in their final stage are still negotiations; what a draft holds is not done
    ("Update", "KT가 마이크로소프트와 클라우드 제휴 협상을 마무리하는 단계에 있다고 업계 관계자가 전했다.",
     {(("KT", "Microsoft"), "talks")}),
    ("Update", "네이버와 엔비디아의 협상안에는 엔비디아가 네이버에 GPU를 공급하고 지분을 투자하는 내용이 포함됐다.",
     {(("Naver", "Nvidia"), "talks")}),
    # rumours (협력설, 인수설) are no deal; denying one ends it
    ("Update", "업계에서는 애플과 구글의 AI 협력설이 다시 나오고 있다.", set()),
    ("카카오, 네이버 인수설 부인", "", {(("Kakao", "Naver"), "ended")}),
    # "Alphabet's Waymo": a company of the group outside the catalog
    ("Hyundai Motor to supply robotaxis to Alphabet's Waymo", "", set()),
    # what an analyst "sees" happening is a forecast
    ("Jefferies sees Samsung winning more of Apple's memory orders", "", set()),
    # receivers of a supply told before without a catalog customer
    ("Update", "AMD will ship 40,000 accelerators to Japanese research labs and companies this year. Oracle and "
               "SoftBank will each receive up to 8,000 of them.",
     {(("AMD", "Oracle"), "supply"), (("AMD", "SoftBank"), "supply")}),
    ("Update", "AMD will ship 40,000 accelerators to Japanese labs this year, while Oracle will receive 8,000 "
               "from a reseller.", set()),
    # hard to do is not done
    ("마이크론, 연내 애플 공급 어렵다…증권가 눈높이 하향", "", set()),
    # what a service lets its users do is no deal of the company that launches it
    ("Update", "KT는 네이버와 협력해 기업이 GPU를 빌려 쓰는 요금제를 내놨다.", {(("KT", "Naver"), "talks")}),
    # "B, C와 공동 개발한": one joint act of all three (not when each deal is its own)
    ("Update", "LG전자가 마이크로소프트, 퀄컴과 공동 개발한 AI PC를 공개했다.",
     {(("LG Electronics", "Microsoft"), "agreement"), (("LG Electronics", "Qualcomm"), "agreement"),
      (("Microsoft", "Qualcomm"), "agreement")}),
    ("Update", "LG전자는 마이크로소프트, 퀄컴과 각각 공동 개발 계약을 맺었다.",
     {(("LG Electronics", "Microsoft"), "agreement"), (("LG Electronics", "Qualcomm"), "agreement")}),
    # a partnership a memorandum is for is the memorandum; an offer is talks
    ("Update", "네이버가 현대차와 차량용 AI 서비스 제휴를 위한 업무협약을 맺었다.", {(("Hyundai Motor", "Naver"), "mou")}),
    ("Update", "브로드컴이 인텔에 인수를 제안했다고 외신이 전했다.", {(("Broadcom", "Intel"), "talks")}),
    # shares sold to a buyer are its stake; negotiations all wrapped up are a deal
    ("Update", "Arm will sell $500 million of common stock to SoftBank, the company said.", {(("Arm", "SoftBank"), "investment")}),
    ("Update", "삼성전자는 AMD와 내년 HBM4 공급 협상을 모두 마무리했다고 밝혔다.", {(("AMD", "Samsung Electronics"), "supply")}),
    # names joined to the topic act apart when the summary says 각각
    ("구글 AI 동맹, LG전자·LG유플러스가 양해각서 서명", "LG전자와 LG유플러스는 구글과 각각 양해각서를 체결했다.",
     {(("Google", "LG Electronics"), "mou"), (("Google", "LG Uplus"), "mou")}),
    # a stock move "on report" of someone else's deal is a clause of its own
    ("Micron shares slip on report Samsung is nearing $3 billion xAI memory deal", "", set()),
    # investors in a round of a company outside the catalog are no partners of each other
    ("Update", "오픈AI 출신이 세운 스타트업이 투자를 유치했다. 구글은 이번 투자로 지분 5%를 확보했으며, 아마존 등 기존 "
               "투자자들도 이번 라운드에 참여했다.", set()),
    ("Update", "한 AI 스타트업이 투자를 유치했다. 구글은 이번 투자로 지분 5%를 확보했으며, 아마존 등 기존 "
               "투자자들도 이번 라운드에 참여했다.", set()),
    ("Update", "Wayfair raised $400 million in a round led by a pension fund, with Amazon and existing backer Google "
               "also participating.", set()),
    ("Update", "Perplexity raised $500 million, with existing investor Nvidia joining the round.",
     {(("Nvidia", "Perplexity"), "investment")}),
    # "In return, the AI startup ...": the one name told before that the descriptor fits
    ("Update", "Amazon will invest another $4 billion in Anthropic. In return, the AI startup will rent Trainium "
               "capacity from Amazon.", {(("Amazon", "Anthropic"), "investment"), (("Amazon", "Anthropic"), "supply")}),
    # a supply told as fact next to the denial of something else is a deal of its own
    ("SK온 \"포드와 합작 추진 사실무근\"", "SK온은 포드와 새 합작법인 설립을 논의 중이라는 보도를 부인했다. SK온은 현재 "
     "현대차에 배터리를 공급하고 있다.", {(("Hyundai Motor", "SK On"), "supply")}),
    ("삼성SDI 아닌 LG엔솔, 테슬라와 합작 부인", "LG에너지솔루션은 테슬라와 합작법인을 세운다는 보도를 부인했다. "
     "LG에너지솔루션은 테슬라에 원통형 배터리를 공급하고 있다.",
     {(("LG Energy Solution", "Tesla"), "ended"), (("LG Energy Solution", "Tesla"), "supply")}),
    # a contract word that restates a supply deal in the same sentence is that deal
    ("Update", "Meta signed a $12 billion agreement to rent servers from Oracle, its largest contract with the "
               "cloud provider so far.", {(("Meta", "Oracle"), "supply")}),
    ("Update", "Meta signed a $12 billion agreement to rent servers from Oracle and a separate licensing contract "
               "with Oracle.", {(("Meta", "Oracle"), "supply"), (("Meta", "Oracle"), "agreement")}),
    # a share purchase is a stake; an agreement last month to take a stake is that stake
    ("Update", "SoftBank completed its $2 billion Intel share purchase.", {(("Intel", "SoftBank"), "investment")}),
    ("Update", "It follows Amazon's agreement last month to take a $4 billion stake in Anthropic.",
     {(("Amazon", "Anthropic"), "investment")}),
    ("Microsoft, OpenAI ink $80 billion computing contract", "", {(("Microsoft", "OpenAI"), "supply")}),
    # a cloud provider made "primary", models trained on the other's chips: supply
    ("Update", "Under the deal, Perplexity will make Google Cloud its primary cloud provider.",
     {(("Google", "Perplexity"), "supply")}),
    ("Update", "Mistral and OpenAI will train their next models on Nvidia's Blackwell systems.",
     {(("Nvidia", "OpenAI"), "supply")}),
    ("Update", "Researchers at Meta train models on GPUs every day.", set()),
    # analysts' "contender" is a forecast; co-investors in a startup outside the catalog are no pair
    ("Analysts tip Samsung as contender for Apple modem orders", "", set()),
    ("네이버·카카오, 美 AI 스타트업에 3000만달러 공동 투자", "", set()),
    # a date after "from" is no outside partner
    ("Update", "Samsung's $2 billion contract to supply HBM4 from March 2026 is with AMD, people familiar said.",
     {(("AMD", "Samsung Electronics"), "supply")}),
    # a company set up jointly is a joint venture
    ("Update", "Naver and Kakao will jointly set up a new payments company in Japan.", {(("Kakao", "Naver"), "joint_venture")}),
    # receivers that "each take" units of a supply told before
    ("Update", "AMD will ship 40,000 accelerators to Japan this year. Oracle and SoftBank will each take about 8,000.",
     {(("AMD", "Oracle"), "supply"), (("AMD", "SoftBank"), "supply")}),
    # a three-way race for orders is competition
    ("삼성·SK하이닉스, 애플 모뎀 메모리 수주 양강 구도", "", set()),
    ("SK하이닉스·삼성·마이크론, AMD HBM4 수주 3파전", "", set()),
    # "told investors" is no investor of the one who told them; investor sentiment is no investment
    ("Update", "Shares of Nvidia rose after Amazon told investors its spending would climb.", set()),
    ("Update", "엔비디아 강세가 SK하이닉스 투자심리를 끌어올렸다.", set()),
    # "이번 LOI" is the memorandum already told, not one with whoever is named here
    ("Update", "삼성전자는 오픈AI와 의향서를 맺었다. 애플에 메모리를 공급해온 삼성전자는 이번 LOI로 고객을 늘렸다.",
     {(("OpenAI", "Samsung Electronics"), "mou"), (("Apple", "Samsung Electronics"), "supply")}),
    # a semicolon in a headline separates two pieces of news
    ("Regulator clears Google's hiring of Character team; Meta's Scale deal under review", "", set()),
    # chairmen joined by 과 before the verb are one subject, acting each on their own (각각)
    ("Update", "이재용 삼성전자 회장과 정의선 현대차그룹 회장이 참석해 각각 국내 투자 확대 계획을 밝혔다.", set()),
    # a deal "becoming visible" (가시화) or given a "green light" (청신호) by the market is a forecast
    ("SK하이닉스, 구글 TPU용 HBM 공급 가시화…목표가 상향", "", set()),
    ("마이크론, 애플 메모리 공급에 청신호", "", set()),
    # "-해지다" verb endings are no termination; "계약해지" is one
    ("Update", "삼성전자가 엔비디아와 만나 협력을 논의한 것으로 전해지면서 주가가 올랐다.",
     {(("Nvidia", "Samsung Electronics"), "talks")}),
    ("Update", "테슬라가 LG에너지솔루션에 공급 계약해지를 통보했다.", {(("LG Energy Solution", "Tesla"), "ended")}),
    # a partnership recalled next to the denial of a stake is a deal of its own
    ("Update", "카카오는 오픈AI 지분 투자설을 부인했다. 카카오는 지난해 오픈AI와 전략적 제휴를 맺었다.",
     {(("Kakao", "OpenAI"), "ended"), (("Kakao", "OpenAI"), "agreement")}),
    # an official who meets several chairmen, or lawmakers who name several firms: no pair among them
    ("Update", "윤 장관이 최태원 SK그룹 회장, 구광모 LG그룹 회장과 간담회를 열었다.", set()),
    ("Update", "의원들은 네이버의 개인정보 유출과 카카오의 서비스 장애를 거론하며 보안 투자 확대를 요구했다.", set()),
    # turning down an opinion is no ended deal; turning down an offer is
    ("Update", "Nadella rejected Altman's view that AI will replace most programmers.", set()),
    ("Update", "Arm rejected Qualcomm's offer to buy its stake.", {(("Arm", "Qualcomm"), "ended")}),
    # firms listed as each buying something are no suppliers of one another
    ("Update", "The ministry picked Naver Cloud, Kakao and KT Cloud to procure 10,000 GPUs.", set()),
    # buying a brand's compute capacity is buying from its owner
    ("Update", "OpenAI committed to buying $20 billion of Azure compute capacity.", {(("Microsoft", "OpenAI"), "supply")}),
    # a market story whose every event is weakly told gives none; a deal it states as signed stays
    ("Brokers lift Micron targets on hopes of bigger Nvidia HBM orders", "", set()),
    ("Micron shares jump after it signs HBM4 supply deal with Nvidia", "", {(("Micron", "Nvidia"), "supply")}),
    # a Korean sentence that leaves its subject unsaid meets with the topic of the one before
    ("Update", "리사 수 AMD CEO는 이재용 삼성전자 회장과 만났다. 이튿날에는 SK하이닉스 경영진과 만나 HBM 협력을 논의했다.",
     {(("AMD", "Samsung Electronics"), "talks"), (("AMD", "SK hynix"), "talks")}),
    ("Update", "리사 수 AMD CEO는 이재용 삼성전자 회장과 만났다. 애널리스트들은 SK하이닉스 경영진과 만나 업황을 논의했다.",
     {(("AMD", "Samsung Electronics"), "talks")}),
    # everyone met on a long trip, each counted from the one met before
    ("Update", "Chey Tae-won met OpenAI's Sam Altman in San Francisco on Monday and Microsoft's Satya Nadella at its "
               "Redmond campus on Wednesday and Intel's Lip-Bu Tan in Santa Clara on Friday.",
     {(("OpenAI", "SK Group"), "talks"), (("Microsoft", "SK Group"), "talks"), (("Intel", "SK Group"), "talks")}),
    # a job title (대외협력 사장) is no cooperation; Naver's cloud arm is Naver
    ("SK그룹 인사…SK텔레콤 CEO에 대외협력 사장 선임", "SK그룹이 SK텔레콤 신임 CEO로 대외협력 사장을 선임했다.", set()),
    ("Update", "네이버클라우드는 엔비디아와 GPU 공급 계약을 맺었다.", {(("Naver", "Nvidia"), "supply")}),
    # money put into a company (넣었다) is a stake; money put into one's own plant is not a partnership
    ("Update", "카카오는 퍼플렉시티에 5000만달러를 넣었다.", {(("Kakao", "Perplexity"), "investment")}),
    ("Update", "삼성전자는 평택 공장에 10조원을 투입하고 엔비디아 수요에 대응한다.", set()),
    # what follows the headline is no outside partner of the headline's deal
    ("Naver, Kakao and LG Uplus agree to form AI joint venture", "Operators from Asia said the venture would start in May.",
     {(("Kakao", "Naver"), "joint_venture"), (("LG Uplus", "Naver"), "joint_venture"), (("Kakao", "LG Uplus"), "joint_venture")}),
    # an offer rebuffed ends the talks about it
    ("Samsung rebuffed Apple's modem partnership offer", "", {(("Apple", "Samsung Electronics"), "ended")}),
    # a deal of one with an outsider, after another's stake in it: no pair across the two
    ("Amazon and Microsoft cut ties with Scale AI after Meta's $14 billion investment", "", set()),
    ("Intel shares jump after Nvidia's $5 billion investment", "", {(("Intel", "Nvidia"), "investment")}),
    # a Korean sentence that ends as a forecast of what is possible tells nothing done
    ("Update", "증권사들은 SK하이닉스가 내년 애플의 품질 테스트를 통과해 공급망에 진입할 가능성이 높다고 전망했다.", set()),
    ("Update", "SK하이닉스는 애플과 공급 계약을 체결한 데 힘입어 내년 수요도 견조할 것으로 내다봤다.",
     {(("Apple", "SK hynix"), "supply")}),
    # "without licences" licenses nothing
    ("Update", "The rule lets Samsung Electronics and SK hynix ship tools to their China plants without individual licenses.", set()),
    # a CEO named after "after" is no part of the name before it
    ("Naver joins Nvidia's AI program after Jensen Huang meets Kakao chief", "", {(("Kakao", "Nvidia"), "talks")}),
    # the lead investor of an outsider's round is no raiser; co-investors in it are no pair
    ("Update", "Nvidia led Mistral AI's $1 billion funding round. Microsoft also participated in the round.", set()),
    # "betting on features" is a figure of speech; "bets on OpenAI" is a stake
    ("Update", "Samsung unveiled new phones, betting on Gemini features to win buyers from Apple.", set()),
    ("SoftBank bets on OpenAI with $40 billion round", "", {(("OpenAI", "SoftBank"), "investment")}),
    # "counts X among its backers": X invested; "the start-up" is a startup
    ("Update", "Amazon will invest $4 billion in Anthropic. The start-up already counts Google among its backers.",
     {(("Amazon", "Anthropic"), "investment"), (("Anthropic", "Google"), "investment")}),
    # common stock bought (보통주) is a stake
    ("소프트뱅크, 엔비디아 보통주 10억달러어치 매입", "", {(("Nvidia", "SoftBank"), "investment")}),
    # a company that did the same before ("구글 이어") is no party
    ("아마존, 뉴욕주와 2억달러 합의…구글 이어 두 번째", "", set()),
    # an official who meets one firm after another, or a regulator consulting both, pairs none of them
    ("산업부 장관, 삼성전자 사장 접견 이어 SK하이닉스와도 면담", "", set()),
    ("공정위, 애플·구글 과징금 결정 연기", "공정위는 두 회사와 시정 방안을 협의하고 있다고 밝혔다.", set()),
    # a partner programme or officer is no partnership
    ("Update", "Microsoft hired a veteran who spent ten years running Dell's partner programme.", set()),
    # firms joining a standards body's discussion, or talks to take part in a round, pair none of them
    ("JEDEC, HBM5 규격 확정…삼성·SK하이닉스 논의 참여", "", set()),
    ("Update", "Amazon and Google are in talks to take part in the funding round, people said.", set()),
    # a subsidy that ended, or an investment burden, is no deal between the firms that share it
    ("삼성SDI·LG에너지솔루션·SK온, 美 보조금 종료에 실적 부진", "", set()),
    ("네이버·카카오 실적 희비…카카오는 AI 투자 부담", "", set()),
    ("LG에너지솔루션·SK온, 배터리 합작 협력 종료", "", {(("LG Energy Solution", "SK On"), "ended")}),
    # an owner's own plan that was shelved is no partnership ended; a deal of theirs that was is
    ("Meta hires engineers from Apple's shelved headset project", "", set()),
    ("Nvidia's cancelled supply deal with Samsung", "", {(("Nvidia", "Samsung Electronics"), "ended")}),
    # pushing to finish a qualification is an attempt, told as a contest
    ("Update", "Micron and SK hynix are pushing to complete qualification of HBM4 for AMD's next chips, in a contest "
               "for orders.", set()),
    # talks that collapse end
    ("SoftBank's chip talks with Intel collapse, paper says", "", {(("Intel", "SoftBank"), "ended")}),
    # shipping more than a rival ("edging past") is a comparison
    ("Update", "Samsung shipped 60 million phones in the quarter, edging past Apple's 58 million.", set()),
    # firms listed before "이어" did the same before; money committed to a partnership is no stake
    ("SK하이닉스, 美에 패키징 공장…TSMC·삼성전자 이어 투자 대열", "", set()),
    ("Update", "KT가 마이크로소프트와 5년간 2조원을 투입하는 AI 파트너십 계약을 맺었다.", {(("KT", "Microsoft"), "agreement")}),
    # agreements (plural) to supply are the supply deals
    ("Update", "Micron has signed agreements to supply HBM4 to AMD.", {(("AMD", "Micron"), "supply")}),
    # "whose customers include": a supply relation told in passing
    ("Update", "Dell, whose customers include Meta and Tesla, posted record server sales.",
     {(("Dell", "Meta"), "supply"), (("Dell", "Tesla"), "supply")}),
])
def test_money_taken_brands_bought_plans_drafts_rumours_and_customers(det, title, summary, expected):
    assert events(det, title, summary) == expected


# Sets written blind while rules-6 was made, each by a helper that never saw the code; "blind" is
# (event F1, item precision) the first time the detector saw it; each was fixed only by general
# rules afterwards. Floors: (items, items without events, event F1, item precision).
_FIXTURES = Path(__file__).parents[1] / "fixtures"
BLIND_SETS = [
    # Korean-heavy; English-heavy; follow-up stories
    (HELDOUT7, (0.864, 0.964), (50, 20, 0.9, 0.95)),
    (HELDOUT8, (0.827, 0.962), (50, 20, 0.9, 0.95)),
    (HELDOUT9, (0.645, 0.929), (50, 20, 0.9, 0.95)),
    # Korean dailies; English wire copy
    (_FIXTURES / "detection_heldout10.jsonl", (0.868, 0.964), (50, 20, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout11.jsonl", (0.804, 0.900), (50, 20, 0.9, 0.95)),
    # precision-focused; kind boundaries; short/messy feed items
    (_FIXTURES / "detection_heldout12.jsonl", (0.867, 0.870), (50, 15, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout13.jsonl", (0.893, 0.946), (50, 15, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout14.jsonl", (1.0, 1.0), (50, 15, 0.9, 0.95)),
    # roundups naming many organisations; Korean sentence structure; finance press
    (_FIXTURES / "detection_heldout15.jsonl", (0.763, 0.960), (50, 20, 0.85, 0.95)),
    (_FIXTURES / "detection_heldout16.jsonl", (0.886, 1.000), (50, 20, 0.85, 0.95)),
    (_FIXTURES / "detection_heldout17.jsonl", (0.838, 0.923), (50, 20, 0.85, 0.95)),
    # general samples written at the end of rules-6 (60 items each)
    (_FIXTURES / "detection_heldout18.jsonl", (0.892, 0.969), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout19.jsonl", (0.872, 0.861), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout20.jsonl", (0.783, 1.000), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout21.jsonl", (0.881, 0.816), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout22.jsonl", (0.878, 0.967), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout23.jsonl", (0.863, 0.917), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout24.jsonl", (0.944, 0.963), (50, 20, 0.9, 0.95)),
    # the last set, against the finished rules-6: only three general rules added after it, so its
    # floor stays near the honest estimate
    (_FIXTURES / "detection_heldout25.jsonl", (0.861, 0.808), (50, 25, 0.9, 0.95)),
    # written blind against rules-6 (the next stop): English wire copy; Korean press; tricky mixes
    (_FIXTURES / "detection_heldout26.jsonl", (0.857, 0.963), (50, 20, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout27.jsonl", (0.917, 0.931), (50, 20, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout28.jsonl", (0.812, 0.958), (50, 20, 0.9, 0.95)),
    # written blind against the first rules-7 draft: telecom and cloud; chip supply chains; short feed items
    (_FIXTURES / "detection_heldout29.jsonl", (0.882, 0.964), (50, 20, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout30.jsonl", (0.835, 0.963), (50, 20, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout31.jsonl", (0.973, 1.000), (60, 25, 0.9, 0.95)),
    # written blind against a later rules-7 draft: a general mix; SK's alliances; the rest of the catalog
    (_FIXTURES / "detection_heldout32.jsonl", (0.860, 0.967), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout33.jsonl", (0.950, 1.000), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout34.jsonl", (0.863, 0.969), (60, 25, 0.9, 0.95)),
    # written blind against the nearly finished rules-7: two general mixes; negatives that look like deals
    (_FIXTURES / "detection_heldout35.jsonl", (0.882, 1.000), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout36.jsonl", (0.891, 1.000), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout37.jsonl", (0.891, 0.871), (60, 30, 0.9, 0.95)),
    # written blind against rules-7 after sets 35-37: general mixes (balanced, Korean-heavy, English-heavy)
    (_FIXTURES / "detection_heldout38.jsonl", (0.911, 1.000), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout39.jsonl", (0.904, 0.969), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout40.jsonl", (0.826, 1.000), (60, 25, 0.85, 0.95)),
    # written blind against the finished rules-7 (the next stop): a balanced mix; English wire copy
    (_FIXTURES / "detection_heldout41.jsonl", (0.903, 0.971), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout43.jsonl", (0.923, 0.943), (60, 25, 0.9, 0.95)),
    # Korean press, against the first rules-8 draft
    (_FIXTURES / "detection_heldout42.jsonl", (0.966, 0.971), (60, 25, 0.9, 0.95)),
    # a general mix, against a later rules-8 draft
    (_FIXTURES / "detection_heldout44.jsonl", (0.879, 0.968), (60, 25, 0.85, 0.95)),
    # precision: 35 negatives that look like deals, against the same draft
    (_FIXTURES / "detection_heldout45.jsonl", (0.894, 0.958), (60, 30, 0.9, 0.95)),
    # against later rules-8 drafts: the rest of the catalog; precision in English; precision in Korean
    (_FIXTURES / "detection_heldout48.jsonl", (0.887, 0.941), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout46.jsonl", (0.916, 0.926), (60, 30, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout47.jsonl", (0.877, 0.893), (60, 30, 0.85, 0.95)),
    # markets and analysts; trade shows, policy and people (35 negatives each)
    (_FIXTURES / "detection_heldout49.jsonl", (0.889, 1.000), (60, 30, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout50.jsonl", (0.925, 0.862), (60, 30, 0.9, 0.95)),
    # a month of news as a tracker would receive it, against rules-8 nearly finished
    (_FIXTURES / "detection_heldout52.jsonl", (0.957, 0.969), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout53.jsonl", (0.966, 1.000), (60, 25, 0.9, 0.95)),
    # English wire copy full of multi-party deals: the hardest set so far
    (_FIXTURES / "detection_heldout54.jsonl", (0.695, 0.906), (60, 25, 0.8, 0.95)),
    (_FIXTURES / "detection_heldout55.jsonl", (0.894, 0.938), (60, 25, 0.9, 0.95)),
    # precision: 36 negatives with partnership vocabulary
    (_FIXTURES / "detection_heldout56.jsonl", (0.800, 0.815), (60, 30, 0.85, 0.95)),
    # written blind against the finished rules-8 and not fixed since: the estimate for unseen news
    (_FIXTURES / "detection_heldout57.jsonl", (0.919, 1.000), (60, 20, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout58.jsonl", (0.990, 1.000), (60, 25, 0.95, 0.95)),
    # also written against the finished rules-8; two general rules followed it (subsidies ended, investment burdens)
    (_FIXTURES / "detection_heldout59.jsonl", (0.911, 0.939), (60, 25, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout60.jsonl", (0.897, 0.933), (50, 20, 0.9, 0.95)),
    (_FIXTURES / "detection_heldout61.jsonl", (0.983, 0.957), (50, 25, 0.95, 0.95)),
    (_FIXTURES / "detection_heldout62.jsonl", (0.905, 0.966), (50, 20, 0.9, 0.95)),
]


@pytest.mark.parametrize("path,blind,floor", BLIND_SETS, ids=lambda v: v.stem if isinstance(v, Path) else None)
def test_blind_batch_floor(det, path, blind, floor):
    min_items, min_negatives, min_f1, min_item_p = floor
    gold, pred = _score_file(det, path)
    assert len(gold) >= min_items
    assert sum(1 for g in gold.values() if not g) >= min_negatives
    f1, item_p = _prf(gold, pred)
    assert f1 >= min_f1, f1
    assert item_p >= min_item_p, item_p

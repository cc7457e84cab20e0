"""Flows made to agree with the document's funding mode and completed from its named funders."""

from __future__ import annotations

from extractors.flow_completion import complete_flows
from extractors.funding_evidence import Flow
from extractors.mentions import Mention


def agency(value: str, country: str, start: int) -> Mention:
    return Mention("agency", value, value, start, start + len(value), "", attrs={"agency_country": country})


def country(code: str, start: int) -> Mention:
    return Mention("country", code, code, start, start + 5, "")


def stated(funder_country: str, recipient: str, start: int = 0) -> Flow:
    mode = "matching_fund" if recipient == funder_country else "direct_fund"
    return Flow("X", funder_country, recipient, mode, start, start + 10)


def pairs(flows: list[Flow]) -> list[tuple[str, str, str]]:
    return [(f.funder_country, f.recipient_country, f.basis) for f in flows]


def test_matching_page_without_a_stated_flow_gives_each_named_agency_its_own_side() -> None:
    mentions = [agency("ANR", "FRA", 5), agency("JST", "JPN", 40), agency("JST", "JPN", 90)]
    flows = complete_flows([], mentions, "matching_fund")
    assert pairs(flows) == [("JPN", "JPN", "label"), ("FRA", "FRA", "label")]  # most named first
    jst = flows[0]
    assert (jst.funder, jst.mode, jst.evidence_start, jst.evidence_end) == ("JST", "matching_fund", 40, 43)


def test_matching_page_drops_a_paid_anyone_flow_of_a_funder_stated_to_pay_its_own_side() -> None:
    flows = complete_flows([stated("JPN", "JPN"), stated("JPN", "*", 50)], [agency("JST", "JPN", 3)], "matching_fund")
    assert pairs(flows) == [("JPN", "JPN", "evidence")]


def test_matching_page_keeps_a_funder_stated_only_to_pay_others() -> None:
    flows = complete_flows([stated("NLD", "*")], [agency("NWO", "NLD", 3)], "matching_fund")
    assert pairs(flows) == [("NLD", "*", "evidence"), ("NLD", "NLD", "label")]


def test_direct_page_without_a_stated_flow_pays_anyone_from_the_most_named_country() -> None:
    mentions = [country("GBR", 0), country("USA", 10), country("USA", 30)]
    flows = complete_flows([], mentions, "direct_fund")
    assert pairs(flows) == [("USA", "*", "label")]
    assert (flows[0].funder, flows[0].mode, flows[0].evidence_start) == ("USA", "direct_fund", 10)


def test_direct_page_with_a_stated_flow_and_neither_pages_are_left_as_stated() -> None:
    mentions = [agency("NIH", "USA", 0)]
    assert pairs(complete_flows([stated("USA", "USA")], mentions, "direct_fund")) == [("USA", "USA", "evidence")]
    assert complete_flows([], mentions, "neither") == []
    assert pairs(complete_flows([stated("KOR", "KOR")], mentions, None)) == [("KOR", "KOR", "evidence")]


def test_a_page_naming_no_funder_gets_no_flow() -> None:
    assert complete_flows([], [], "matching_fund") == []
    assert complete_flows([], [], "direct_fund") == []


def test_matching_page_gives_its_named_agencies_and_its_two_most_named_countries_their_own_side() -> None:
    with_agency = [country("CAN", 0), agency("JST", "JPN", 20), country("SWE", 60), country("SWE", 80), country("KOR", 90)]
    assert pairs(complete_flows([], with_agency, "matching_fund")) == [
        ("JPN", "JPN", "label"), ("SWE", "SWE", "label"), ("CAN", "CAN", "label")]  # KOR: third most named
    without = [country("CAN", 0), country("SWE", 30), country("SWE", 60), country("KOR", 70)]
    flows = complete_flows([], without, "matching_fund")
    assert pairs(flows) == [("SWE", "SWE", "label"), ("CAN", "CAN", "label")]  # ties: named first wins
    assert (flows[0].funder, flows[0].evidence_start) == ("SWE", 30)

"""Scheme mentions in the looser wordings calls use: funder pairs, own rules, shared budgets, double approval."""

from __future__ import annotations

import pytest

CASES = [
    # matching_fund: each funder pays its own side, named as a pair
    ("DFG [pays the German groups, and NSFC pays the Chinese groups]{matching_fund}.", "two funders, two sides"),
    ("Vinnova [funds the Swedish partners; the ministry will fund the Korean partners]{matching_fund} in turn.",
     "second funder with a modal verb"),
    ("The council [funds only the Irish applicants]{matching_fund}; partners in Chile need other support.",
     "funds only one country's side"),
    ("The two ministries [each fund their own]{matching_fund} universities.", "each placed after the subject"),
    ("In Peru and Chile they will [pay their own nationals]{matching_fund}.", "pay their own nationals"),
    ("In Brazil, the [agency funds its own]{matching_fund} researchers.", "an agency funds its own"),
    ("Cooperation relies on [each side securing its own]{matching_fund} money.", "each side securing its own"),
    # matching_fund: the rules, the budgets and the grants stay national
    ("Partners in Kenya are paid [under Kenyan rules]{matching_fund}.", "under a nationality's rules"),
    ("Partners in Norway are funded [according to their own funding rules]{matching_fund}.", "according to their own rules"),
    ("Partners abroad must draw on their [own national funding]{matching_fund}.", "own national funding"),
    ("The foreign team has to raise money [from its own government]{matching_fund}.", "from its own government"),
    ("Support runs [along national lines]{matching_fund}.", "along national lines"),
    ("[No money is transferred]{matching_fund} between Peru and Chile.", "no money is transferred"),
    ("The two [budgets are kept separate]{matching_fund}.", "budgets kept separate"),
    ("A Chilean firm needs no [separate grant from]{matching_fund} Santiago.", "a separate grant as the contrast"),
    ("Teams are [funded by their national agencies]{matching_fund}.", "funded by their national agencies"),
    ("Each partner should [apply to its national funding agency]{matching_fund}.", "apply to its national agency"),
    ("Projects are [funded in parallel]{matching_fund} by the two agencies.", "funded in parallel"),
    ("The [matching fund principle]{matching_fund} applies.", "matching fund principle needs no country"),
    ("Partners in Peru are paid [under their own grant rules]{matching_fund}.", "own grant rules"),
    ("Kenyan teams are paid [under Kenyan funding guidelines]{matching_fund}.", "a nationality's guidelines"),
    ("Each partner is [funded by its national or regional funding agency]{matching_fund}.", "national or regional agency"),
    ("Each partner must meet the rules of [its own funder]{matching_fund}.", "its own funder"),
    ("Money comes from the [funding organisation of each partner]{matching_fund}'s country.", "funding organisation of each partner"),
    ("Partners in Chile must convince [their own government]{matching_fund} first.", "their own government"),
    ("The Chilean team needs a [separate grant]{matching_fund} to join.", "a separate grant, with a country"),
    # matching_fund: the money stays at home
    ("[Funds will not cross the Pacific]{matching_fund} in either direction.", "funds will not cross"),
    ("[No money crosses the border]{matching_fund} between Peru and Chile.", "no money crosses the border"),
    ("[Neither agency funds the other]{matching_fund} country's teams.", "neither agency funds the other"),
    # matching_fund: both funders must say yes
    ("A grant is made only [if both councils approve]{matching_fund} it.", "if both councils approve"),
    ("A proposal is [funded only if both]{matching_fund} councils agree.", "funded only if both"),
    ("The proposal must be [approved by both funders]{matching_fund}.", "approved by both funders"),
    ("[Both councils must approve]{matching_fund} the project.", "both councils must approve"),
    # direct_fund: one budget pays everyone, or money crosses a border
    ("Grants come from a [shared budget built from national contributions]{direct_fund}.", "budget built from contributions"),
    ("The five ministries [pay into one joint pot]{direct_fund} each spring.", "pay into one joint pot"),
    ("Italy may now [pay Swiss labs with Italian money]{direct_fund}.", "paying foreigners with national money"),
    ("The agency will [fund overseas partners directly]{direct_fund}.", "fund overseas partners directly"),
    ("[Overseas partners can be funded]{direct_fund} from the grant.", "overseas partners can be funded"),
    ("The grant may [pay research teams abroad]{direct_fund}.", "pay teams abroad"),
    ("Under a [common pot]{direct_fund}, all winners are paid.", "common pot"),
    ("[Money crosses borders]{direct_fund} under this scheme.", "money crosses borders"),
    ("In the first strand the [money follows the project]{direct_fund}.", "money follows the project"),
    ("The pilot offers [cross-border grants]{direct_fund}.", "cross-border grants"),
    ("The ministry [pays the Kenyan group directly]{direct_fund} as a consortium member.", "pays a named group directly"),
    ("The [foreign share]{direct_fund} may not exceed a third of the grant.", "foreign share of a budget"),
    ("The [overseas share]{direct_fund} goes to the partner institute.", "overseas share"),
    ("Under this rule the [money follows the collaboration]{direct_fund}.", "money follows the collaboration"),
    ("The grant pays the partner who does the work, [wherever that partner is based]{direct_fund}.", "wherever the partner is based"),
    ("A university in Ghana becomes a [direct recipient]{direct_fund} of the grant.", "direct recipient, with a country"),
    # lead_agency
    ("[One agency reviews the proposals]{lead_agency} and the other accepts its decision.", "one agency reviews"),
    ("The larger council [reviews for both]{lead_agency}.", "reviews for both"),
    # joint_call
    ("They opened a [bilateral research call]{joint_call}.", "bilateral ... call with a word between"),
    ("A [joint funding competition]{joint_call} opens in May.", "joint ... competition"),
    ("[Both agencies launched]{joint_call} the competition on Monday.", "both agencies launched"),
    ("The [calls are launched jointly]{joint_call}.", "calls launched jointly"),
    ("The [Korea–Chile Partnership]{joint_call} funds six projects.", "a programme named for two countries"),
    ("The [Franco-Dutch Call]{joint_call} covers marine research.", "a country prefix and a country"),
    ("The [jointly funded research call]{joint_call} closes in 2030.", "jointly funded call"),
]

NOT_SCHEMES = [
    ("Each university pays under its own rules.", "own rules with no other country"),
    ("The company funds only the salaries of its engineers.", "funds only, but no side of a partnership"),
    ("Applicants in Finland submit a single budget for the whole project.", "a single budget in a domestic call"),
    ("Foreign researchers can be funded for two years in Germany.", "a fellowship for foreign researchers"),
    ("The joint committee will call a meeting in May.", "call the verb after joint"),
    ("The Canada–Chile agreement creates no new programme.", "an agreement named for two countries"),
    ("The Indo-Pacific Partnership meets in June.", "a prefix joined to a region"),
    ("JST funds the Japanese team and pays the UK team as well.", "one funder paying two sides"),
    ("The fellowship does not fund institutions abroad.", "a fellowship ruling out institutions abroad"),
    ("The two universities set up a joint programme in law.", "joint programme of two universities"),
    ("Apply for a separate grant to cover the equipment.", "a separate grant with no other country"),
    ("The university pays the Smith lab directly each month.", "paying a lab directly with no other country"),
]


@pytest.mark.parametrize("marked,why", CASES, ids=[c[1] for c in CASES])
def test_scheme_wordings(found, marked, why):
    expected, actual = found(marked, "scheme")
    assert actual == expected


@pytest.mark.parametrize("text,why", NOT_SCHEMES, ids=[c[1] for c in NOT_SCHEMES])
def test_wording_look_alikes(nlp, text, why):
    doc = nlp(text)
    assert [s.text for s in doc.spans["scheme"]] == []

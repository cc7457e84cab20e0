"""Country mentions: every DOMAIN.md rule and trap, with exact span text, offsets and ISO3 value."""

from __future__ import annotations

import pytest

CASES = [
    # names and ISO3 normalisation
    ("Funding for [Japan]{JPN} and [Germany]{DEU}.", "plain names"),
    ("[Japan]{JPN}'s new approach", "possessive"),
    ("[Japan]{JPN}’s new approach", "possessive with a curly apostrophe"),
    ("[JAPAN]{JPN} AND [FRANCE]{FRA}", "upper-case headings"),
    # demonyms and adjectives
    ("[Japanese]{JPN} researchers met the [British]{GBR} side.", "adjectives"),
    ("[Korean]{KOR} and [Swiss]{CHE} teams", "more adjectives"),
    # aliases
    ("the [UK]{GBR}, the [U.K.]{GBR} and [Britain]{GBR}", "UK aliases"),
    ("[Great Britain]{GBR}, [England]{GBR}, [Scotland]{GBR} and [Wales]{GBR}", "GBR home nations"),
    ("the [United Kingdom]{GBR} of old", "United Kingdom"),
    ("the [US]{USA}, the [U.S.]{USA}, the [USA]{USA}", "US aliases"),
    ("the [United States]{USA} and [America]{USA}", "United States and America"),
    ("[Korea]{KOR}, [South Korea]{KOR} and the [Republic of Korea]{KOR}", "Korea aliases"),
    ("[North Korea]{PRK} is not [South Korea]{KOR}", "North Korea"),
    ("[Holland]{NLD}, the [Netherlands]{NLD} and [Dutch]{NLD} universities", "Netherlands aliases"),
    ("[Czechia]{CZE} or the [Czech Republic]{CZE}", "Czech aliases"),
    ("[Türkiye]{TUR}, formerly [Turkey]{TUR}", "Turkey aliases"),
    # the five extra territories
    ("[Taiwan]{TWN}, [Hong Kong]{HKG}, [Macao]{MAC}, [Kosovo]{XKX} and [Palestine]{PSE}", "extra territories"),
    # a country inside a longer name
    ("the [Japan]{JPN} Science and Technology Agency", "country inside an agency name"),
    ("the Research Council of [Lithuania]{LTU}", "Research Council of Lithuania"),
    # longest name wins
    ("[Papua New Guinea]{PNG}, [Equatorial Guinea]{GNQ}, [Guinea-Bissau]{GNB} and [Guinea]{GIN}", "the Guineas"),
    ("[South Africa]{ZAF} and [Sudan]{SDN} and [South Sudan]{SSD}", "South prefixes"),
    ("[Democratic Republic of the Congo]{COD} and [Dominican Republic]{DOM}", "long official names"),
    # look-alikes resolved by context, positive side
    ("[Armenia]{ARM}, [Georgia]{GEO} and [Azerbaijan]{AZE} joined", "Georgia the country in a list"),
    ("the office in Tbilisi, [Georgia]{GEO}", "Georgia after its capital"),
    ("[Jordan]{JOR} and [Chad]{TCD} signed the agreement", "Jordan and Chad the countries"),
    ("funding from the [Hashemite Kingdom of Jordan]{JOR}", "official name of Jordan"),
    ("In [Jordan]{JOR}, the embassy of [Chad]{TCD} opened", "Jordan after a sentence-opening stop word"),
    ("[Mexico]{MEX} joined", "Mexico"),
    ("Partners: [Japan]{JPN} | [Korea]{KOR}", "two countries with a separator are not yet a menu"),
    ("[Japan]{JPN}, [Korea]{KOR} and [China]{CHN} signed", "a list in prose is content"),
    ("[Georgia]{GEO} and Texas trade wine", "one US state nearby is not enough to veto Georgia"),
    ("[Georgia]{GEO} is a state in the Caucasus.", "the word state without a US state keeps Georgia"),
]

NOT_COUNTRIES = [
    ("The London office and Shinjuku ward", "cities and districts"),
    ("The EU, Europe, ASEAN and Africa", "regions and blocs"),
    ("JST and JSPS fund it", "agencies alone"),
    ("Tokyo's decision", "a city standing for its government"),
    ("a lab in New Mexico and New Jersey", "US states with country names inside"),
    ("based in Atlanta, Georgia", "Georgia the US state after a city"),
    ("the state of Georgia passed a law", "Georgia the US state"),
    ("Dr Jordan and Prof. Jordan presented", "Jordan as a surname after a title"),
    ("Michael Jordan spoke", "Jordan as a surname after a first name"),
    ("Chad Miller wrote the report", "Chad as a first name"),
    ("Florida 14,111\nGeorgia 16,635\nHawaii 1,957", "Georgia in a table of US states"),
    ("Two states, Georgia and Ohio, top up the federal awards.", "Georgia among states in one sentence"),
    ("States such as Georgia and Ohio top up the awards.", "States opening the sentence"),
    ("The letter by Ana Georgia Ruiz was signed in Cork.", "Georgia as a middle name"),
    ("Offices: Japan | Korea | China | Germany", "a country menu on a web page"),
    ("Latin America, South America and North America", "American continents"),
    ("a meeting in Mexico City", "Mexico City"),
    ("New South Wales and New England", "Wales and England inside other places"),
    ("a summary in the Japanese language", "a language, not a country"),
    ("CONTACT US for details", "US the pronoun in capitals"),
    ("turkey, china and chile on the menu", "lower-case common nouns"),
]


@pytest.mark.parametrize("marked,why", CASES, ids=[c[1] for c in CASES])
def test_country_spans(found, marked, why):
    expected, actual = found(marked, "country")
    assert actual == expected


@pytest.mark.parametrize("text,why", NOT_COUNTRIES, ids=[c[1] for c in NOT_COUNTRIES])
def test_not_a_country(nlp, text, why):
    doc = nlp(text)
    assert [s.text for s in doc.spans["country"]] == []


def test_exact_offsets_written_out(nlp):
    doc = nlp("Both Japan's JST and the British side agreed.")
    got = [(s.text, s.start_char, s.end_char, s._.value) for s in doc.spans["country"]]
    assert got == [("Japan", 5, 10, "JPN"), ("British", 25, 32, "GBR")]


def test_every_sovereign_country_and_the_five_extras_are_covered(nlp):
    finder = nlp.get_pipe("country")
    codes = {r["id"] for r in finder.patterns if r.get("kind", "name") == "name" and not r.get("block")}
    # 193 UN members + Holy See + Palestine, plus Taiwan, Hong Kong, Macao, Kosovo
    assert len(codes) == 199
    assert {"VAT", "PSE", "TWN", "HKG", "MAC", "XKX", "SSD", "TLS", "MNE"} <= codes
    assert not {"PRI", "GRL", "GUM", "ABW", "JEY", "FLK"} & codes  # dependent territories

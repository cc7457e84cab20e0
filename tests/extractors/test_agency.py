"""Agency mentions: canonical acronym as value and the agency's country (None if multinational)."""

from __future__ import annotations

import pytest

CASES = [
    ("Funded by [JST]{JST} and [JSPS]{JSPS}.", "Japanese acronyms"),
    ("The [Japan Science and Technology Agency]{JST} ([JST]{JST}) runs SICORP.", "full name, acronym; a programme is no agency"),
    ("[NEDO]{NEDO} and [AMED]{AMED} co-fund it.", "NEDO and AMED"),
    ("[UKRI]{UKRI}, [Innovate UK]{IUK} and [EPSRC]{EPSRC} take part.", "UK bodies"),
    ("[DFG]{DFG}, [BMBF]{BMBF}, [ANR]{ANR} and [CNRS]{CNRS} agree.", "German and French bodies"),
    ("[NSF]{NSF}, [NRF]{NRF} and [KIAT]{KIAT} sign.", "US and Korean bodies"),
    ("[NWO]{NWO}, [A*STAR]{A*STAR} and [NRC]{NRC} join.", "Dutch, Singapore and Canadian bodies"),
    ("EUREKA, Eurostars, Horizon Europe and the European Commission fund it.", "networks, programmes and EU bodies are no agencies"),
    ("The [Research Council of Lithuania]{LMT} funds it.", "Research Council of Lithuania"),
    ("Apply to the [japan science and technology agency]{JST}.", "full names match in any case"),
    # canonical acronyms of corpus/annotated/README.md
    ("[Innovate UK]{IUK}, [Enterprise Singapore]{ESG} and [Business Finland]{BF} co-fund it.", "acronyms for named agencies"),
    ("The [F.R.S.-FNRS]{FNRS} and the [Israel Innovation Authority]{IIA} ([IIA]{IIA}) agree.", "FNRS and IIA"),
    ("The [Alexander von Humboldt Foundation]{AvH} and [GAČR]{GACR} pay.", "AvH and GACR"),
    ("[Innosuisse]{INNOSUISSE}, the [Swiss Innovation Agency]{INNOSUISSE}, joins.", "Innosuisse by name and description"),
    ("The [Shota Rustaveli National Science Foundation]{SRNSFG} opens a call.", "a longer name hides NSF inside it"),
    ("The [Research Grants Council]{RGC} and the [Estonian Research Council]{ETAG} meet.", "RGC and ETAG"),
    ("THE MOST IMPORTANT DATES. Taiwan's [MOST]{MOST} pays its teams.", "MOST the word in capitals, MOST the ministry"),
    ("FUNDED BY [NSF]{NSF} AND THE ARC SEED FUND", "other acronyms still count in capitals; ARC the word does not"),
    ("The [ARC]{ARC} (Australia) and [MOST]{MOST} agree.", "ARC and MOST in running text"),
    # the wider list: funders of every continent, former names, acronyms shared by several bodies
    ("[NHMRC]{NHMRC}, [CIHR]{CIHR} and [Vetenskapsrådet]{Swedish Research Council} co-fund it.", "Australian, Canadian and Swedish funders"),
    ("[Tekes]{BF} became [Business Finland]{BF}.", "a former name gives today's agency"),
    ("The [National Research Foundation of South Africa]{NRF-ZA} and the ESA meet.", "an acronym several bodies share counts only as a full name"),
]

COUNTRY_OF = [
    ("JST", "JPN"), ("JSPS", "JPN"), ("NEDO", "JPN"), ("AMED", "JPN"), ("UKRI", "GBR"),
    ("IUK", "GBR"), ("EPSRC", "GBR"), ("DFG", "DEU"), ("BMBF", "DEU"), ("ANR", "FRA"), ("NSF", "USA"),
    ("NRF", "KOR"), ("KIAT", "KOR"), ("NWO", "NLD"), ("CNRS", "FRA"), ("A*STAR", "SGP"), ("NRC", "CAN"),
    ("PRIMA", None), ("SGC", None),
]


@pytest.mark.parametrize("marked,why", CASES, ids=[c[1] for c in CASES])
def test_agency_spans(found, marked, why):
    expected, actual = found(marked, "agency")
    assert actual == expected


@pytest.mark.parametrize("name,country", COUNTRY_OF, ids=[c[0] for c in COUNTRY_OF])
def test_agency_country(nlp, name, country):
    doc = nlp(f"The call is run by {name} this year.")
    (span,) = doc.spans["agency"]
    assert (span.text, span.start_char, span._.value, span._.agency_country) == (name, 19, name, country)


def test_full_name_gives_country_and_agency(nlp):
    doc = nlp("Japan Science and Technology Agency")
    assert [(s.text, s.start_char, s.end_char, s._.value) for s in doc.spans["country"]] == [("Japan", 0, 5, "JPN")]
    assert [(s.text, s.start_char, s.end_char, s._.value, s._.agency_country) for s in doc.spans["agency"]] == [
        ("Japan Science and Technology Agency", 0, 35, "JST", "JPN")
    ]


def test_acronyms_are_case_sensitive(nlp):
    doc = nlp("we just need a nsf-like jst")
    assert [s.text for s in doc.spans["agency"]] == []

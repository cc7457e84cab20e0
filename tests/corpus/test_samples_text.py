"""The loaders return exactly what the bundled sample PDFs and web pages say, without page furniture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.loaders import load_path

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"
SOURCES = Path(__file__).resolve().parents[2] / "corpus" / "samples_src"


def collapse(text: str) -> str:
    return " ".join(text.split())


def read_source(name: str) -> tuple[dict[str, str], list[str]]:
    """Settings and blocks (title first, then headings and paragraphs) of corpus/samples_src/<name>.md."""
    head, _, body = (SOURCES / f"{name}.md").read_text(encoding="utf-8").partition("\n---\n")
    settings = dict((k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in head.splitlines()))
    blocks = [settings["title"]]
    for chunk in re.split(r"\n\s*\n", body):
        for piece in re.split(r"^# (.*)$", chunk.strip(), flags=re.M):
            if piece.strip():
                blocks.append(collapse(piece))
    return settings, blocks


# name: (pages, page-number strings printed on the pages, words split across a line end as (head, tail),
#        (text before, text after) pairs that must come in that order)
PDFS = {
    "jst-ukri-quantum-sensing-call": (2, ["Page 1 of 2", "Page 2 of 2"], [("suppor", "ted")], []),
    "nwo-money-follows-cooperation-guide": (
        2,
        [],
        [("appli", "cants"), ("orga", "nisation"), ("agree", "ment"), ("prin", "ciple")],
        [
            # end of the left column of page 1, then the top of the right column
            ("The foreign partner does not apply directly.", "applicant, signs the consortium agreement and provides"),
            ("Proposals at a low TRL are better suited", "After the award, the council concludes a separate grant"),
        ],
    ),
    "dfg-anr-lead-agency-call": (1, ["Page 1 of 1"], [("com", "mittee"), ("part", "ner"), ("eli", "gible")], []),
    "kiat-partnership-track-evaluation": (
        3,
        ["1 / 3", "2 / 3", "3 / 3"],
        [("part", "nership"), ("labora", "tory"), ("appli", "cation"), ("compa", "nies"), ("indepen", "dently")],
        [],
    ),
    "new-mexico-technology-voucher": (1, ["Page 1 of 1"], [("proto", "type")], []),
    "trl-primer-policy-note": (
        1,
        ["1 / 1"],
        [("envi", "ronment"), ("portfo", "lio"), ("bio", "technology"), ("techno", "logy")],
        [
            ("When is a new seed variety a prototype?", "Where it misleads"),
            ("When is a new seed variety a prototype?", "Self-assessment is the first problem."),
        ],
    ),
}


@pytest.fixture(scope="module")
def loaded():
    cache = {}

    def load(file_name: str):
        if file_name not in cache:
            cache[file_name] = load_path(SAMPLES / file_name)
        return cache[file_name]

    return load


def test_every_pdf_and_html_sample_is_covered():
    on_disk = {p.name for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".html")}
    assert on_disk == {f"{n}.pdf" for n in PDFS} | set(HTML)


@pytest.mark.parametrize("name", sorted(PDFS))
def test_pdf_text_is_title_and_body(loaded, name):
    _, blocks = read_source(name)
    doc = loaded(f"{name}.pdf")
    assert doc.kind == "pdf"
    assert doc.n_pages == PDFS[name][0]
    assert collapse(doc.text) == collapse(" ".join(blocks))


@pytest.mark.parametrize("name", sorted(PDFS))
def test_pdf_paragraphs_match_source_blocks(loaded, name):
    _, blocks = read_source(name)
    assert loaded(f"{name}.pdf").text.split("\n\n") == blocks


@pytest.mark.parametrize("name", sorted(PDFS))
def test_pdf_title(loaded, name):
    settings, _ = read_source(name)
    assert loaded(f"{name}.pdf").title == settings["title"]


@pytest.mark.parametrize("name", sorted(PDFS))
def test_pdf_running_header_footer_and_page_numbers_dropped(loaded, name):
    settings, _ = read_source(name)
    text = collapse(loaded(f"{name}.pdf").text)
    assert settings["header"] not in text
    assert settings["footer"] not in text
    for label in PDFS[name][1]:
        assert label not in text
    # no paragraph is a bare page number
    assert not [p for p in loaded(f"{name}.pdf").text.split("\n\n") if p.strip().isdigit()]


@pytest.mark.parametrize("name", sorted(PDFS))
def test_pdf_hyphenated_words_are_whole(loaded, name):
    text = collapse(loaded(f"{name}.pdf").text)
    for head, tail in PDFS[name][2]:
        assert head + tail in text
        assert f"{head}-{tail}" not in text
        assert f"{head}- {tail}" not in text
        assert f"{head} {tail}" not in text


@pytest.mark.parametrize("name", sorted(n for n in PDFS if PDFS[n][3]))
def test_pdf_two_columns_read_left_then_right(loaded, name):
    text = collapse(loaded(f"{name}.pdf").text)
    for before, after in PDFS[name][3]:
        assert before in text and after in text
        assert text.index(before) < text.index(after)


def test_pdf_sentence_across_columns_is_whole(loaded):
    text = collapse(loaded("nwo-money-follows-cooperation-guide.pdf").text)
    assert "It is named in the proposal by the Dutch main applicant, signs the consortium agreement" in text


# file: (title, sentences the article says, page furniture that must not appear)
HTML = {
    "japan-overseas-grants-news.html": (
        "Japan opens national research grants to overseas companies",
        [
            "Japan will for the first time allow one of its flagship research programmes to pay companies "
            "and universities abroad directly, the science ministry announced on Tuesday.",
            "Projects are expected to start at TRL 4 or higher and to reach a demonstration at TRL 6 to TRL 7 "
            "within three years.",
            "Tokyo’s decision follows a review of international research funding published last year,",
        ],
        [
            "We use cookies to measure readership",
            "Subscribe to the weekly briefing",
            "Most read this week",
            "Budget talks stall over the next framework programme",
            "Germany (Deutsch)",
            "Edition and language",
            "Contact the newsroom",
        ],
    ),
    "nsf-snsf-lead-agency.html": (
        "NSF–SNSF Lead Agency Opportunity for U.S.–Swiss Collaborations",
        [
            "Each agency funds its own researchers: NSF funds the U.S. investigators and the SNSF funds the "
            "Swiss investigators, each according to its own rules and budget limits.",
            "from a research university in New Jersey to a primarily undergraduate college in Georgia.",
            "Projects are typically at TRL 1 to 3; technology development beyond TRL 4 is outside its scope.",
        ],
        [
            "Proposal and award policies",
            "This site uses cookies",
            "Dear Colleague Letters",
            "Office of International Science and Engineering",
            "English (United States)",
            "Deutsch (Schweiz)",
            "Freedom of information",
        ],
    ),
    "baltic-clean-shipping-common-pot.html": (
        "2026 Joint Transnational Call: Clean Shipping in the Baltic Sea Region",
        [
            "Unlike most earlier calls in the region, this call is financed through a real common pot.",
            "every partner of a selected project is paid by the secretariat, regardless of the country in which "
            "it is based.",
            "Proposals should address technologies between TRL 4 and TRL 6, including ship-board demonstrations "
            "in a relevant environment.",
        ],
        [
            "optional analytics cookies",
            "Events and matchmaking",
            "Consortium agreement template",
            "partner search tool",
            "Suomi",
            "Lietuva",
            "secretariat is hosted in Riga",
        ],
    ),
    "nrf-global-postdoc-fellowship.html": (
        "Global Research Fellowship for International Postdoctoral Researchers 2026",
        [
            "The fellowship pays for the fellow’s work in Korea only; it does not fund research carried out at "
            "institutions abroad, and it cannot be transferred to another country.",
            "Candidates cannot apply directly; they should first agree a research plan with a host.",
        ],
        [
            "Cookies help us deliver our services",
            "Log in to the online system",
            "Talent and fellowships",
            "Korea Research Week",
            "United States / United Kingdom (English)",
            "Gajeong-ro",
        ],
    ),
    "grant-portability-blog.html": (
        "When the money follows the researcher",
        [
            "A grant is portable when its holder can take the remaining money along after moving to a job in "
            "another country.",
            "Portability is sometimes confused with arrangements under which an agency pays the foreign partners "
            "of a domestic consortium.",
        ],
        [
            "Support our work",
            "single session cookie",
            "The case for partial lotteries",
            "Policy Lab is a small independent group",
            "Deutsch (Österreich)",
            "Registered charity",
        ],
    ),
    "anr-fapesp-bilateral-call.html": (
        "French–Brazilian bilateral call ANR–FAPESP 2026",
        [
            "Each agency funds the teams in its own country.",
            "There is no transfer of funds between the two agencies, and a project is funded only if both ANR "
            "and FAPESP select it.",
            "projects are expected to be at TRL 2 or TRL 3 at the start and need not reach a demonstrator.",
        ],
        [
            "gives you control over what you want to activate",
            "Europe and international",
            "Key information",
            "Write to the Europe and international department",
            "Português (Brasil)",
            "France – Français",
            "partially compliant",
        ],
    ),
}


@pytest.mark.parametrize("file_name", sorted(HTML))
def test_html_title(loaded, file_name):
    doc = loaded(file_name)
    assert doc.kind == "html"
    assert doc.title == HTML[file_name][0]


@pytest.mark.parametrize("file_name", sorted(HTML))
def test_html_article_sentences_present(loaded, file_name):
    text = collapse(loaded(file_name).text)
    for sentence in HTML[file_name][1]:
        assert sentence in text


@pytest.mark.parametrize("file_name", sorted(HTML))
def test_html_page_furniture_absent(loaded, file_name):
    text = loaded(file_name).text
    for boilerplate in HTML[file_name][2]:
        assert boilerplate not in text


def test_cp1252_letter_decodes_curly_quotes_and_dashes(loaded):
    doc = loaded("letter-direct-partner-option-cp1252.txt")
    text = collapse(doc.text)
    assert doc.kind == "text"
    assert "Today almost all of Canada’s international industrial R&D programmes rely on matching funds." in text
    assert "a pilot plant in Germany, a test track in Sweden, a clinical network in the Netherlands –" in text
    assert "include a “direct partner” option" in text
    assert "Dr. Hélène Tremblay" in text


def test_hard_wrapped_text_is_reflowed(loaded):
    doc = loaded("research-security-guidance.txt")
    assert (
        "This guidance explains the checks that apply before such a partnership starts. "
        "It does not change who funds the research and it creates no new funding of any kind."
    ) in doc.text


# The builder itself: the committed PDFs must match their sources, and its output must be what it promises.


def test_committed_pdfs_are_rebuilt_byte_for_byte(tmp_path):
    pytest.importorskip("reportlab")
    from corpus.pdfsources import build_one

    for source in sorted(p for p in SOURCES.glob("*.md") if p.name != "README.md"):
        assert build_one(source, tmp_path), f"{source.name} has no hyphenated line end"
        assert (tmp_path / f"{source.stem}.pdf").read_bytes() == (SAMPLES / f"{source.stem}.pdf").read_bytes()


def test_builder_pages_hyphenates_and_repeats_running_lines(tmp_path):
    pytest.importorskip("reportlab")
    import pdfplumber

    from corpus.pdfbuild import build_pdf

    paragraph = "Cooperation between agencies needs internationalisation of every rule. " * 12
    body = "# First part\n\n" + "\n\n".join([paragraph] * 6)
    path = tmp_path / "t.pdf"
    build_pdf(path, "A title", body, header="Running head", footer="Running foot", hyphenate={"internationalisation"})
    with pdfplumber.open(path) as pdf:
        pages = []
        for page in pdf.pages:
            pages.append(page.extract_text(x_tolerance=1.5).splitlines())
            page.close()
    assert len(pages) == 2
    assert pages[0][:3] == ["Running head", "A title", "First part"]
    assert pages[1][0] == "Running head"
    assert [p[-1] for p in pages] == ["Running foot Page 1 of 2", "Running foot Page 2 of 2"]
    splits = [(a.split()[-1], b.split()[0]) for p in pages for a, b in zip(p, p[1:]) if a.endswith("-")]
    assert splits
    assert all(head[:-1] + tail == "internationalisation" for head, tail in splits)


def test_builder_refuses_characters_helvetica_cannot_print(tmp_path):
    pytest.importorskip("reportlab")
    from corpus.pdfbuild import build_pdf

    with pytest.raises(ValueError, match="U\\+2265"):
        build_pdf(tmp_path / "x.pdf", "Title", "Projects at TRL ≥ 5 only.")

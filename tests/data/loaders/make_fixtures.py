"""Writes the small loader fixtures in this folder; rerun with the project's Python after edits.

Every PDF is drawn at fixed positions so the tests know the expected reading order.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import reportlab
from reportlab.lib.pagesizes import letter
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent
VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # has the fi/fl ligature glyphs


def _canvas(name: str, title: str | None = None, **kwargs) -> Canvas:
    canvas = Canvas(str(HERE / name), pagesize=letter, invariant=1, **kwargs)
    if title is not None:
        canvas.setTitle(title)
    return canvas


def _column(canvas: Canvas, x: float, y: float, lines: list[str], width: float, leading: float = 12) -> float:
    for line in lines:
        if line:
            assert pdfmetrics.stringWidth(line, "Helvetica", 10) <= width, line
            canvas.drawString(x, y, line)
        y -= leading  # an empty entry leaves a blank line: a paragraph gap
    return y


def two_columns() -> None:
    """A full-width heading and subtitle over two columns of 10 pt text with a 32 pt gutter."""
    c = _canvas("two_columns.pdf")
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 720, "Bilateral Research Call 2025")
    c.setFont("Helvetica", 10)
    c.drawString(
        72, 696, "Call text for applicants from Japan and the United Kingdom, published by both agencies on 1 April 2025."
    )
    left = [
        "Each agency funds its own researchers",
        "under the matching fund model. Japanese",
        "teams receive support from JST and the",
        "British teams from UKRI through a collabo-",
        "ration grant.",
        "",
        "Projects start at TRL 3 and should reach",
        "TRL 5 within three years.",
    ]
    right = [
        "The call is co-funded by both agencies and",
        "follows the national funding principle.",
        "",
        "Proposals are due on 30 June 2025. Each",
        "consortium needs one partner from each",
        "country.",
    ]
    _column(c, 72, 660, left, 218)
    _column(c, 322, 660, right, 218)
    c.showPage()
    c.save()


def running_headers() -> None:
    """Three pages with a running header, a repeated footer, page numbers, and a paragraph over a page break."""
    c = _canvas("running_headers.pdf", title="Microsoft Word - guide.docx")
    footers = ["Page 1 of 3", "- 2 -", "3"]
    bodies = [
        [
            "Japan and the United Kingdom fund this call together. Each side pays its own",
            "researchers, so the foreign partner must apply to its national agency for the",
            "budget of its share of the joint project and must confirm that the funding",
        ],
        [
            "is in place before the start date.",
            "",
            "Projects must be at TRL 4 or higher at the start.",
        ],
        ["Contact the programme office for questions."],
    ]
    for number, (footer, body) in enumerate(zip(footers, bodies), start=1):
        c.setFont("Helvetica", 9)
        c.drawString(72, 760, f"JST-UKRI Joint Call Guide (page {number})")
        c.drawString(72, 48, "Confidential draft for applicants")
        c.drawCentredString(306, 30, footer)
        y = 700
        if number == 1:
            c.setFont("Helvetica-Bold", 14)
            c.drawString(72, 720, "Guide for Applicants")
        c.setFont("Helvetica", 10)
        _column(c, 72, y, body, 468)
        c.showPage()
    c.save()


def single_page_furniture() -> None:
    """One page with a small-print header, a footer row ending in "Page 1 of 1", and line-numbered text."""
    c = _canvas("single_page_furniture.pdf")
    c.setFont("Helvetica", 8)
    c.drawString(62, 770, "DFG / ANR - Bilateral programme - Call text")
    c.drawString(62, 40, "Joint call text, published 8 December 2025")
    c.drawRightString(533, 40, "Page 1 of 1")
    c.setFont("Helvetica-Bold", 17)
    c.drawString(62, 730, "French-German Call 2026")
    c.setFont("Helvetica", 10.5)
    body = [
        ("1", "Each agency funds the partners in its own country."),
        ("2", "The German part is funded by DFG and the French"),
        ("3", "part by ANR."),
    ]
    y = 700
    for number, line in body:
        c.drawString(62, y, number)
        c.drawString(90, y, line)
        y -= 14
    c.showPage()
    c.save()


def ligatures() -> None:
    """A TrueType page whose words use the fi/fl ligature characters, with a metadata title."""
    pdfmetrics.registerFont(TTFont("Vera", str(VERA)))
    c = _canvas("ligatures.pdf", title="Matching Funds in Practice")
    c.setFont("Vera", 10)
    lines = [
        "The \ufb01nal \ufb01gures show \ufb02exible co-funded schemes for Franco-",
        "German teams that reach TRL",
        "4 by the end of the project.",
    ]
    y = 700
    for line in lines:
        c.drawString(72, y, line)
        y -= 12
    c.showPage()
    c.save()


def drawing_only() -> None:
    """A page with shapes and no text, like a scan without OCR."""
    c = _canvas("drawing_only.pdf")
    c.rect(100, 100, 300, 400, fill=1)
    c.line(50, 50, 500, 700)
    c.showPage()
    c.save()


def encrypted() -> None:
    """One PDF that needs a user password, one that opens with the empty password."""
    for name, user, text in (
        ("encrypted_user.pdf", "secret", "Locked call text."),
        ("encrypted_owner_only.pdf", "", "Owner password only."),
    ):
        c = _canvas(name, encrypt=StandardEncryption(user, ownerPassword="owner", strength=128))
        c.setFont("Helvetica", 10)
        c.drawString(72, 700, text)
        c.showPage()
        c.save()


TEXTS: dict[str, tuple[str, str]] = {
    "cp1252.txt": (
        "cp1252",
        "Funding note on \u201cmoney follows cooperation\u201d\r\n"
        "\r\n"
        "The Dutch council pays foreign partners directly \u2013 na\u00efve\r\n"
        "observers call it a real common pot. The budget of \u20ac2 million\r\n"
        "covers partners in Belgium, Germany and Fran\u00e7ois\u2019s team in France.\r\n",
    ),
    "shift_jis.txt": (
        "shift_jis",
        "日英共同研究の公募について\n"
        "\n"
        "日本の研究者は科学技術振興機構から支援を受け、\n"
        "英国の研究者は自国の機関から支援を受けます。\n"
        "これは各国がそれぞれの研究者を支援する方式です。\n",
    ),
    "utf16_bom.txt": (
        "utf-16",
        "Money follows cooperation\n\nThe council pays\npartners abroad directly.\n",
    ),
    "call.md": (
        "utf-8",
        "Published by the agency\n"
        "\n"
        "# Joint call: Japan and Korea\n"
        "\n"
        "Projects run from TRL\n"
        "4 to TRL 6 and are funded by\n"
        "each national agency.\n"
        "\n"
        "- Consortia need partners\n"
        "  from both countries\n"
        "- Budget: 3 years\n"
        "\n"
        "Eligibility\n"
        "-----------\n"
        "\n"
        "Applicants must be based in Japan or Korea.\n",
    ),
}

BOILERPLATE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Joint call with Korea | Research Agency</title>
</head>
<body>
<header>
  <nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/calls">Calls</a></li><li><a href="/about">About us</a></li></ul></nav>
  <div class="language-switcher"><a href="/de">Deutschland</a> <a href="/fr">France</a> <a href="/es">Espa&ntilde;a</a> <a href="/ja">日本</a></div>
</header>
<div id="cookie-banner" class="cookie-consent">
  <p>We use cookies to improve this website. Do you accept all cookies from our partners in Norway?</p>
  <button>Accept</button>
</div>
<main>
<article>
  <h1>Joint call with Korea on battery research</h1>
  <p>The agency and its partner in Korea
     open a bilateral call. Each agency funds its own researchers, and
     projects must reach TRL
     4 by the end of the grant.</p>
  <p>Consortia need at least one partner from each country. Up to twelve projects
     will be funded for three years, and each agency reviews the proposals of its
     own applicants before a joint panel meets.</p>
  <ul>
    <li>Deadline: 3 March 2025</li>
    <li>Budget: EUR 2 million per side</li>
  </ul>
</article>
</main>
<aside class="sidebar"><h2>Other calls</h2><ul><li><a href="/brazil">Call with Brazil</a></li><li><a href="/chile">Call with Chile</a></li></ul></aside>
<footer><p>Offices in Germany, Spain and Chile.</p><p>&copy; 2025 Research Agency</p></footer>
</body>
</html>
"""

SHIFT_JIS_HTML = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">
<title>日英共同公募 | 機構</title></head><body>
<nav><a href="/">ホーム</a> <a href="/en">English</a></nav>
<main><h1>日英共同公募のお知らせ</h1>
<p>日本の研究者は科学技術振興機構から資金を受け、英国の研究者は自国の機関から資金を受けます。
各機関が自国の研究者のみを支援するマッチングファンド方式です。</p>
<p>技術成熟度はTRL 4からTRL 6を想定しています。応募の締切は六月三十日です。</p></main>
<footer>ドイツ フランス 韓国</footer></body></html>
"""

CP1252_HTML = """<html><head><title>Appel conjoint</title></head><body>
<div class="menu"><a href="/">Accueil</a></div>
<article><h1>Appel conjoint franco-allemand</h1>
<p>Chaque agence finance ses propres \u00e9quipes : l\u2019agence fran\u00e7aise paie les laboratoires en France et
son homologue paie les \u00e9quipes allemandes. Le budget total atteint 4 millions d\u2019\u20ac.</p>
<p>Les projets d\u00e9butent \u00e0 un niveau de maturit\u00e9 TRL 2 et visent un d\u00e9monstrateur \u00ab r\u00e9aliste \u00bb \u00e0 la fin.</p>
</article></body></html>
"""

NAV_ONLY_HTML = """<html><head><title>Menu</title></head><body>
<nav><ul><li><a href="/a">Calls</a></li><li><a href="/b">News</a></li></ul></nav>
</body></html>
"""


def _png_1x1() -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("call.txt", "Joint call text inside an archive.\n")
    return buffer.getvalue()


def main() -> None:
    two_columns()
    running_headers()
    single_page_furniture()
    ligatures()
    drawing_only()
    encrypted()
    for name, (encoding, text) in TEXTS.items():
        (HERE / name).write_bytes(text.encode(encoding))
    (HERE / "boilerplate.html").write_bytes(BOILERPLATE_HTML.encode("utf-8"))
    (HERE / "shift_jis.html").write_bytes(SHIFT_JIS_HTML.encode("shift_jis"))
    (HERE / "cp1252.html").write_bytes(CP1252_HTML.encode("cp1252"))
    (HERE / "nav_only.html").write_bytes(NAV_ONLY_HTML.encode("utf-8"))
    (HERE / "pixel.png").write_bytes(_png_1x1())
    (HERE / "bundle.zip").write_bytes(_zip())


if __name__ == "__main__":
    main()

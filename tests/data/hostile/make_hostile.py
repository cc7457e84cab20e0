"""Writes the hostile and broken inputs in this folder; rerun with the project's Python after edits.

Every file is deterministic: PDFs are written with reportlab's invariant mode, noise comes from
a seeded generator. The two large inputs (a 5 MB one-line page, a 9 MB text) are not written
to disk: tests build them with `huge_one_line_html()` and `oversized_text()`.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent

CALL_LINES = [
    "Joint Call for Proposals 2026",
    "The agencies of Japan and Finland fund their own national teams.",
    "Projects should start at TRL 3 and reach TRL 5.",
]


def _pdf(lines_per_page: list[list[str]], **kwargs: object) -> bytes:
    """A PDF with the given lines of 11 pt Helvetica on each page."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, **kwargs)
    for lines in lines_per_page:
        canvas.setFont("Helvetica", 11)
        y = 700  # below the top margin, where running headers are dropped
        for line in lines:
            canvas.drawString(72, y, line)
            y -= 40  # well apart: every line is its own paragraph
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def good_pdf() -> bytes:
    """A one-page call: the original that several damaged files below start from."""
    return _pdf([CALL_LINES])


PARTNERS = ["Finland", "Japan", "Kenya", "Brazil", "Canada", "Norway", "Chile"]


def long_pdf() -> bytes:
    """Seven pages, one partner country each; more than the tests' max_pages of 5."""
    return _pdf([[f"Annex on the partners from {country}."] for country in PARTNERS])


def truncated_pdf() -> bytes:
    """A three-page PDF cut in half: its page tree, xref table and trailer are gone."""
    whole = _pdf([[f"Section {n} of a call that was never fully downloaded."] for n in range(1, 4)])
    return whole[: len(whole) // 2]


def corrupt_pdf() -> bytes:
    """A PDF header and end marker around seeded noise: no object can be parsed."""
    noise = random.Random(6).randbytes(3000).replace(b"obj", b"xxx").replace(b"trailer", b"xxxxxxx")
    return b"%PDF-1.7\n" + noise + b"\n%%EOF\n"


def encrypted_pdf() -> bytes:
    """A call encrypted with the user password 'secret2026': unreadable without it."""
    return _pdf([CALL_LINES], encrypt=StandardEncryption("secret2026", ownerPassword="owner", strength=128))


def owner_only_pdf() -> bytes:
    """A call encrypted with only an owner password: the empty user password opens it."""
    return _pdf([CALL_LINES], encrypt=StandardEncryption("", ownerPassword="owner", strength=128))


def image_only_pdf() -> bytes:
    """A 'scanned' page: one grey image with a dark band where text was, and no text objects."""
    image = Image.new("L", (200, 100), 235)
    for x in range(20, 180):
        for y in range(40, 52):
            image.putpixel((x, y), 30)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.drawImage(ImageReader(image), 72, 600, width=400, height=200)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _one_page_pdf(content: bytes) -> bytes:
    """A one-page PDF around a hand-written content stream, Flate-compressed, with exact xref offsets.

    Built by hand because reportlab would not write the pathological streams below.
    """
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def bomb_pdf() -> bytes:
    """One page whose 65 KB content stream inflates to 64 MiB: spaces, then one line of text."""
    filler = b" " * (64 * 1024 * 1024 - 60)
    return _one_page_pdf(filler + b"\nBT /F1 12 Tf 72 700 Td (Decompression bomb) Tj ET\n")


def slow_pdf() -> bytes:
    """A 16 KB file whose one page draws 4,000,000 characters in 3 pt type: seconds of work even for PDFium.

    (The first version drew 800,000 characters; PDFium read them in about 1 s, too close to the
    0.5-1 s budgets of the timeout tests for a faster machine. Its content stream inflates to 4.1 MB,
    under the 8 MiB decompression limit those tests also set.)
    """
    line = b"(" + b"ab" * 100 + b") '\n"
    return _one_page_pdf(b"BT /F1 3 Tf 4 TL 10 830 Td\n" + line * 20000 + b"ET\n")


def zip_named_pdf() -> bytes:
    """A ZIP archive holding a text file, as a mis-named download would be."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("call.txt", date_time=(2026, 1, 1, 0, 0, 0))
        archive.writestr(info, "\n".join(CALL_LINES))
    return buffer.getvalue()


def page_html() -> bytes:
    """A small call page, in UTF-8."""
    paragraphs = "".join(f"<p>{line}</p>" for line in CALL_LINES[1:])
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Joint Call 2026</title></head>"
        f"<body><main><h1>{CALL_LINES[0]}</h1>{paragraphs}</main></body></html>"
    ).encode("utf-8")


def noise() -> bytes:
    """4 KB of seeded random bytes, named like a text file."""
    return random.Random(10).randbytes(4096)


def billion_laughs_feed() -> bytes:
    """An RSS feed whose DTD nests entities ten deep: expanding &lol9; would make 10^9 'lol's."""
    entities = "".join(f'  <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE rss [\n  <!ENTITY lol0 "lol">\n' + entities + "]>\n"
        '<rss version="2.0"><channel><title>Funding news</title>'
        "<item><title>&lol9;</title><link>https://example.org/call</link></item></channel></rss>\n"
    ).encode("utf-8")


def external_entity_feed() -> bytes:
    """An Atom feed that pulls /etc/passwd into an entry title through an external entity."""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Calls</title>'
        "<entry><title>&secret;</title></entry></feed>\n"
    ).encode("utf-8")


def plain_feed() -> bytes:
    """A harmless, well-formed RSS feed: XML, but not a document to read."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Funding news</title>'
        "<item><title>Joint call opens</title><link>https://example.org/call</link></item>"
        "</channel></rss>\n"
    ).encode("utf-8")


def broken_feed() -> bytes:
    """An RSS feed cut off in the middle of an item."""
    return plain_feed()[:120]


def huge_one_line_html() -> bytes:
    """A 5 MB page on a single line: a short call and a 5 MB inline JSON blob, as app pages ship."""
    blob = ",".join(f'{{"id":{n},"label":"partner organisation {n:06d}"}}' for n in range(110_000))
    page = page_html().decode("utf-8")
    head, tail = page.split("</body>")
    return f'{head}<script type="application/json">[{blob}]</script></body>{tail}'.encode("utf-8")


def oversized_text() -> bytes:
    """Nine million characters of plain text, more than the tests' max_decompressed_bytes of 8 MiB."""
    return ("Partner organisations are funded by their own agencies. " * 160_715)[:9_000_000].encode("ascii")


def mixed_encoding_text() -> bytes:
    """A note whose first half was saved as UTF-8 and whose second half was appended in cp1252."""
    first = "Die Förderung läuft über das BMBF in München.\n\n".encode("utf-8")
    second = "Le financement est géré par l'agence française à Paris.\n".encode("cp1252")
    return first + second


def shift_jis_wrong_meta() -> bytes:
    """A Japanese call page saved in Shift_JIS whose meta tag wrongly claims UTF-8."""
    body = "<p>日本とフィンランドの共同公募です。各機関が自国の研究者を支援します。</p>"
    return (
        "<html><head><meta charset=\"utf-8\"><title>共同公募</title></head>"
        f"<body><main><h1>国際共同研究の公募</h1>{body}</main></body></html>"
    ).encode("shift_jis")


def main() -> None:
    """Write every small fixture next to this script."""
    files = {
        "corrupt.pdf": corrupt_pdf(),
        "truncated.pdf": truncated_pdf(),
        "encrypted_user_password.pdf": encrypted_pdf(),
        "encrypted_owner_only.pdf": owner_only_pdf(),
        "image_only.pdf": image_only_pdf(),
        "seven_pages.pdf": long_pdf(),
        "decompression_bomb.pdf": bomb_pdf(),
        "slow_4m_chars.pdf": slow_pdf(),
        "zero_bytes.txt": b"",
        "zero_bytes.pdf": b"",
        "pdf_named.html": good_pdf(),
        "html_named.pdf": page_html(),
        "text_named.pdf": "\n\n".join(CALL_LINES).encode("utf-8") + b"\n",
        "zip_named.pdf": zip_named_pdf(),
        "noise.txt": noise(),
        "billion_laughs.rss": billion_laughs_feed(),
        "external_entity.xml": external_entity_feed(),
        "plain_feed.rss": plain_feed(),
        "broken_feed.xml": broken_feed(),
        "mixed_utf8_cp1252.txt": mixed_encoding_text(),
        "shift_jis_wrong_meta.html": shift_jis_wrong_meta(),
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()

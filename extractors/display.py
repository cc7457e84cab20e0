"""HTML of a document's own text with spans highlighted by character offset, for `fundscope show`.

The text keeps its spacing, paragraphs and page breaks (`white-space: pre-wrap`, a marker at
each page start); nothing is re-tokenised. Short spans (mentions, facts) are links to their
row in a table; long ones (evidence sentences) are shaded, with a numbered link at their start.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from extractors.mentions import Mention

COLOURS = {
    "scheme": "#f4a261",
    "country": "#8ecae6",
    "agency": "#b5e48c",
    "trl": "#cdb4db",
    "fact": "#ffd166",
    "evidence": "#fff1c9",
    "flow": "#f7c6c7",
}
LEGEND = {
    "scheme": "funding scheme",
    "country": "country",
    "agency": "agency",
    "trl": "technology readiness level",
    "fact": "fact (deadline, opening, budget, duration, publication)",
    "evidence": "funding evidence sentence",
    "flow": "sentence a flow was read from",
}
FONTS = ('system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK JP", "Noto Sans CJK SC", '
         '"Noto Sans CJK KR", "Hiragino Sans", "Yu Gothic", "Microsoft YaHei", "Malgun Gothic", '
         '"Noto Sans Arabic", "Noto Sans Devanagari", "Noto Sans Thai", sans-serif')
CSS = f"""
body {{ font-family: {FONTS}; margin: 0 auto; max-width: 1000px; padding: 1rem 1.5rem; color: #222; }}
h1 {{ font-size: 1.4rem; }} h2 {{ font-size: 1.1rem; margin-top: 1.6rem; }}
table {{ border-collapse: collapse; font-size: .85rem; margin: .4rem 0 1rem; }}
th, td {{ border: 1px solid #ddd; padding: .2rem .5rem; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f0; }} tr:target {{ background: #fff3b0; }}
.meta, .note {{ color: #555; font-size: .9rem; }}
.legend span {{ display: inline-block; padding: 0 .4rem; margin: 0 .3rem .3rem 0; border-radius: 3px; }}
.doctext {{ white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.6; border: 1px solid #ddd;
           padding: .8rem 1rem; font-size: .95rem; }}
.doctext a.hl {{ color: inherit; text-decoration: none; border-radius: 3px; padding: 0 1px; }}
.doctext a.hl:target, .doctext a.hl:hover {{ outline: 2px solid #333; }}
.doctext .ev {{ background: {COLOURS["evidence"]}; }} .doctext .fl {{ background: {COLOURS["flow"]}; }}
.doctext a.ref {{ font-size: .7rem; vertical-align: super; color: #8a5a00; }}
.doctext .page {{ display: block; text-align: center; color: #777; font-size: .8rem; border-top: 1px dashed #aaa;
                 margin: .6rem 0; }}
""" + "".join(f".doctext a.hl-{k} {{ background: {v}; }}\n" for k, v in COLOURS.items())


@dataclass(frozen=True)
class Highlight:
    """A span to mark: its offsets, its kind (a COLOURS key), the id of its table row and a tooltip."""

    start: int
    end: int
    kind: str
    row_id: str
    title: str = ""
    ref: str = ""  # shaded spans: the short label of the link at their start, e.g. "E2"

    @property
    def shaded(self) -> bool:
        return self.kind in ("evidence", "flow")


def highlight_text(text: str, highlights: list[Highlight], page_starts: list[int] | None = None) -> str:
    """`text` as HTML (escaped) with every highlight marked and a marker at each page start after the first."""
    n = len(text)
    spans = [h for h in highlights if 0 <= h.start < h.end <= n]
    pages = sorted({p for p in (page_starts or []) if 0 < p < n})
    cuts = sorted({0, n, *pages, *(h.start for h in spans), *(h.end for h in spans)})
    starting: dict[int, list[Highlight]] = {}
    for h in spans:
        starting.setdefault(h.start, []).append(h)
    page_no = {p: i + 2 for i, p in enumerate(pages)}
    out: list[str] = []
    active: set[Highlight] = set()
    for a, b in zip(cuts, cuts[1:]):
        active = {h for h in active if h.end > a} | set(starting.get(a, []))
        if a in page_no:
            out.append(f'<span class="page" id="page-{page_no[a]}">page {page_no[a]}</span>')
        for h in starting.get(a, []):
            out.append(f'<span id="t-{h.row_id}"></span>')
            if h.shaded:
                out.append(f'<a class="ref" href="#{h.row_id}" title="{html.escape(h.title)}">{html.escape(h.ref)}</a>')
        inline = sorted((h for h in active if not h.shaded), key=lambda h: (h.end - h.start, h.row_id))
        shade = sorted((h for h in active if h.shaded), key=lambda h: (h.end - h.start, h.row_id))
        piece = html.escape(text[a:b])
        if inline:
            top = inline[0]  # the innermost span decides colour and link; the tooltip names them all
            tip = " · ".join(h.title for h in inline)
            piece = (f'<a class="hl hl-{top.kind}" href="#{top.row_id}" title="{html.escape(tip)}">{piece}</a>')
        if shade:
            piece = f'<span class="{"fl" if shade[0].kind == "flow" else "ev"}">{piece}</span>'
        out.append(piece)
    return '<div class="doctext" dir="auto">' + "".join(out) + "</div>"


def legend_html(kinds: list[str] | None = None) -> str:
    """The colour legend of the highlight kinds."""
    kinds = kinds or list(COLOURS)
    items = "".join(f'<span style="background:{COLOURS[k]}">{html.escape(LEGEND[k])}</span>' for k in kinds)
    return f'<p class="legend">Legend: {items}</p>'


def mention_highlights(mentions: list[Mention]) -> list[Highlight]:
    """One highlight per mention, linked to row `m-<i>` of the mentions table."""
    return [Highlight(m.start, m.end, m.label if m.label in COLOURS else "scheme", f"m-{i}", f"{m.label}: {m.value}")
            for i, m in enumerate(mentions)]


def mentions_table(mentions: list[Mention]) -> str:
    """The mentions as a table, one row per mention, each row linking back to its place in the text."""
    rows = []
    for i, m in enumerate(mentions):
        extra = " ".join(f"{k}={v}" for k, v in sorted(m.attrs.items()) if v)
        cells = [m.label, m.value, m.text, extra]
        rows.append(f'<tr id="m-{i}">' + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
                    + f'<td><a href="#t-m-{i}">in text</a></td></tr>')
    head = "".join(f"<th>{c}</th>" for c in ("label", "value", "text", "details", ""))
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>" if rows else '<p class="note">no mentions</p>'


def page(title: str, body: str) -> str:
    """A standalone UTF-8 page around `body`."""
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n")


def render_html(text: str, mentions: list[Mention], title: str, page_starts: list[int] | None = None) -> str:
    """A standalone page: `text` as written, each mention highlighted in its label's colour and listed below."""
    mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    kinds = [k for k in ("scheme", "country", "agency", "trl") if any(m.label == k for m in mentions)]
    body = (f"<h1>{html.escape(title)}</h1>{legend_html(kinds or None)}"
            f"{highlight_text(text, mention_highlights(mentions), page_starts)}"
            f"<h2>Mentions</h2>{mentions_table(mentions)}")
    return page(title, body)

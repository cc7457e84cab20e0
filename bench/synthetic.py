"""Deterministic synthetic corpora for the scaling benchmark: PDFs, HTML pages and text files.

Every sentence is composed from the phrase tables in `synthetic_phrases.json`, so the
corpus is our own text. Document i is the same in every corpus size (it depends only on
the seed and i), so corpora are hard links into one cached pool under `bench/.cache/`.
"""

from __future__ import annotations

import html
import json
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from corpus.pdfbuild import build_pdf  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
PHRASES = json.loads((Path(__file__).resolve().parent / "synthetic_phrases.json").read_text(encoding="utf-8"))
VERSION = 1  # bump when the generator changes, so stale caches are not reused
KIND_WEIGHTS = {"pdf": 0.6, "html": 0.3, "txt": 0.1}  # an agency archive: mostly PDFs
MAX_PAGES = 40
PAGE_EXPONENT = 2.0  # P(pages = p) ∝ p^-2: most PDFs are 1–3 pages, a few reach 40
WORDS_PER_PAGE = 430  # roughly one A4 page of pdfbuild's 10.5 pt body text


@dataclass(frozen=True)
class Spec:
    """What document i is: its file kind, target PDF pages and funding mode."""

    kind: str
    pages: int
    mode: str


def spec_for(seed: int, i: int) -> Spec:
    """The deterministic kind, page target and funding mode of document `i`."""
    rng = random.Random(f"spec:{seed}:{i}")
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    weights = [p ** -PAGE_EXPONENT for p in range(1, MAX_PAGES + 1)]
    pages = rng.choices(range(1, MAX_PAGES + 1), weights=weights)[0] if kind == "pdf" else 1
    mode = rng.choices(["matching", "direct", "neither"], weights=[0.35, 0.25, 0.4])[0]
    return Spec(kind, pages, mode)


class _Writer:
    """Fills phrase templates with one document's agency, countries, topic and TRLs."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        agencies = rng.sample(PHRASES["agencies"], 2)
        lo = rng.randint(1, 6)
        self.slots = {
            "agency": agencies[0]["name"], "country": agencies[0]["country"],
            "country2": agencies[1]["country"], "topic": rng.choice(PHRASES["topics"]),
            "lo": lo, "hi": min(9, lo + rng.randint(1, 3)),
            "year": 2015 + rng.randint(0, 10), "ref": f"SX-{index:05d}",
        }
        self.slots["agency_title"] = self.slots["agency"].removeprefix("the ").capitalize()
        self.slots["topic_title"] = self.slots["topic"].capitalize()

    def fill(self, template: str) -> str:
        return template.format(**self.slots)

    def sentences(self, table: str, n: int) -> list[str]:
        return [self.fill(self.rng.choice(PHRASES[table])) for _ in range(n)]

    def title(self) -> str:
        return self.fill(self.rng.choice(PHRASES["titles"])) + f" ({self.slots['ref']})"

    def sections(self, mode: str, words: int) -> list[tuple[str, str]]:
        """(heading, paragraph) pairs: funding statements by mode, TRLs, then filler prose to `words`."""
        funding = {"matching": "matching", "direct": "direct", "neither": "neutral_funding"}[mode]
        out = [
            (self.rng.choice(PHRASES["headings"]), " ".join(self.sentences("prose", 3))),
            ("Funding arrangements", " ".join(self.sentences(funding, 2) + self.sentences("neutral_funding", 1))),
        ]
        if mode != "neither" or self.rng.random() < 0.3:
            out.append(("Technology readiness", " ".join(self.sentences("trl", 1) + self.sentences("prose", 1))))
        count = sum(len(p.split()) for _, p in out)
        while count < words:
            para = " ".join(self.sentences("prose", self.rng.randint(3, 6)))
            out.append((self.rng.choice(PHRASES["headings"]), para))
            count += len(para.split())
        return out


def write_document(folder: Path, seed: int, i: int) -> Path:
    """Write document `i` into `folder` and return its path."""
    spec = spec_for(seed, i)
    rng = random.Random(f"text:{seed}:{i}")
    w = _Writer(rng, i)
    title = w.title()
    sections = w.sections(spec.mode, spec.pages * WORDS_PER_PAGE if spec.kind == "pdf" else rng.randint(150, 900))
    stem = f"doc{i:05d}"
    if spec.kind == "pdf":
        path = folder / f"{stem}.pdf"
        body = "\n\n".join(f"# {h}\n{p}" for h, p in sections)
        build_pdf(path, title, body, columns=1 if rng.random() < 0.7 else 2,
                  header=w.slots["agency_title"], footer=f"Reference {w.slots['ref']}")
    elif spec.kind == "html":
        path = folder / f"{stem}.html"
        path.write_text(_html_page(title, sections), encoding="utf-8")
    else:
        path = folder / f"{stem}.txt"
        path.write_text(title + "\n\n" + "\n\n".join(p for _, p in sections) + "\n", encoding="utf-8")
    return path


def _html_page(title: str, sections: list[tuple[str, str]]) -> str:
    """A programme web page: navigation and footer boilerplate around the article."""
    nav = "".join(f'<li><a href="/{n.lower().replace(" ", "-")}">{n}</a></li>' for n in PHRASES["nav"])
    foot = " | ".join(f'<a href="/{n.lower().replace(" ", "-")}">{n}</a>' for n in PHRASES["footer"])
    body = "".join(f"<h2>{html.escape(h)}</h2>\n<p>{html.escape(p)}</p>\n" for h, p in sections)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"</head>\n<body><header><nav><ul>{nav}</ul></nav></header>\n<main><article><h1>{html.escape(title)}</h1>\n"
            f"{body}</article></main>\n<footer><p>{foot}</p></footer></body></html>\n")


def corpus(n_docs: int, seed: int = 7, cache: Path = CACHE) -> Path:
    """A folder holding documents 0..n_docs-1, generated once and cached."""
    pool = cache / f"pool-v{VERSION}-seed{seed}"
    target = cache / f"corpus-v{VERSION}-seed{seed}-{n_docs}"
    done = target / ".complete"
    if done.exists():
        return target
    pool.mkdir(parents=True, exist_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    for i in range(n_docs):
        kind = spec_for(seed, i).kind
        src = pool / f"doc{i:05d}.{kind}"
        if not src.exists():
            tmp = pool / ".tmp"
            tmp.mkdir(exist_ok=True)
            built = write_document(tmp, seed, i)
            os.replace(built, src)  # a half-written file never looks finished
        link = target / src.name
        if not link.exists():
            os.link(src, link)
    done.write_text(f"{n_docs}\n")
    return target


if __name__ == "__main__":
    for size in (int(a) for a in sys.argv[1:] or ["200"]):
        print(corpus(size))

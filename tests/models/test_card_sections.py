"""Sections scored after training (real-world pages, ablation) are written into the card and survive a retrain."""

from __future__ import annotations

from pathlib import Path

from models.model_card import METRICS_START, kept_sections, write_section

CARD = "# card\n\nbody\n\n" + METRICS_START + "\n{}\n-->\n"


def test_a_section_is_added_before_the_metrics_block_then_replaced(tmp_path: Path) -> None:
    card = tmp_path / "card.md"
    card.write_text(CARD, encoding="utf-8")
    write_section(card, "real-world-dev", "## dev\n\nmacro-F1 0.5")
    write_section(card, "ablation-dev", "## ablation")
    write_section(card, "real-world-dev", "## dev\n\nmacro-F1 0.8")
    text = card.read_text(encoding="utf-8")
    assert text.count("<!-- section:real-world-dev -->") == 1 and "0.8" in text and "0.5" not in text
    assert text.index("## ablation") < text.index(METRICS_START)
    kept = kept_sections(card)
    assert [k.splitlines()[0] for k in kept] == ["<!-- section:real-world-dev -->", "<!-- section:ablation-dev -->"]
    assert kept_sections(tmp_path / "none.md") == []

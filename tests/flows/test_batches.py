"""How the ingest flow cuts its inputs into batches: consecutive alone, cost-balanced bins in parallel."""

from __future__ import annotations

from corpus.sources import PlannedItem
from flows.ingest import batches, estimated_cost


def item(name: str, size: int) -> PlannedItem:
    return PlannedItem(name, f"/in/{name}", f"id-{name}", size)


def test_one_worker_gets_consecutive_batches_in_input_order() -> None:
    items = [item(f"{i}.txt", 10) for i in range(7)]
    assert [[i.source for i in b] for b in batches(items, 3)] == [["0.txt", "1.txt", "2.txt"],
                                                                  ["3.txt", "4.txt", "5.txt"], ["6.txt"]]


def test_parallel_bins_hold_every_item_once_and_weigh_about_the_same() -> None:
    sizes = [40_000, 30_000, 5_000, 4_000, 4_000, 3_500, 3_500, 3_000, 90_000, 2_000] * 4
    items = [item(f"{n}.pdf" if n % 3 else f"{n}.html", size) for n, size in enumerate(sizes)]
    cut = batches(items, 100, workers=2)
    assert len(cut) == 8  # four per worker
    assert sorted(i.source for b in cut for i in b) == sorted(i.source for i in items)
    totals = [sum(estimated_cost(i) for i in b) for b in cut]
    assert totals == sorted(totals, reverse=True)  # heaviest first
    assert max(totals) - min(totals) <= max(estimated_cost(i) for i in items)
    for b in cut:  # within a batch, the input order is kept
        positions = [items.index(i) for i in b]
        assert positions == sorted(positions)


def test_a_pdf_weighs_more_than_html_of_the_same_size() -> None:
    assert estimated_cost(item("a.pdf", 1000)) == 20 * estimated_cost(item("a.html", 1000))

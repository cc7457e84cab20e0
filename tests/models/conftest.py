"""Fixtures shared by the model tests: a sample of the training split with its mentions, extracted once."""

from __future__ import annotations

from typing import Any

import pytest

from models.labelled_corpus import LabelledDoc, load_train
from models.train import attach_mentions


@pytest.fixture(scope="session")
def train_docs() -> list[LabelledDoc]:
    """Every fifth training document: enough to check fits and fingerprints, at a fifth of the cost."""
    return load_train()[::5]


@pytest.fixture(scope="session")
def train_records(train_docs: list[LabelledDoc]) -> list[dict[str, Any]]:
    return attach_mentions([d.text for d in train_docs])


# Written for these tests; each states its funding mode plainly.
HAND_WRITTEN = {
    "direct_fund": (
        "The Dutch research council will now pay the Canadian and Brazilian partners of Dutch-led consortia "
        "straight from its own budget, so foreign partners no longer need a grant from their own government."
    ),
    "matching_fund": (
        "Under the bilateral call, the German ministry funds the German teams and the Japanese agency funds the "
        "Japanese teams; each side pays only its own researchers and no money crosses the border."
    ),
    "neither": (
        "A regional government in Spain offers start-ups grants of up to 200,000 euros to take prototypes from "
        "TRL 4 to TRL 6. Only companies registered in the region may apply, and there is no foreign partner."
    ),
}


@pytest.fixture(scope="session")
def hand_written() -> dict[str, str]:
    return HAND_WRITTEN


@pytest.fixture(scope="session")
def hand_written_records() -> list[dict[str, Any]]:
    return attach_mentions(list(HAND_WRITTEN.values()))

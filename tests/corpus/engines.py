"""A module-scoped fixture running every test of a loader module once per PDF engine."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from corpus.loaders.limits import PDF_ENGINES, Limits


@pytest.fixture(scope="module", params=PDF_ENGINES, autouse=True)
def pdf_engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Make `engine` the default of every Limits, including the module's own Limits constants.

    Module scope keeps it out of Hypothesis's way (it refuses function-scoped fixtures).
    """
    engine: str = request.param
    fields = [f.name for f in dataclasses.fields(Limits)]
    defaults = list(Limits.__init__.__defaults__ or ())
    assert len(defaults) == len(fields), "every Limits field needs a default for this fixture"
    defaults[fields.index("pdf_engine")] = engine
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Limits.__init__, "__defaults__", tuple(defaults))
        for name, value in vars(request.module).items():
            if isinstance(value, Limits):
                patch.setattr(request.module, name, dataclasses.replace(value, pdf_engine=engine))
        assert Limits().pdf_engine == engine
        yield engine

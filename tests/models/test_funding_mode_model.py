"""The FundingModeModel wrapper: determinism, probabilities, the artifact and its version check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import joblib
import numpy as np
import pytest
import sklearn

from models.errors import ModelFormatError, ModelNotFoundError, ModelVersionError
from models.funding_mode import DEFAULT_PATH, LABELS, FundingModeModel, ModelParams, training_fingerprint
from models.train import SEED_LETTER, attach_mentions

PARAMS = ModelParams(C=10.0, char_weight=1.0, mention_weight=0.05)
# Same seed, same machine: a threaded BLAS may still sum in another order from one call to the next,
# which shows in the last few bits (about 1e-15). 1e-9 is far above that and far below any real change.
SAME_MACHINE_TOL = 1e-9


@pytest.fixture(scope="module")
def fitted_twice(train_docs, train_records) -> tuple[FundingModeModel, FundingModeModel]:
    labels = [d.label for d in train_docs]  # a sample (conftest): two full fits would cost ~40 s
    day = dt.date(2026, 1, 31)
    return tuple(FundingModeModel.fit(train_records, labels, PARAMS, seed=3, today=day) for _ in range(2))


def test_two_fits_with_the_same_seed_give_identical_probabilities(fitted_twice, hand_written_records):
    first, second = fitted_twice
    assert np.allclose(first.predict_proba(hand_written_records), second.predict_proba(hand_written_records), rtol=0.0, atol=SAME_MACHINE_TOL)
    assert first.version == second.version


def test_version_names_the_training_data_params_and_day(fitted_twice, train_docs, train_records):
    model = fitted_twice[0]
    labels = [d.label for d in train_docs]
    fingerprint = training_fingerprint(train_records, labels, PARAMS, 3)
    assert model.version == f"fm-{fingerprint[:12]}-20260131"
    assert training_fingerprint(train_records, labels, ModelParams(C=1.0), 3) != fingerprint
    assert training_fingerprint(train_records, labels, PARAMS, 4) != fingerprint
    flipped = ["neither" if label != "neither" else "direct_fund" for label in labels]
    assert training_fingerprint(train_records, flipped, PARAMS, 3) != fingerprint
    # Other extractor output on the same texts is another training run too.
    without_mentions = [{**r, "mentions": []} for r in train_records]
    assert training_fingerprint(without_mentions, labels, PARAMS, 3) != fingerprint
    without_evidence = [{**r, "evidence": []} for r in train_records]
    assert training_fingerprint(without_evidence, labels, PARAMS, 3) != fingerprint


def test_shipped_model_probabilities_sum_to_one(hand_written_records):
    predictions = FundingModeModel.load().predict(hand_written_records)
    assert len(predictions) == 3
    for p in predictions:
        assert p.p_matching_fund + p.p_direct_fund + p.p_neither == pytest.approx(1.0, abs=1e-9)
        assert min(p.p_matching_fund, p.p_direct_fund, p.p_neither) >= 0.0
        by_label = {"matching_fund": p.p_matching_fund, "direct_fund": p.p_direct_fund, "neither": p.p_neither}
        assert p.funding_mode == max(by_label, key=by_label.get)


def test_shipped_model_labels_plainly_worded_texts(hand_written, hand_written_records):
    predicted = [p.funding_mode for p in FundingModeModel.load().predict(hand_written_records)]
    assert predicted == list(hand_written)


def test_shipped_model_classifies_the_seed_letter_direct_fund():
    if not SEED_LETTER.is_file():
        pytest.skip("../shared/seeds is not available")
    record = attach_mentions([SEED_LETTER.read_text(encoding="utf-8")])
    assert FundingModeModel.load().predict(record)[0].funding_mode == "direct_fund"


def test_empty_input_gives_no_predictions():
    model = FundingModeModel.load()
    assert model.predict([]) == []
    assert model.predict_proba([]).shape == (0, len(LABELS))


def test_save_and_load_round_trip(tmp_path: Path, hand_written_records):
    model = FundingModeModel.load()
    copy = FundingModeModel.load(model.save(tmp_path / "copy.joblib"))
    assert copy.version == model.version
    assert np.allclose(copy.predict_proba(hand_written_records), model.predict_proba(hand_written_records), rtol=0.0, atol=SAME_MACHINE_TOL)


def test_artifact_from_another_sklearn_version_is_refused(tmp_path: Path):
    header = joblib.load(DEFAULT_PATH)
    header["sklearn_version"] = "1.2.0"
    edited = tmp_path / "old.joblib"
    joblib.dump(header, edited)
    with pytest.raises(ModelVersionError) as caught:
        FundingModeModel.load(edited)
    message = str(caught.value)
    assert "scikit-learn 1.2.0" in message
    assert f"scikit-learn {sklearn.__version__}" in message
    assert "`fundscope train`" in message


def test_missing_artifact_says_how_to_train(tmp_path: Path):
    with pytest.raises(ModelNotFoundError) as caught:
        FundingModeModel.load(tmp_path / "absent.joblib")
    assert "fundscope train" in str(caught.value)
    assert "absent.joblib" in str(caught.value)


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path):
    damaged = tmp_path / "damaged.joblib"
    damaged.write_bytes(b"not a pickle")
    with pytest.raises(ModelFormatError, match="fundscope train"):
        FundingModeModel.load(damaged)
    joblib.dump({"format": "something else"}, damaged)
    with pytest.raises(ModelFormatError, match="unknown artifact format"):
        FundingModeModel.load(damaged)

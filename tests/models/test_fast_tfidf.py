"""The fast TF-IDF transform gives scikit-learn's matrix, on our corpus and on awkward strings."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from models.fast_tfidf import FastTfidfVectorizer

REPO = Path(__file__).resolve().parents[2]
CONFIGS = [
    {"analyzer": "char_wb", "ngram_range": (3, 5)},
    {"analyzer": "char_wb", "ngram_range": (2, 3)},
    {"ngram_range": (1, 2)},
    {"ngram_range": (1, 1)},
    {"ngram_range": (2, 2)},
]


def _texts() -> list[str]:
    path = REPO / "corpus" / "labelled" / "train" / "realshaped_w8.jsonl"
    rows = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(7)
    alphabet = list("ab Cd é ß İ ı ſ K-\n\t\u3000\xa0日本の研究\u2028.,!") + ["fund ", "Fund", "co-funding", "  "]
    odd = ["", " ", "a", "\n\n", *("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(300))]
    return rows + odd


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.get('analyzer', 'word')}-{c['ngram_range']}")
def test_transform_equals_scikit_learn(config: dict) -> None:
    texts = _texts()
    fit, unseen = texts[::2], texts[1::2]
    ours = FastTfidfVectorizer(sublinear_tf=True, min_df=2, **config).fit(fit)
    theirs = TfidfVectorizer(sublinear_tf=True, min_df=2, **config).fit(fit)
    assert ours.vocabulary_ == theirs.vocabulary_
    for _ in range(2):  # the second pass reads the per-word cache
        a, b = ours.transform(unseen), theirs.transform(unseen)
        assert type(a) is type(b) and a.shape == b.shape
        assert (a != b).nnz == 0 or np.abs((a - b).toarray()).max() < 1e-12  # same counts, same tf-idf code
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.get('analyzer', 'word')}-{c['ngram_range']}")
def test_fitting_equals_scikit_learn(config: dict) -> None:
    texts = _texts()
    ours, theirs = FastTfidfVectorizer(sublinear_tf=True, min_df=2, **config), TfidfVectorizer(sublinear_tf=True, min_df=2, **config)
    a, b = ours.fit_transform(texts), theirs.fit_transform(texts)
    assert ours.vocabulary_ == theirs.vocabulary_ and len(ours.vocabulary_) > 100
    assert np.array_equal(ours.idf_, theirs.idf_)  # document frequencies are integer counts: equal exactly
    assert type(a) is type(b) and a.dtype == b.dtype and a.indices.dtype == b.indices.dtype
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.abs((a - b).toarray()).max() < 1e-12  # same counts through the same tf-idf code


def test_fitting_on_no_words_fails_as_scikit_learn_does() -> None:
    for vectorizer in (FastTfidfVectorizer(), FastTfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5))):
        with pytest.raises(ValueError, match="empty vocabulary"):
            vectorizer.fit([" ", "!"] if vectorizer.analyzer == "word" else ["", ""])


def test_an_unsupported_configuration_falls_back_to_scikit_learn() -> None:
    texts = _texts()[:60]
    ours = FastTfidfVectorizer(analyzer="char", ngram_range=(2, 3), binary=True).fit(texts)
    theirs = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), binary=True).fit(texts)
    assert ours._fast_kind() is None
    assert np.abs((ours.transform(texts) - theirs.transform(texts)).toarray()).max() < 1e-12


def test_the_word_cache_is_not_pickled() -> None:
    import pickle

    ours = FastTfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(_texts()[:50])
    ours.transform(_texts()[:50])
    assert ours.__dict__.get("_word_cache")
    assert "_word_cache" not in pickle.loads(pickle.dumps(ours)).__dict__

"""A TfidfVectorizer whose `transform` counts n-grams per distinct word, for the same matrix in a fraction of the time.

scikit-learn's `transform` builds every n-gram of every token in Python and looks each one up.
At prediction time that was two thirds of the classifier's cost: a page of 4,000 words yields
about 50,000 character n-grams, yet it has only about 1,000 distinct words. Character n-grams of
`char_wb` never cross a word, so they are counted once per distinct word (cached across
documents) and weighted by how often the word occurs; word 1-2-grams are counted with
`collections.Counter`, which loops in C. Fitting is scikit-learn's own. Any configuration other
than the two used by the funding-mode pipeline falls back to scikit-learn, and
`tests/models/test_fast_tfidf.py` checks the matrices are equal to scikit-learn's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
# distinct words whose vocabulary indices are kept between documents; cleared when full
WORD_CACHE_LIMIT = 200_000


class FastTfidfVectorizer(TfidfVectorizer):
    """TfidfVectorizer with a fast `transform` for `char_wb` n-grams and word 1-2-grams (default tokens)."""

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_word_cache", None)
        return state

    def _fast_kind(self) -> str | None:
        """'char_wb' or 'word' when this configuration has a fast path, else None."""
        plain = (
            self.input == "content"
            and self.lowercase
            and self.strip_accents is None
            and self.preprocessor is None
            and not callable(self.analyzer)
            and not self.binary
        )
        if not plain:
            return None
        if self.analyzer == "char_wb":
            return "char_wb"
        low, high = self.ngram_range
        if (
            self.analyzer == "word"
            and self.tokenizer is None
            and self.token_pattern == DEFAULT_TOKEN_PATTERN
            and self.stop_words is None
            and (low, high) in {(1, 1), (1, 2), (2, 2)}
        ):
            return "word"
        return None

    def transform(self, raw_documents: Iterable[Any]) -> Any:
        """The tf-idf matrix scikit-learn's `transform` gives, computed per distinct word."""
        kind = self._fast_kind()
        if kind is None or isinstance(raw_documents, str):
            return super().transform(raw_documents)
        check_is_fitted(self, msg="The TF-IDF vectorizer is not fitted")
        texts = [self.decode(doc).lower() for doc in raw_documents]
        cols, vals, per_doc = (self._char_entries if kind == "char_wb" else self._word_entries)(texts)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), per_doc)
        # COO to CSR sums the repeated (row, column) pairs: the count of each n-gram in each document
        X = sp.coo_array((vals.astype(self.dtype), (rows, cols)), shape=(len(texts), len(self.vocabulary_))).tocsr()
        X.sum_duplicates()
        X.sort_indices()
        X.indices = X.indices.astype(np.int32, copy=False)
        X.indptr = X.indptr.astype(np.int32, copy=False)
        reference = type(super().transform([""]))  # csr_array or csr_matrix, as this scikit-learn returns
        if not isinstance(X, reference):
            X = reference(X)
        return self._tfidf.transform(X, copy=False)

    # --- entries of all documents: (columns, counts, entries per document); columns may repeat -----

    def _word_indices(self, word: str) -> np.ndarray:
        """Vocabulary indices of the char_wb n-grams of one word, repeated as scikit-learn would count them."""
        vocabulary = self.vocabulary_
        low, high = self.ngram_range
        padded = " " + word + " "
        size = len(padded)
        grams: list[str] = []
        for n in range(low, high + 1):
            # same enumeration as scikit-learn's _char_wb_ngrams: a word no longer than n counts once
            if size <= n:
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(size - n + 1))
        return np.fromiter((vocabulary[g] for g in grams if g in vocabulary), dtype=np.int64)

    def _char_entries(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        cache = self.__dict__.setdefault("_word_cache", {})
        if len(cache) >= WORD_CACHE_LIMIT:
            cache.clear()
        lookup = cache.get
        parts: list[np.ndarray] = []
        counts: list[int] = []
        per_doc = np.zeros(len(texts), dtype=np.int64)
        for r, text in enumerate(texts):
            words = Counter(text.split())
            for word, count in words.items():
                found = lookup(word)
                if found is None:
                    found = cache[word] = self._word_indices(word)
                parts.append(found)
                counts.append(count)
            per_doc[r] = len(words)
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(len(texts), np.int64)
        lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        cols = np.concatenate(parts)
        vals = np.repeat(np.asarray(counts, dtype=np.int64), lengths)
        # entries per document: the n-gram indices of its distinct words
        bounds = np.concatenate([[0], np.cumsum(per_doc)])
        ends = np.concatenate([[0], np.cumsum(lengths)])
        return cols, vals, np.diff(ends[bounds])

    def _word_entries(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lookup = self.vocabulary_.get
        low, high = self.ngram_range
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        per_doc = np.zeros(len(texts), dtype=np.int64)
        for r, text in enumerate(texts):
            tokens = _TOKENS.findall(text)
            grams: Counter = Counter()
            if low == 1:
                grams.update(tokens)
            if high == 2:
                grams.update(map(" ".join, zip(tokens, tokens[1:])))
            index = np.fromiter(map(lookup, grams, repeat(-1)), dtype=np.int64, count=len(grams))
            count = np.fromiter(grams.values(), dtype=np.int64, count=len(grams))
            known = index >= 0
            cols.append(index[known])
            vals.append(count[known])
            per_doc[r] = len(cols[-1])
        if not cols:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), per_doc
        return np.concatenate(cols), np.concatenate(vals), per_doc


_TOKENS = re.compile(DEFAULT_TOKEN_PATTERN)

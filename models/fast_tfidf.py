"""A TfidfVectorizer whose `transform` counts n-grams per distinct word, for the same matrix in a fraction of the time.

scikit-learn's `transform` builds every n-gram of every token in Python and looks each one up.
At prediction time that was two thirds of the classifier's cost: a page of 4,000 words yields
about 50,000 character n-grams, yet it has only about 1,000 distinct words. Character n-grams of
`char_wb` never cross a word, so they are counted once per distinct word (cached across
documents) and weighted by how often the word occurs; word 1-2-grams are counted with
`collections.Counter`, which loops in C. Fitting counts the same way (`_count_vocab`): training
refits the vectorizers for every fold and candidate, and scikit-learn's counting was half of each
fit. Pruning by document frequency and sorting the vocabulary stay scikit-learn's. Any
configuration other than the two used by the funding-mode pipeline falls back to scikit-learn,
and `tests/models/test_fast_tfidf.py` checks vocabularies and matrices equal scikit-learn's.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils._sparse import _align_api_if_sparse  # what scikit-learn's own _count_vocab returns through
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

    def _count_vocab(self, raw_documents: Iterable[Any], fixed_vocab: bool) -> tuple[dict[str, int], Any]:
        """scikit-learn's (vocabulary, count matrix) when learning a vocabulary, counted per distinct word."""
        kind = self._fast_kind()
        if fixed_vocab or kind is None:
            return super()._count_vocab(raw_documents, fixed_vocab)
        texts = [self.decode(doc).lower() for doc in raw_documents]
        vocabulary: dict[str, int] = {}
        cols, vals, per_doc = (self._char_vocab if kind == "char_wb" else self._word_vocab)(texts, vocabulary)
        if not vocabulary:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), per_doc)
        X = sp.coo_array((vals, (rows, cols)), shape=(len(texts), len(vocabulary))).tocsr()
        X.sum_duplicates()
        X.sort_indices()
        X = sp.csr_array((X.data.astype(self.dtype), X.indices.astype(np.int32), X.indptr.astype(np.int32)),
                         shape=X.shape)
        return vocabulary, _align_api_if_sparse(X)

    def _char_vocab(self, texts: list[str], vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Entries of all documents, adding every char_wb n-gram seen to `vocabulary`."""
        low, high = self.ngram_range
        seen: defaultdict[str, int] = defaultdict()
        seen.default_factory = seen.__len__  # a new n-gram takes the next index, looked up in C
        index = seen.__getitem__
        of_word: dict[str, np.ndarray] = {}
        parts: list[np.ndarray] = []
        counts: list[int] = []
        per_doc = np.zeros(len(texts), dtype=np.int64)
        for r, text in enumerate(texts):
            for word, count in Counter(text.split()).items():
                found = of_word.get(word)
                if found is None:
                    grams = _char_wb_grams(word, low, high)
                    found = of_word[word] = np.fromiter(map(index, grams), dtype=np.int64, count=len(grams))
                parts.append(found)
                counts.append(count)
                per_doc[r] += len(found)
        vocabulary.update(seen)
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), per_doc
        lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        return np.concatenate(parts), np.repeat(np.asarray(counts, dtype=np.int64), lengths), per_doc

    def _word_vocab(self, texts: list[str], vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Entries of all documents, adding every word 1-2-gram seen to `vocabulary`."""
        seen: defaultdict[str, int] = defaultdict()
        seen.default_factory = seen.__len__
        index = seen.__getitem__
        entries = self._word_columns(texts, lambda grams: np.fromiter(map(index, grams), np.int64, len(grams)))
        vocabulary.update(seen)
        return entries

    # --- entries of all documents: (columns, counts, entries per document); columns may repeat -----

    def _word_indices(self, word: str) -> np.ndarray:
        """Vocabulary indices of the char_wb n-grams of one word, repeated as scikit-learn would count them."""
        vocabulary = self.vocabulary_
        return np.fromiter((vocabulary[g] for g in _char_wb_grams(word, *self.ngram_range) if g in vocabulary),
                           dtype=np.int64)

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
        return self._word_columns(texts, lambda grams: np.fromiter(map(lookup, grams, repeat(-1)), np.int64, len(grams)))

    def _word_columns(self, texts: list[str], columns: Callable[[Counter], np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Entries of all documents; `columns(grams)` gives each gram's column, -1 for one left out."""
        low, high = self.ngram_range
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        per_doc = np.zeros(len(texts), dtype=np.int64)
        for r, text in enumerate(texts):
            grams = _word_grams(text, low, high)
            index = columns(grams)
            count = np.fromiter(grams.values(), dtype=np.int64, count=len(grams))
            known = index >= 0
            cols.append(index[known])
            vals.append(count[known])
            per_doc[r] = len(cols[-1])
        if not cols:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), per_doc
        return np.concatenate(cols), np.concatenate(vals), per_doc


_TOKENS = re.compile(DEFAULT_TOKEN_PATTERN)


def _word_grams(text: str, low: int, high: int) -> Counter:
    """Counts of the word 1-grams and/or 2-grams of a lowercased text, as scikit-learn's word analyzer makes them."""
    tokens = _TOKENS.findall(text)
    grams: Counter = Counter()
    if low == 1:
        grams.update(tokens)
    if high == 2:
        grams.update(map(" ".join, zip(tokens, tokens[1:])))
    return grams


def _char_wb_grams(word: str, low: int, high: int) -> list[str]:
    """The char_wb n-grams of one word, with repeats, in scikit-learn's enumeration."""
    padded = " " + word + " "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        # as scikit-learn's _char_wb_ngrams: a word no longer than n counts once
        if size <= n:
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams

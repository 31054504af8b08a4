"""The project's word lists: the jieba user dictionary, the stopword lists, and the content-token filter.

``data/userdict.txt`` (domain terms such as 碳中和, 减污降碳, 1+N), the optional accepted terms in
``<outputs>/user_terms.txt`` (same format), ``data/stopwords.txt`` (general function words) and
``data/stopwords_political.txt`` (political boilerplate) are described in ``data/WORDLISTS.md``.
This module reads them (:func:`read_wordlist`, :func:`read_userdict`, :func:`stopwords`), hashes
them (:func:`file_digest`, :func:`quick_digest`: a list is read again only when its file changes)
and decides which tokens carry content (:func:`is_content_token`; :func:`content_tokens` and
:func:`content_vocabulary` for many lists). :mod:`shuangtan.segmenter` and :mod:`shuangtan.tokens`
(which re-exports these names) build on it.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from .paths import DATA_DIR, outputs_dir

USERDICT_PATH = DATA_DIR / "userdict.txt"
# Terms a researcher accepted (term discovery writes them here); same format as userdict.txt.
USER_TERMS_NAME = "user_terms.txt"
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"
POLITICAL_STOPWORDS_PATH = DATA_DIR / "stopwords_political.txt"

# A token with no letter or CJK character (punctuation, 2030, 5%, ——) carries no content.
_NON_CONTENT = re.compile(r"[\W\d_]+")


def read_wordlist(path: str | os.PathLike[str]) -> list[str]:
    """Return the first field of every line of a word-list file, skipping '#' comments and blanks."""
    words = []
    with open(path, encoding="utf-8-sig") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                words.append(line.split()[0])
    return words


def read_userdict(path: str | os.PathLike[str] | None = None) -> list[tuple[str, int | None, str | None]]:
    """Return the (word, frequency or None, POS tag or None) entries of a jieba user dictionary."""
    entries = []
    with open(path or USERDICT_PATH, encoding="utf-8-sig") as handle:
        for line in handle:
            fields = line.strip().split()
            if not fields or fields[0].startswith("#"):
                continue
            freq = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None
            tag = fields[-1] if len(fields) > 1 and not fields[-1].isdigit() else None
            entries.append((fields[0], freq, tag))
    return entries


def file_digest(path: str | os.PathLike[str]) -> str:
    """Return the BLAKE2b hex digest of a file's bytes."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()


# path -> ((mtime_ns, size, inode), digest): a word list is read again only when its stat changes.
_DIGESTS: dict[str, tuple[tuple[int, int, int], str]] = {}


def quick_digest(path: str | os.PathLike[str]) -> str:
    """Return file_digest(path), re-reading the file only when its size, time or inode changed."""
    info = os.stat(path)
    signature = (info.st_mtime_ns, info.st_size, info.st_ino)
    known = _DIGESTS.get(str(path))
    if known is None or known[0] != signature:
        known = _DIGESTS[str(path)] = (signature, file_digest(path))
    return known[1]


def user_terms_path() -> Path:
    """Return the optional file of accepted terms, ``<outputs>/user_terms.txt`` (may not exist)."""
    return outputs_dir() / USER_TERMS_NAME


@lru_cache(maxsize=8)
def _wordset_for(path: str, digest: str) -> frozenset[str]:
    """Return the words of a word-list file (cached per content digest)."""
    return frozenset(read_wordlist(path))


def stopwords(political: bool = False) -> frozenset[str]:
    """Return the general stopwords, or the political boilerplate list when political=True."""
    path = POLITICAL_STOPWORDS_PATH if political else STOPWORDS_PATH
    return _wordset_for(str(path), quick_digest(path))


@lru_cache(maxsize=16)
def _drop_set_for(keep_stopwords: bool, drop_political: bool, general: frozenset[str],
                  political: frozenset[str]) -> frozenset[str]:
    """Return the words to drop (one object per setting and list content, so its hash is computed once)."""
    dropped: frozenset[str] = frozenset() if keep_stopwords else general
    return dropped | political if drop_political else dropped


def _drop_set(keep_stopwords: bool, drop_political: bool) -> frozenset[str]:
    """Return the set of words to drop for these flags."""
    political = stopwords(political=True) if drop_political else frozenset()
    return _drop_set_for(keep_stopwords, drop_political, stopwords(), political)


# drop_political -> (monotonic time, words to drop): is_content_token runs once per token in
# analyses' loops; it looks at the word lists' files at most once a second.
_HOT_DROP: dict[bool, tuple[float, frozenset[str]]] = {}


def _carries_content(token: str, dropped: frozenset[str]) -> bool:
    """Return True if the token is not empty, white space, punctuation or a number, nor in `dropped`."""
    return bool(token) and not token.isspace() and token not in dropped and not _NON_CONTENT.fullmatch(token)


def is_content_token(token: str, *, drop_political: bool = False) -> bool:
    """Return True if the token survives the default filters (not punctuation, number or stopword)."""
    now = time.monotonic()
    entry = _HOT_DROP.get(drop_political)
    if entry is None or now - entry[0] > 1.0:
        entry = _HOT_DROP[drop_political] = (now, _drop_set(False, drop_political))
    return _carries_content(token, entry[1])


def content_vocabulary(
    token_lists: Iterable[Sequence[str]], *, drop_political: bool = False, exclude: Iterable[str] = ()
) -> set[str]:
    """Return the distinct tokens of the lists that :func:`is_content_token` keeps and that are not in `exclude`.

    Each distinct token is tested once: on a large corpus a few hundred thousand tests instead of tens of millions.
    """
    dropped = _drop_set(False, drop_political) | frozenset(exclude)
    vocabulary: set[str] = set()
    for tokens in token_lists:
        vocabulary.update(tokens)
    return {token for token in vocabulary if _carries_content(token, dropped)}


def content_tokens(
    token_lists: Iterable[Sequence[str]], *, drop_political: bool = False, exclude: Iterable[str] = ()
) -> list[list[str]]:
    """Return each token list with only the tokens :func:`is_content_token` keeps and not in `exclude`."""
    lists = [list(tokens) for tokens in token_lists]
    keep = content_vocabulary(lists, drop_political=drop_political, exclude=exclude)
    return [[t for t in tokens if t in keep] for tokens in lists]

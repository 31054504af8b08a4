"""The segmentation engines: jieba (the reference) and rjieba made to give jieba's exact tokens.

:class:`RJiebaTokenizer` wraps rjieba (jieba's algorithm in Rust, about 25x faster) so that its
output equals ``jieba.Tokenizer``'s, HMM included; ``_tokenizer_for`` builds a private tokenizer of
either engine with the word lists of :mod:`shuangtan.wordlists` added (cached per content);
``_segment`` cuts one text and applies the stopword and content filters. Which engine runs comes
from :func:`default_engine` (``$SHUANGTAN_SEGMENTER``). :mod:`shuangtan.tokens` holds the public
functions (``tokenize``, ``tokenize_corpus``) and re-exports these names. jieba's loading messages
are silenced on import.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import warnings
from functools import lru_cache
from typing import Any

with warnings.catch_warnings():
    # Older jieba imports pkg_resources, which newer setuptools flags as deprecated.
    warnings.simplefilter("ignore")
    import jieba

from .wordlists import _NON_CONTENT, read_userdict

jieba.setLogLevel(logging.WARNING)

try:
    import rjieba
except ImportError:  # the reference engine still works
    rjieba = None

# Segmentation engines: rjieba (default, fast) and jieba (the reference; identical tokens).
ENGINES = ("rjieba", "jieba")
# Frequency given to user-dictionary entries that state none. jieba's own suggestion (often 1)
# is too weak in context: 碳市场潜力 came out as 碳|市场潜力.
USERDICT_DEFAULT_FREQ = 1000


def default_engine() -> str:
    """Return the segmentation engine: $SHUANGTAN_SEGMENTER if valid, else rjieba when installed, else jieba."""
    chosen = os.environ.get("SHUANGTAN_SEGMENTER", "")
    if chosen in ENGINES and (chosen != "rjieba" or rjieba is not None):
        return chosen
    return "rjieba" if rjieba is not None else "jieba"


def engine_version(engine: str) -> str:
    """Return '<engine> <version>' of a segmentation engine."""
    if engine == "rjieba":
        from importlib.metadata import version

        return f"rjieba {version('rjieba')}"
    return f"jieba {jieba.__version__}"


# jieba's rule for a run of single characters outside its dictionary (finalseg): Han runs go to the
# HMM, anything else is split into ASCII words/numbers and single other characters.
_HAN_CHAR = re.compile("[\u4E00-\u9FD5]")
_FINALSEG_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
# jieba's default block class (re_han_default): text outside it is cut character by character.
_BLOCK_CLASS = "\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-"
_JIEBA_BLOCK = re.compile(f"[{_BLOCK_CLASS}]+")
# Characters rjieba reads as Han (CJK extensions, compatibility ideographs, U+9FD6-U+9FFF, 〇)
# and jieba does not: jieba ends a block there, so the text is cut apart at them before rjieba.
_RJIEBA_ONLY = re.compile("([\u3007\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00020000-\U0003FFFF])")
_JIEBA_RUNS = re.compile(f"[{_BLOCK_CLASS}]+|\r\n|[^{_BLOCK_CLASS}]", re.S)


_SERIAL = itertools.count()


class RJiebaTokenizer:
    """rjieba with jieba's exact output: the same interface as jieba.Tokenizer's cut/lcut.

    rjieba returns a run of non-Han characters unknown to the dictionary whole ('2021-07-16',
    'test_io.py') where jieba's HMM fallback splits it ('2021', '-', '07' …); such tokens are split
    again with jieba's rule, everything else is rjieba's own output.
    """

    def __init__(self) -> None:
        self._engine = rjieba.Jieba()
        self._splits: dict[str, list[str] | None] = {}
        self.version = next(_SERIAL)  # unique, renewed by every added word (keys _segment's decisions)

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """Add one dictionary entry (rjieba has no file loader)."""
        self._engine.add_word(word, freq, None)
        self._splits.clear()
        self.version = next(_SERIAL)

    def _split(self, token: str) -> list[str] | None:
        """Return jieba's pieces for an rjieba token, or None when jieba keeps it whole."""
        if len(token) < 2:
            return None
        if not _JIEBA_BLOCK.fullmatch(token):
            # Characters outside jieba's block class (CJK extensions, symbols, spaces) are single
            # tokens for jieba ('\r\n' stays one); runs inside the class are segmented again.
            pieces: list[str] = []
            for run in _JIEBA_RUNS.findall(token):
                pieces.extend(self.cut(run) if _JIEBA_BLOCK.fullmatch(run) else [run])
            return pieces if pieces != [token] else None
        if _HAN_CHAR.search(token) or self._engine.has_word(token):
            return None
        pieces = [piece for piece in _FINALSEG_SKIP.split(token) if piece]
        return pieces if pieces != [token] else None

    def _engine_cut(self, text: str, hmm: bool) -> list[str]:
        """Return rjieba's tokens, cut apart where jieba's blocks end but rjieba's do not."""
        if not _RJIEBA_ONLY.search(text):
            return self._engine.cut(text, hmm)
        tokens: list[str] = []
        for number, piece in enumerate(_RJIEBA_ONLY.split(text)):
            if number % 2:
                tokens.append(piece)  # outside jieba's block class: a token of its own
            elif piece:
                tokens.extend(self._engine.cut(piece, hmm))
        return tokens

    def raw_cut(self, text: str) -> list[str]:
        """Return rjieba's own tokens (HMM on), before jieba's split of unknown non-Han runs."""
        return self._engine_cut(text, True)

    def pieces(self, token: str) -> list[str] | None:
        """Return what jieba makes of one raw token: None when it keeps it whole, else the pieces."""
        found = self._splits.get(token, False)
        if found is False:
            found = self._splits[token] = self._split(token)
        return found

    def cut(self, text: str, HMM: bool = True) -> list[str]:  # noqa: N803 (jieba's spelling)
        """Return the tokens of a text, as jieba.Tokenizer.cut would give them."""
        tokens = self._engine_cut(text, HMM)
        if not HMM:
            return tokens
        splits, out = self._splits, []
        for token in tokens:
            pieces = splits.get(token, False)
            if pieces is False:
                pieces = splits[token] = self._split(token)
            if pieces is None:
                out.append(token)
            else:
                out.extend(pieces)
        return out

    lcut = cut


@lru_cache(maxsize=8)
def _tokenizer_for(engine: str, dictionaries: tuple[tuple[str, str], ...]) -> Any:
    """Return an initialised private tokenizer with the word lists added (cached per content)."""
    if engine == "rjieba":
        tokenizer: Any = RJiebaTokenizer()
    else:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
    for path, _digest in dictionaries:
        for word, freq, tag in read_userdict(path):
            tokenizer.add_word(word, USERDICT_DEFAULT_FREQ if freq is None else freq, tag)
    return tokenizer




# Per filter setting, the decision already taken for each distinct token: a dict lookup is
# several times cheaper than the regular expression (see benchmarks/tokens.py). With rjieba the
# decision also carries jieba's split of the token: True (keep), False (drop) or the kept pieces.
_DECISIONS: dict[tuple[Any, ...], dict[str, Any]] = {}


def _keeps(token: str, dropped: frozenset[str], keep_stopwords: bool) -> bool:
    """Return True if the token passes the filters for these settings."""
    if token.isspace() or token in dropped:
        return False
    return keep_stopwords or not _NON_CONTENT.fullmatch(token)


def _decide(tokenizer: Any, token: str, dropped: frozenset[str], keep_stopwords: bool) -> Any:
    """Return True (keep the token), False (drop it) or the tuple of jieba pieces of it to keep."""
    pieces = tokenizer.pieces(token) if isinstance(tokenizer, RJiebaTokenizer) else None
    if pieces is None:
        return _keeps(token, dropped, keep_stopwords)
    return tuple(piece for piece in pieces if _keeps(piece, dropped, keep_stopwords)) or False


def _segment(tokenizer: Any, text: str, dropped: frozenset[str], keep_stopwords: bool) -> list[str]:
    """Return the segmenter's tokens for one text with the requested filters applied."""
    if isinstance(tokenizer, RJiebaTokenizer):
        key: tuple[Any, ...] = (tokenizer.version, dropped, keep_stopwords)
        tokens = tokenizer.raw_cut(text)
    else:
        key, tokens = (dropped, keep_stopwords), tokenizer.cut(text)
    decisions = _DECISIONS.get(key)
    if decisions is None:
        decisions = _DECISIONS[key] = {}
    kept: list[str] = []
    append = kept.append
    for token in tokens:
        keep = decisions.get(token)
        if keep is None:
            keep = decisions[token] = _decide(tokenizer, token, dropped, keep_stopwords)
        if keep is True:
            append(token)
        elif keep:
            kept.extend(keep)
    return kept

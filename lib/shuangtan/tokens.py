"""Chinese word segmentation for the corpus: jieba plus the project's word lists.

``tokenize(text)`` returns the content tokens of one text, in order. It segments with rjieba
(jieba's algorithm in Rust, about 25x faster) loaded with jieba's default dictionary plus the
domain user dictionary ``data/userdict.txt`` (so that 碳中和, 减污降碳, 先立后破, 1+N … come out
whole) and, when present, the terms a researcher accepted in ``<outputs>/user_terms.txt`` (same
format). jieba itself is the reference: ``engine="jieba"`` (or ``$SHUANGTAN_SEGMENTER=jieba``) gives
the same tokens, which the tests check on the seeds and fixtures, HMM included. It drops, by default:

* whitespace (always), punctuation and tokens made only of digits/symbols (2030, 5%),
* general Chinese function words from ``data/stopwords.txt``,
* and, only when ``drop_political=True``, the political boilerplate of
  ``data/stopwords_political.txt`` (习近平, 总书记, 深入, 贯彻 …).

``keep_stopwords=True`` keeps punctuation, numbers and stopwords (useful for collocations or
keyword-in-context work); whitespace is still dropped.

``tokenize_corpus(texts)`` does the same for many texts, reusing an on-disk JSON cache under
``shuangtan.paths.cache_dir()`` and, for large inputs, several processes. The word lists are
described in ``data/WORDLISTS.md``. jieba's loading messages are silenced on import.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    # Older jieba imports pkg_resources, which newer setuptools flags as deprecated.
    warnings.simplefilter("ignore")
    import jieba

from .paths import DATA_DIR, cache_dir, outputs_dir

jieba.setLogLevel(logging.WARNING)

try:
    import rjieba
except ImportError:  # the reference engine still works
    rjieba = None

USERDICT_PATH = DATA_DIR / "userdict.txt"
# Terms a researcher accepted (term discovery writes them here); same format as userdict.txt.
USER_TERMS_NAME = "user_terms.txt"
# Segmentation engines: rjieba (default, fast) and jieba (the reference; identical tokens).
ENGINES = ("rjieba", "jieba")
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"
POLITICAL_STOPWORDS_PATH = DATA_DIR / "stopwords_political.txt"

# Frequency given to user-dictionary entries that state none. jieba's own suggestion (often 1)
# is too weak in context: 碳市场潜力 came out as 碳|市场潜力.
USERDICT_DEFAULT_FREQ = 1000
# Bump when the cached token format or the filtering rules change.
CACHE_FORMAT = 1
# Uncached work (in characters) from which tokenize_corpus uses every core, per engine. jieba: about
# 2 s of work, well above the cost of a pool (2 processes: 1.95x). rjieba segments ~20x faster, so
# sending texts and token lists between processes costs as much as the work itself (measured with
# benchmarks/tokens.py: 2 processes slower than 1 at 1 M characters): it stays in one process
# unless the work is very large.
PARALLEL_MIN_CHARS = 1_000_000
PARALLEL_MIN_CHARS_RJIEBA = 40_000_000
PROGRESS_MIN_CHARS = 2_000_000

# A token with no letter or CJK character (punctuation, 2030, 5%, ——) carries no content.
_NON_CONTENT = re.compile(r"[\W\d_]+")


# ---------------------------------------------------------------- word lists


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


def _dictionaries() -> tuple[tuple[str, str], ...]:
    """Return (path, digest) of the word lists added to the default dictionary, in loading order."""
    specs = [(str(USERDICT_PATH), quick_digest(USERDICT_PATH))]
    extra = user_terms_path()
    if extra.is_file():
        specs.append((str(extra), quick_digest(extra)))
    return tuple(specs)


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


def get_tokenizer(engine: str | None = None) -> Any:
    """Return the project's tokenizer (default dictionary + data/userdict.txt + user_terms.txt).

    engine: 'rjieba' (default when installed) or 'jieba' (the reference); both have cut/lcut.
    """
    return _tokenizer_for(engine or default_engine(), _dictionaries())


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


def is_content_token(token: str, *, drop_political: bool = False) -> bool:
    """Return True if the token survives the default filters (not punctuation, number or stopword)."""
    if not token or token.isspace() or _NON_CONTENT.fullmatch(token):
        return False
    now = time.monotonic()
    entry = _HOT_DROP.get(drop_political)
    if entry is None or now - entry[0] > 1.0:
        entry = _HOT_DROP[drop_political] = (now, _drop_set(False, drop_political))
    return token not in entry[1]


# ---------------------------------------------------------------- one text


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


def tokenize(text: str, *, keep_stopwords: bool = False, drop_political: bool = False,
             engine: str | None = None) -> list[str]:
    """Return the tokens of one text in order (content tokens only unless keep_stopwords=True)."""
    if not text:
        return []
    return _segment(get_tokenizer(engine), text, _drop_set(keep_stopwords, drop_political), keep_stopwords)


# ---------------------------------------------------------------- many texts, cached


def settings_key(*, keep_stopwords: bool = False, drop_political: bool = False, engine: str | None = None) -> str:
    """Return a hash of everything besides the text that shapes the tokens (word lists, engine, flags)."""
    engine = engine or default_engine()
    parts = {
        "format": CACHE_FORMAT,
        "jieba": jieba.__version__,
        "engine": engine_version(engine),
        "default_freq": USERDICT_DEFAULT_FREQ,
        "dictionaries": [digest for _path, digest in _dictionaries()],
        "stopwords": file_digest(STOPWORDS_PATH),
        "political": file_digest(POLITICAL_STOPWORDS_PATH),
        "keep_stopwords": keep_stopwords,
        "drop_political": drop_political,
    }
    return hashlib.blake2b(json.dumps(parts, sort_keys=True).encode(), digest_size=8).hexdigest()


def text_key(text: str) -> str:
    """Return the hex hash identifying a text in the cache."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _cache_file(folder: Path, key: str) -> Path:
    """Return the cache path of a text key (two-character subfolders keep folders small)."""
    return folder / key[:2] / f"{key}.json"


def _read_cached(path: Path) -> list[str] | None:
    """Return the cached tokens stored at path, or None when absent or unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            tokens = json.load(handle)
    except (OSError, ValueError):
        return None
    return tokens if isinstance(tokens, list) else None


def _write_cached(path: Path, tokens: list[str]) -> None:
    """Write tokens as JSON atomically (a reader never sees a half-written file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        # dumps (C encoder) then one write: json.dump streams through the slow Python encoder.
        handle.write(json.dumps(tokens, ensure_ascii=False, separators=(",", ":")))
    os.replace(tmp, path)


# State of a worker process: set once by _init_worker.
_WORKER: dict[str, object] = {}


def _init_worker(engine: str, dictionaries: tuple[tuple[str, str], ...], dropped: frozenset[str],
                 keep_stopwords: bool) -> None:
    """Load the segmenter with the word lists once per worker process."""
    _WORKER.update(
        tokenizer=_tokenizer_for(engine, dictionaries), dropped=dropped, keep_stopwords=keep_stopwords
    )


def _segment_chunk(texts: list[str]) -> list[list[str]]:
    """Return the tokens of a chunk of texts inside a worker process."""
    tokenizer, dropped, keep = _WORKER["tokenizer"], _WORKER["dropped"], _WORKER["keep_stopwords"]
    return [_segment(tokenizer, text, dropped, keep) for text in texts]  # type: ignore[arg-type]


def _chunks(texts: list[str], n_chunks: int) -> list[list[str]]:
    """Return consecutive chunks of texts with roughly equal character counts (order kept)."""
    total = sum(map(len, texts)) or 1
    target = total / max(n_chunks, 1)
    chunks: list[list[str]] = [[]]
    size = 0
    for text in texts:
        if chunks[-1] and size >= target:
            chunks.append([])
            size = 0
        chunks[-1].append(text)
        size += len(text)
    return chunks


def _in_kernel() -> bool:
    """Return True inside a Jupyter (IPython) kernel."""
    shell = sys.modules.get("IPython")
    get = getattr(shell, "get_ipython", None)
    return bool(get and get() is not None and "IPKernelApp" in getattr(get(), "config", {}))


def interactive() -> bool:
    """Return True when someone watches: a terminal, or a notebook kernel outside a site build."""
    if os.environ.get("SHUANGTAN_SITE_FILES"):  # the site renderer is executing the notebook
        return False
    return _in_kernel() or sys.stderr.isatty()


def _progress_bar(total: int, show: bool) -> Any:
    """Return a tqdm bar counting characters, never written to stderr unless that is a terminal.

    In a kernel: tqdm.auto's widget when ipywidgets is installed, else a text bar on stdout; in a
    terminal: a text bar on stderr; anywhere else (scripts, nbconvert, CI) a requested bar goes to stdout.
    """
    if show and _in_kernel():
        try:
            import ipywidgets  # noqa: F401  (tqdm.auto's widget needs it; without, it would warn on stderr)

            from tqdm.auto import tqdm as auto_bar

            return auto_bar(total=total, unit="char", unit_scale=True, desc="tokenizing")
        except ImportError:
            pass
    from tqdm import tqdm

    stream = sys.stderr if sys.stderr.isatty() and not _in_kernel() else sys.stdout
    return tqdm(total=total, unit="char", unit_scale=True, desc="tokenizing", disable=not show, file=stream)


def _segment_many(
    texts: list[str], *, processes: int, dropped: frozenset[str], keep_stopwords: bool, show_progress: bool,
    engine: str,
) -> Iterable[tuple[list[str], list[list[str]]]]:
    """Yield (chunk texts, chunk tokens) for all texts, in order, using one or several processes."""
    if not texts:
        return
    dictionaries = _dictionaries()
    tokenizer = _tokenizer_for(engine, dictionaries)  # load once here; forked workers inherit it
    with _progress_bar(sum(map(len, texts)), show_progress) as bar:
        if processes <= 1 or len(texts) < 2:
            for chunk in _chunks(texts, max(1, len(texts) // 64)):
                yield chunk, [_segment(tokenizer, text, dropped, keep_stopwords) for text in chunk]
                bar.update(sum(map(len, chunk)))
            return
        chunks = _chunks(texts, processes * 8)
        args = (engine, dictionaries, dropped, keep_stopwords)
        with multiprocessing.Pool(processes, initializer=_init_worker, initargs=args) as pool:
            for chunk, tokens in zip(chunks, pool.imap(_segment_chunk, chunks)):
                yield chunk, tokens
                bar.update(sum(map(len, chunk)))


def tokenize_corpus(
    texts: Sequence[str],
    *,
    processes: int | None = None,
    cache: bool = True,
    progress: bool | None = None,
    keep_stopwords: bool = False,
    drop_political: bool = False,
    engine: str | None = None,
) -> list[list[str]]:
    """Return the tokens of every text (same order), using the on-disk cache and several processes.

    processes=None uses every core when the uncached work exceeds PARALLEL_MIN_CHARS, else one;
    progress=None shows a bar only when the uncached work exceeds PROGRESS_MIN_CHARS and someone
    watches (a terminal or a notebook kernel; never during a site build). engine: see get_tokenizer.
    """
    engine = engine or default_engine()
    texts = [text or "" for text in texts]
    keys = [text_key(text) for text in texts]
    folder = cache_dir() / "tokens" / settings_key(keep_stopwords=keep_stopwords, drop_political=drop_political,
                                                   engine=engine)
    found: dict[str, list[str]] = {}
    if cache:
        for key in dict.fromkeys(keys):
            tokens = _read_cached(_cache_file(folder, key))
            if tokens is not None:
                found[key] = tokens
    todo = {key: text for key, text in zip(keys, texts) if key not in found}
    work = sum(map(len, todo.values()))
    if processes is None:
        threshold = PARALLEL_MIN_CHARS_RJIEBA if engine == "rjieba" else PARALLEL_MIN_CHARS
        processes = (os.cpu_count() or 1) if work >= threshold else 1
    show = (work >= PROGRESS_MIN_CHARS and interactive()) if progress is None else progress
    todo_keys, todo_texts = list(todo), list(todo.values())
    done = 0
    for chunk, chunk_tokens in _segment_many(
        todo_texts,
        processes=processes,
        dropped=_drop_set(keep_stopwords, drop_political),
        keep_stopwords=keep_stopwords,
        show_progress=show,
        engine=engine,
    ):
        for key, tokens in zip(todo_keys[done : done + len(chunk)], chunk_tokens):
            found[key] = tokens
            if cache:
                _write_cached(_cache_file(folder, key), tokens)
        done += len(chunk)
    # A text given twice gets its own copy of the list, so callers may mutate results freely.
    result: list[list[str]] = []
    handed_out: set[str] = set()
    for key in keys:
        result.append(list(found[key]) if key in handed_out else found[key])
        handed_out.add(key)
    return result

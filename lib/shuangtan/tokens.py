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

The word lists live in :mod:`shuangtan.wordlists`, the engines (jieba, rjieba) and the filtering of
one text in :mod:`shuangtan.segmenter`; their names are re-exported here. This module holds which
dictionaries are in effect, the public functions, and the cache, process pool and progress bar
of ``tokenize_corpus``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .paths import cache_dir
# Engines and word lists live in their own modules; their names are re-exported here.
from .segmenter import (ENGINES, USERDICT_DEFAULT_FREQ, RJiebaTokenizer, _decide, _keeps,  # noqa: F401
                        _segment, _tokenizer_for, default_engine, engine_version, jieba, rjieba)
from .wordlists import (_NON_CONTENT, POLITICAL_STOPWORDS_PATH, STOPWORDS_PATH, USER_TERMS_NAME,  # noqa: F401
                        USERDICT_PATH, _drop_set, content_tokens, content_vocabulary, file_digest, is_content_token,
                        quick_digest, read_userdict, read_wordlist, stopwords, user_terms_path)

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


def _dictionaries() -> tuple[tuple[str, str], ...]:
    """Return (path, digest) of the word lists added to the default dictionary, in loading order."""
    specs = [(str(USERDICT_PATH), quick_digest(USERDICT_PATH))]
    extra = user_terms_path()
    if extra.is_file():
        specs.append((str(extra), quick_digest(extra)))
    return tuple(specs)


def get_tokenizer(engine: str | None = None) -> Any:
    """Return the project's tokenizer (default dictionary + data/userdict.txt + user_terms.txt).

    engine: 'rjieba' (default when installed) or 'jieba' (the reference); both have cut/lcut.
    """
    return _tokenizer_for(engine or default_engine(), _dictionaries())


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

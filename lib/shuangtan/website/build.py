"""Build the whole site for one corpus: every publishable notebook, its files, and the landing page.

Pages are written to a staging folder beside ``outputs/html`` and swapped in at the end, so the
site never mixes pages of two corpora and a failed run never leaves half a site. Every page is
stamped with its corpus. Executing a notebook is the slow part: its result (the executed notebook
and the CSV/PNG/SVG files it wrote) is cached under ``outputs/cache/site/`` keyed by the notebook's
bytes, the library's files and the corpus folder's listing (names, sizes, modification times), so
a rebuild executes only what changed. A notebook that fails gets an error page and is marked on the
landing page; the other pages are still published.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..paths import PACKAGE_DIR, outputs_dir, seeds_dir
from .execute import RenderError, execute_notebook, output_problems, read_notebook
from .index import IndexEntry, corpus_label, write_index
from .outline import summarize
from .page import Link, key_figure, write_page, write_text_atomically

# A page is a notebook named NN-words.ipynb; JupyterLab's "-Copy1" duplicates and "Untitled" are not.
PAGE_NAME = re.compile(r"\d\d-[^\W_]+(?:[-_][^\W_]+)*", re.UNICODE)
STRAY_NAME = re.compile(r"(?i)(?:^|[-_ ])(?:copy\d*|untitled\d*)$|checkpoint")
FILE_KINDS = ("tables", "figures")


class EmptyCorpusError(RenderError):
    """The corpus folder exists but holds no document."""


@dataclass
class PageResult:
    """What happened to one notebook in a build."""

    stem: str
    title: str
    error: str | None = None
    figure: str | None = None
    figure_alt: str = ""
    seconds: float = 0.0
    reused: bool = False
    executed: Path | None = None  # the executed notebook (in the cache), when it ran

    @property
    def ok(self) -> bool:
        return self.error is None


def publishable(notebooks: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Return the notebooks that become pages (NN-name.ipynb, no "-Copy1" or "Untitled"), sorted by file name."""
    chosen = [Path(p) for p in notebooks]
    chosen = [p for p in chosen if p.suffix == ".ipynb" and PAGE_NAME.fullmatch(p.stem) and not STRAY_NAME.search(p.stem)]
    return sorted(chosen, key=lambda p: p.name)


def check_corpus(seeds: str | os.PathLike[str] | None = None) -> Path:
    """Return the corpus folder; raise RenderError naming it when it is missing, not a folder or holds no document."""
    from ..files import list_corpus_files
    from ..paths import CorpusNotFoundError

    try:
        folder = seeds_dir(seeds, must_exist=True)
    except CorpusNotFoundError as error:
        raise RenderError(str(error)) from None
    if not list_corpus_files(folder):
        raise EmptyCorpusError(f"corpus folder {folder} holds no documents: nothing to publish "
                               "(put .txt, .md or .html files in it, or pass another folder)")
    return folder


def _digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def folder_fingerprint(folder: Path) -> str:
    """Return a digest of a folder's listing: relative names, sizes, modification times, symlink targets (recursive)."""
    rows: list[str] = []

    def walk(current: Path, prefix: str) -> None:
        with os.scandir(current) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                name = prefix + entry.name
                if entry.is_symlink():
                    rows.append(f"L {name} -> {os.readlink(entry.path)}")
                elif entry.is_dir(follow_symlinks=False):
                    rows.append(f"D {name}")
                    walk(Path(entry.path), name + "/")
                else:
                    stat = entry.stat(follow_symlinks=False)
                    rows.append(f"F {name} {stat.st_size} {stat.st_mtime_ns}")

    walk(folder, "")
    return _digest(str(folder), *rows)


def library_files() -> list[Path]:
    """Return the library files a notebook can use (code, word lists, tables): all but the site code and its templates."""
    return sorted(
        p for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and "website" not in p.relative_to(PACKAGE_DIR).parts
        and not p.name.startswith("report_") and p.name != "report.py"
    )


def library_fingerprint() -> str:
    """Return a digest of the names and bytes of library_files()."""
    return _digest(*(part for p in library_files() for part in (str(p.relative_to(PACKAGE_DIR)), p.read_bytes())))


def _execute_cached(notebook: Path, key: str, cache: Path, folder: Path, outputs: Path) -> tuple[Path, bool]:
    """Return (cache entry holding executed.ipynb and files/, reused?); execute when not cached.

    Raises RenderError when the notebook fails; failures are not cached.
    """
    entry = cache / notebook.stem / key
    if (entry / "executed.ipynb").is_file():
        return entry, True
    work = entry.with_name(f".{key}.{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        executed = execute_notebook(notebook, seeds=folder, outputs=outputs, page_files=work / "files")
        problems = output_problems(executed)
        if problems:
            raise RenderError(f"{notebook}: fix these at the source:\n  " + "\n  ".join(problems))
        nbformat.write(executed, os.fspath(work / "executed.ipynb"))
        for old in entry.parent.iterdir():  # one cached result per notebook
            if old.name != work.name:
                shutil.rmtree(old, ignore_errors=True)
        os.replace(work, entry)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return entry, False


def _copy_files(entry: Path, site: Path) -> None:
    for kind in FILE_KINDS:
        source = entry / "files" / kind
        if source.is_dir():
            shutil.copytree(source, site / kind, dirs_exist_ok=True)


def error_page(title: str, error: str, corpus: str) -> str:
    """Return a small page saying that a notebook failed, with its error (escaped)."""
    e = html.escape
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)} (failed)</title>\n</head>\n<body style=\"font-family:sans-serif;max-width:60em;margin:2em auto\">\n"
        f'<p><a href="index.html">&larr; All notebooks</a> · Corpus: {e(corpus)}</p>\n'
        f"<h1>{e(title)}</h1>\n<p><strong>This notebook failed on this corpus; nothing of it is shown.</strong> The error:</p>\n"
        f'<pre style="white-space:pre-wrap">{e(error)}</pre>\n</body>\n</html>\n'
    )


def short_title(title: str) -> str:
    """Return a title's part before its first colon or question mark (for previous/next links)."""
    short = re.split(r"[:：?？]", title, maxsplit=1)[0].strip()
    return short or title


def swap_in(staging: Path, site: Path) -> None:
    """Replace the folder `site` by `staging` (two renames; the old site is removed afterwards)."""
    old = site.with_name(f".{site.name}.old-{os.getpid()}")
    if site.exists():
        os.replace(site, old)
    os.replace(staging, site)
    shutil.rmtree(old, ignore_errors=True)


def build_site(
    notebooks: Iterable[str | os.PathLike[str]],
    seeds: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    outputs: str | os.PathLike[str] | None = None,
    log: Callable[[str], None] = print,
    jobs: int = 1,
) -> list[PageResult]:
    """Build the site of the publishable `notebooks` on one corpus into `out_dir` (default outputs/html); return one result per page.

    `jobs` notebooks execute at the same time (each in its own kernel).

    Raises RenderError before anything is executed when the corpus folder is missing or empty.
    """
    folder = check_corpus(seeds)
    outputs = outputs_dir(outputs)
    site = Path(out_dir).resolve() if out_dir else outputs / "html"
    pages = publishable(notebooks)
    label = corpus_label(folder)
    base = _digest(library_fingerprint(), folder_fingerprint(folder), sys.version)
    cache = outputs / "cache" / "site"
    entries: dict[str, Path] = {}

    def execute(notebook: Path) -> PageResult:
        started = time.perf_counter()
        result = PageResult(stem=notebook.stem, title=summarize(read_notebook(notebook), notebook.stem).title)
        try:
            entries[notebook.stem], result.reused = _execute_cached(
                notebook, _digest(base, notebook.read_bytes()), cache, folder, outputs)
            result.executed = entries[notebook.stem] / "executed.ipynb"
        except RenderError as error:
            result.error = str(error)
        except Exception as error:  # noqa: BLE001 - one notebook never stops the others
            result.error = f"{notebook}: {type(error).__name__}: {error}"
        result.seconds = time.perf_counter() - started
        log(f"{'reused  ' if result.reused else 'executed'} {notebook.name} ({result.seconds:.1f} s)"
            + ("" if result.ok else " FAILED"))
        return result

    # Each notebook runs in its own kernel process; caches are written atomically, so kernels may share them.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(execute, pages))

    site.parent.mkdir(parents=True, exist_ok=True)
    staging = site.with_name(f".{site.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        links = [Link(f"{r.stem}.html", short_title(r.title)) for r in results]
        for position, (notebook, result) in enumerate(zip(pages, results)):
            neighbours = {"previous": links[position - 1] if position else None,
                          "next": links[position + 1] if position + 1 < len(links) else None}
            if result.ok:
                entry = entries[result.stem]
                executed = read_notebook(entry / "executed.ipynb")
                try:
                    write_page(executed, notebook, staging / f"{result.stem}.html", corpus=label, **neighbours)
                    _copy_files(entry, staging)
                    figure = key_figure(executed)
                    if figure and (staging / "figures" / f"{figure[0]}.png").is_file():
                        result.figure, result.figure_alt = f"figures/{figure[0]}.png", figure[1]
                except RenderError as error:
                    result.error = str(error)
            if not result.ok:
                write_text_atomically(staging / f"{result.stem}.html", error_page(result.title, result.error, label))
        index_entries = [IndexEntry(summarize(read_notebook(nb), r.stem), r.figure, r.figure_alt, r.error)
                         for nb, r in zip(pages, results)]
        write_index(staging, entries=index_entries, corpus=label)
        swap_in(staging, site)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return results

"""The landing page: each notebook's title, overview and key figure, and any page that failed with its error."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


from ..paths import DATA_DIR, seeds_dir
from .outline import NotebookSummary, notebook_summary  # noqa: F401 (NotebookSummary is re-exported)
from .page import write_text_atomically

INDEX_TEMPLATE = DATA_DIR / "report_index.html.j2"


@dataclass(frozen=True)
class IndexEntry:
    """One notebook on the landing page: its summary, key figure (path in the site, alt text) and error, if any."""

    summary: NotebookSummary
    figure: str | None = None
    figure_alt: str = ""
    error: str | None = None

    @property
    def stem(self) -> str:
        return self.summary.stem


def corpus_label(seeds: str | os.PathLike[str] | None = None) -> str:
    """Return a short description of the corpus folder: its name and how many corpus files it holds."""
    from ..files import list_corpus_files

    folder = seeds_dir(seeds)
    count = len(list_corpus_files(folder)) if folder.is_dir() else 0
    return f"{folder.name}/ ({count} documents)"


def index_html(entries: Sequence[IndexEntry | NotebookSummary], corpus: str) -> str:
    """Return the landing page listing the notebooks; every text is HTML-escaped by the template."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(INDEX_TEMPLATE.parent)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    entries = [entry if isinstance(entry, IndexEntry) else IndexEntry(entry) for entry in entries]
    template = environment.get_template(INDEX_TEMPLATE.name)
    return template.render(entries=entries, corpus=corpus, failed=sum(1 for e in entries if e.error))


def write_index(
    out_dir: str | os.PathLike[str],
    notebooks: Iterable[str | os.PathLike[str]] = (),
    seeds: str | os.PathLike[str] | None = None,
    entries: Sequence[IndexEntry] | None = None,
    corpus: str | None = None,
) -> Path:
    """Write out_dir/index.html for the given entries (or notebooks, sorted by file name); return its path."""
    from .page import embed_font

    if entries is None:
        entries = [IndexEntry(notebook_summary(p)) for p in sorted(notebooks, key=lambda p: Path(p).name)]
    page = embed_font(index_html(entries, corpus or corpus_label(seeds)))
    return write_text_atomically(Path(out_dir) / "index.html", page)

"""A notebook's title and overview paragraph, read from its markdown (shown on pages and the index)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from .execute import read_notebook


@dataclass(frozen=True)
class NotebookSummary:
    """Title and overview paragraph of one notebook, as shown on the landing page."""

    stem: str
    title: str
    overview: str


def markdown_to_plain(text: str) -> str:
    """Return markdown inline text as plain text (links keep their label; emphasis and code marks go)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return " ".join(text.split())


def summarize(notebook: NotebookNode, stem: str) -> NotebookSummary:
    """Return the notebook's H1 (its first level-1 markdown heading) and the first paragraph after it."""
    markdown = "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    blocks = [block.strip() for block in re.split(r"\n\s*\n", markdown) if block.strip()]
    for position, block in enumerate(blocks):
        first_line, _, rest = block.partition("\n")
        if first_line.startswith("# "):
            following = [rest.strip()] if rest.strip() else []
            following += [b for b in blocks[position + 1 :] if not b.startswith("#")][:1]
            overview = markdown_to_plain(following[0]) if following else ""
            return NotebookSummary(stem=stem, title=markdown_to_plain(first_line[2:]), overview=overview)
    return NotebookSummary(stem=stem, title=stem, overview="")


def notebook_summary(path: str | os.PathLike[str]) -> NotebookSummary:
    """Return the title and overview of the notebook file at `path`."""
    return summarize(read_notebook(path), Path(path).stem)

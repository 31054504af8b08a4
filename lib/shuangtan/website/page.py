"""Turn an executed notebook into one offline HTML page.

The page has the JupyterLab look, every code cell folded behind a "Code" toggle (``<details>``, no
script), a table of contents after the title, links to the previous and next notebook, the corpus
it was computed from, images embedded, a subset of the CJK font embedded, and no ``<script src>``
pointing at a CDN.
"""

from __future__ import annotations

import copy
import html
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from ..paths import DATA_DIR
from .execute import RenderError, drop_progress_output, execute_notebook, output_problems

PAGE_TEMPLATE = DATA_DIR / "report_page.html.j2"
TOC_MARK = "<!-- shuangtan-toc -->"
HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
STYLER_TABLE_ID = re.compile(r'<table id="T_([0-9a-f]{5})[_"]')
EXTERNAL_RESOURCE = re.compile(
    r"<(?:script|link|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
)


@dataclass(frozen=True)
class Link:
    """A link to another page of the site: its href and its title."""

    href: str
    title: str


def key_figure(notebook: NotebookNode) -> tuple[str, str] | None:
    """Return (file stem, alt text) of the first figure shown with show_figure, or None."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            shown = output.get("metadata", {}).get("shuangtan", {})
            if "figure" in shown:
                return shown["figure"], shown.get("alt", "")
    return None


def stable_styler_ids(notebook: NotebookNode) -> NotebookNode:
    """Replace the random ids of pandas Styler tables (T_1a2b3) by ids numbered in page order; return the notebook.

    show_table fixes its ids already; this covers a Styler shown directly, so that pages stay byte-identical.
    """
    number = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html")
            if not isinstance(text, str):
                continue
            for uuid in dict.fromkeys(STYLER_TABLE_ID.findall(text)):
                number += 1
                text = re.sub(rf"\bT_{uuid}(?=[_\"\s,.#:{{])", f"T_p{number:04d}", text)
            output["data"]["text/html"] = text
    return notebook


def table_of_contents(page: str) -> str:
    """Return a <nav> listing the page's level-2 headings with their level-3 headings nested ("" if none)."""
    items: list[tuple[str, str, list[tuple[str, str]]]] = []
    for level, anchor, inner in HEADING.findall(page):
        text = html.escape(html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="anchor-link".*?</a>', "", inner))).strip())
        if level == "2":
            items.append((anchor, text, []))
        elif items:
            items[-1][2].append((anchor, text))
    if not items:
        return ""
    lines = ['<nav class="shuangtan-toc" aria-label="Contents"><h2>Contents</h2><ol>']
    for anchor, text, children in items:
        nested = "".join(f'<li><a href="#{a}">{t}</a></li>' for a, t in children)
        lines.append(f'<li><a href="#{anchor}">{text}</a>' + (f"<ol>{nested}</ol>" if nested else "") + "</li>")
    lines.append("</ol></nav>")
    return "".join(lines)


def notebook_to_html(
    notebook: NotebookNode,
    source_dir: str | os.PathLike[str],
    title: str,
    previous: Link | None = None,
    next: Link | None = None,  # noqa: A002 - the word the page shows
    corpus: str | None = None,
) -> str:
    """Return standalone HTML for an executed notebook: lab look, code folded, contents, neighbours, no CDN."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        template_file=PAGE_TEMPLATE.name,
        extra_template_paths=[str(PAGE_TEMPLATE.parent)],
        embed_images=True,
        exclude_anchor_links=False,  # headings keep their ids (the contents link to them); the ¶ links are hidden
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="en",
    )
    resources = {
        "metadata": {"path": os.fspath(source_dir), "name": title},
        "shuangtan": {"previous": previous, "next": next, "corpus": corpus},
    }
    notebook = stable_styler_ids(drop_progress_output(copy.deepcopy(notebook)))
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    toc = table_of_contents(body)
    if TOC_MARK in body:
        body = body.replace(TOC_MARK, toc, 1).replace(TOC_MARK, "")
    return body


def external_resources(page: str) -> list[str]:
    """Return the <script>, <link> or <iframe> tags of an HTML page that load from the network."""
    return [match.group(0) for match in EXTERNAL_RESOURCE.finditer(page)]


def embed_font(page: str) -> str:
    """Return the page with the project's CJK font embedded (subset to the page's characters)."""
    from ..webfont import embed_font as embed

    return embed(page)


def write_text_atomically(path: str | os.PathLike[str], text: str) -> Path:
    """Write `text` to `path` through a temporary file so a failed run never leaves half a page; return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", delete=False
    ) as handle:
        handle.write(text)
    current_umask = os.umask(0)
    os.umask(current_umask)
    os.chmod(handle.name, 0o666 & ~current_umask)
    os.replace(handle.name, target)
    return target


def write_page(
    notebook: NotebookNode,
    notebook_path: str | os.PathLike[str],
    out_html: str | os.PathLike[str],
    previous: Link | None = None,
    next: Link | None = None,  # noqa: A002
    corpus: str | None = None,
) -> Path:
    """Write the offline HTML page of an executed notebook; return its path.

    Raises RenderError, writing nothing, when the notebook shows a warning or an error, or when
    the page would load anything from the network.
    """
    from .outline import summarize

    problems = output_problems(notebook)
    if problems:
        raise RenderError(f"{notebook_path}: fix these at the source:\n  " + "\n  ".join(problems))
    source = Path(notebook_path).resolve()
    title = summarize(notebook, source.stem).title
    page = notebook_to_html(notebook, source.parent, title, previous=previous, next=next, corpus=corpus)
    remote = external_resources(page)
    if remote:
        raise RenderError(f"{notebook_path}: the page would load from the network: {remote}")
    return write_text_atomically(out_html, embed_font(page))


def render(
    notebook_path: str | os.PathLike[str],
    out_html: str | os.PathLike[str],
    seeds: str | os.PathLike[str] | None = None,
    outputs: str | os.PathLike[str] | None = None,
) -> NotebookNode:
    """Execute one notebook, check it is clean, write its page (tables and figures beside it); return the executed notebook.

    `seeds` and `outputs` override the corpus and generated-files folders for this run only. The
    whole site (index, neighbours, one corpus for every page) is ``build.build_site``.
    """
    out_html = Path(out_html)
    notebook = execute_notebook(notebook_path, seeds=seeds, outputs=outputs, page_files=out_html.parent)
    write_page(notebook, notebook_path, out_html)
    return notebook

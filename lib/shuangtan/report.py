"""Former home of the site code, kept so that ``python -m shuangtan.report …`` and old imports still work.

The code lives in the ``shuangtan.website`` package; the command line is ``shuangtan report …``.
"""

from __future__ import annotations

import sys

from .website.build import build_site, publishable
from .website.commands import main
from .website.execute import RenderError, execute_notebook, output_problems, read_notebook
from .website.index import NotebookSummary, corpus_label, notebook_summary, write_index
from .website.outline import summarize
from .website.page import external_resources, notebook_to_html, render, write_page
from .website.screenshot import screenshot
from .website.strip import strip_file, strip_notebook, stripping_problems

__all__ = [
    "NotebookSummary", "RenderError", "build_site", "corpus_label", "execute_notebook", "external_resources",
    "main", "notebook_summary", "notebook_to_html", "output_problems", "publishable", "read_notebook", "render",
    "screenshot", "strip_file", "strip_notebook", "stripping_problems", "summarize", "write_index", "write_page",
]

if __name__ == "__main__":
    sys.exit(main(prog="python -m shuangtan.report"))

"""Notebook hygiene: committed notebooks carry no outputs, no run metadata, and name the project's kernel."""

from __future__ import annotations

import copy
import os

import nbformat
from nbformat import NotebookNode

from .execute import read_notebook

# Cell metadata that records one run or one view (timings, scroll state), removed by `strip`.
RUN_METADATA_KEYS = ("execution", "ExecuteTime", "collapsed", "scrolled")
# The kernel `make install` registers (python -m ipykernel install --user --name shuangtan).
KERNELSPEC = {"name": "shuangtan", "display_name": "Python 3 (shuangtan)", "language": "python"}


def strip_notebook(notebook: NotebookNode, kernelspec: dict | None = None) -> NotebookNode:
    """Return a copy without outputs, execution counts, run timings or widget state (and with `kernelspec` if given)."""
    stripped = copy.deepcopy(notebook)
    for cell in stripped.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in RUN_METADATA_KEYS:
            cell.metadata.pop(key, None)
    stripped.metadata.pop("widgets", None)
    if kernelspec is not None:
        stripped.metadata["kernelspec"] = dict(kernelspec)
    return stripped


def stripping_problems(notebook: NotebookNode) -> list[str]:
    """Return one message per cell that still carries outputs, an execution count or run metadata."""
    problems = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.get("outputs"):
            problems.append(f"cell {number} has outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {number} has an execution count")
        leftover = [key for key in RUN_METADATA_KEYS if key in cell.metadata]
        if leftover:
            problems.append(f"cell {number} has run metadata {leftover}")
    if "widgets" in notebook.metadata:
        problems.append("notebook metadata has widget state")
    return problems


def kernelspec_problems(notebook: NotebookNode) -> list[str]:
    """Return a message when the notebook does not name the project's kernel (empty when it does)."""
    found = notebook.metadata.get("kernelspec", {})
    if found.get("name") != KERNELSPEC["name"]:
        return [f"kernelspec is {found.get('name')!r}, not {KERNELSPEC['name']!r} (run `make strip`)"]
    return []


def strip_file(path: str | os.PathLike[str], set_kernel: bool = True) -> bool:
    """Strip a notebook file in place (and name the project's kernel); untouched when already clean; return True if rewritten."""
    notebook = read_notebook(path)
    if not stripping_problems(notebook) and not (set_kernel and kernelspec_problems(notebook)):
        return False
    nbformat.write(strip_notebook(notebook, KERNELSPEC if set_kernel else None), os.fspath(path))
    return True

"""Execute a notebook headless and check that it ran cleanly.

The kernel runs the current interpreter (whatever kernel the notebook names) in an empty
temporary folder, so only library paths work. Warnings and errors fail the page; tqdm progress
bars on stderr do not (they are dropped from the page, and switched off with ``TQDM_DISABLE``).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from ..paths import OUTPUTS_ENV, PAGE_ENV, SEEDS_ENV, SITE_FILES_ENV, seeds_dir

CELL_TIMEOUT_SECONDS = 600
# Kernel environment: silence the debugger's frozen-modules notice; no progress bars in pages.
KERNEL_ENV = {"PYDEVD_DISABLE_FILE_VALIDATION": "1", "TQDM_DISABLE": "1"}
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# One refresh of a tqdm bar: "name: 40%|████      | 2/5 [00:01<00:02, 1.2it/s]" or "12it [00:00, 3.4it/s]".
PROGRESS_PIECE = re.compile(r"\d+%\|[^|\n]*\|\s*\S+/\S+|\d+(?:\.\d+)?[kMGT]?\w* \[\d+:\d\d(?::\d\d)?[,<\]]")


class RenderError(RuntimeError):
    """A notebook raised, wrote a warning or error to stderr, or produced HTML that needs the network."""


def read_notebook(path: str | os.PathLike[str]) -> NotebookNode:
    """Return the notebook at `path` (nbformat 4)."""
    return nbformat.read(os.fspath(path), as_version=4)


def kernel_environment(
    seeds: str | os.PathLike[str] | None = None,
    outputs: str | os.PathLike[str] | None = None,
    page: str | None = None,
    page_files: str | os.PathLike[str] | None = None,
) -> dict[str, str]:
    """Return the kernel's environment: ours, quiet, with the corpus, outputs, page stem and page-files folder when given."""
    env = dict(os.environ, **KERNEL_ENV)
    for name in (PAGE_ENV, SITE_FILES_ENV):
        env.pop(name, None)
    if seeds is not None:
        env[SEEDS_ENV] = str(seeds_dir(seeds))
    if outputs is not None:
        env[OUTPUTS_ENV] = str(Path(outputs).expanduser().resolve())
    if page is not None:
        env[PAGE_ENV] = page
    if page_files is not None:
        env[SITE_FILES_ENV] = str(Path(page_files).expanduser().resolve())
    return env


def execute_notebook(
    path: str | os.PathLike[str],
    seeds: str | os.PathLike[str] | None = None,
    outputs: str | os.PathLike[str] | None = None,
    timeout: int = CELL_TIMEOUT_SECONDS,
    page_files: str | os.PathLike[str] | None = None,
) -> NotebookNode:
    """Return the notebook at `path` executed top to bottom by a fresh kernel in an empty temporary folder.

    `page_files` is where show_table/show_figure write the page's CSV, PNG and SVG files.
    Raises RenderError (with the traceback) when a cell raises.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from traitlets.config import Config

    notebook = read_notebook(path)
    with tempfile.TemporaryDirectory(prefix="shuangtan-") as sockets, tempfile.TemporaryDirectory(
        prefix="shuangtan-kernel-"
    ) as workdir:
        config = Config()
        if os.name == "posix":
            # Unix sockets: no open TCP port, and no "running over TCP" warning from ipykernel.
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = os.path.join(sockets, "kernel")
        client = NotebookClient(
            notebook,
            config=config,
            timeout=timeout,
            record_timing=False,
            # "python3" is the interpreter running this code, so the page shows this library.
            kernel_name="python3",
            # Every output has arrived when the last cell replies. A graceful shutdown then waits for the
            # kernel process to exit, which now and then took 3 s more on a 2-core machine.
            shutdown_kernel="immediate",
            resources={"metadata": {"path": workdir}},
        )
        env = kernel_environment(seeds, outputs, page=Path(path).stem, page_files=page_files)
        try:
            client.execute(env=env)
        except CellExecutionError as error:
            message = ANSI_ESCAPE.sub("", str(error))
            raise RenderError(f"{path}: a cell raised an error\n{message}") from None
    return notebook


def is_progress_output(text: str) -> bool:
    """Return True when a stderr text holds only tqdm progress-bar refreshes (or only white space and carriage returns)."""
    pieces = [piece.strip() for piece in re.split(r"[\r\n]+", ANSI_ESCAPE.sub("", text)) if piece.strip()]
    return all(PROGRESS_PIECE.search(piece) for piece in pieces)


def drop_progress_output(notebook: NotebookNode) -> NotebookNode:
    """Remove stderr streams that are only progress bars (they hold timings and would change every run); return the notebook."""
    for cell in notebook.cells:
        if "outputs" in cell:
            cell.outputs = [
                output for output in cell.outputs
                if not (output.output_type == "stream" and output.name == "stderr" and is_progress_output(output.text))
            ]
    return notebook


def output_problems(notebook: NotebookNode) -> list[str]:
    """Return one message per stderr text (progress bars aside) or error output in an executed notebook (empty when clean)."""
    problems = []
    for number, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stderr":
                if not is_progress_output(output.text):
                    problems.append(f"cell {number} wrote to stderr: {output.text.strip()[:500]}")
            elif output.output_type == "error":
                problems.append(f"cell {number} raised {output.ename}: {output.evalue}")
            elif "application/vnd.jupyter.stderr" in output.get("data", {}):
                problems.append(f"cell {number} displayed stderr output")
    return problems

"""Execute the notebooks headless and publish them as a self-contained, offline HTML folder.

Run as a module (the Makefile does)::

    python -m shuangtan.report render notebooks/01-term-frequency.ipynb outputs/html/01-term-frequency.html
    python -m shuangtan.report index outputs/html notebooks/[0-9][0-9]-*.ipynb
    python -m shuangtan.report strip notebooks/*.ipynb          # or --check to only report
    python -m shuangtan.report screenshot outputs/html/index.html outputs/screenshots/index.png

``render`` executes a notebook with nbclient in a fresh kernel whose working directory is an
empty temporary folder (so only library paths work), fails loudly when any cell writes to stderr
or raises, and exports HTML with the JupyterLab look, images embedded and no ``<script src>``
pointing at a CDN. ``index`` writes the landing page from each notebook's H1 and overview.
"""

from __future__ import annotations

import argparse
import copy
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .paths import DATA_DIR, seeds_dir

PAGE_TEMPLATE = DATA_DIR / "report_page.html.j2"
INDEX_TEMPLATE = DATA_DIR / "report_index.html.j2"
CELL_TIMEOUT_SECONDS = 600
# Cell metadata that records one run or one view (timings, scroll state), removed by `strip`.
RUN_METADATA_KEYS = ("execution", "ExecuteTime", "collapsed", "scrolled")
# Kernel environment: silence the debugger's frozen-modules notice printed on kernel start.
KERNEL_ENV = {"PYDEVD_DISABLE_FILE_VALIDATION": "1"}
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
EXTERNAL_RESOURCE = re.compile(
    r"<(?:script|link|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
)


class RenderError(RuntimeError):
    """A notebook raised, wrote to stderr, or produced HTML that needs the network."""


@dataclass(frozen=True)
class NotebookSummary:
    """Title and overview paragraph of one notebook, as shown on the landing page."""

    stem: str
    title: str
    overview: str


# --------------------------------------------------------------------------- execution


def read_notebook(path: str | os.PathLike[str]) -> NotebookNode:
    """Return the notebook at `path` (nbformat 4)."""
    return nbformat.read(os.fspath(path), as_version=4)


def kernel_environment(
    seeds: str | os.PathLike[str] | None = None, outputs: str | os.PathLike[str] | None = None
) -> dict[str, str]:
    """Return the kernel's environment: ours, quiet, with $SHUANGTAN_SEEDS / $SHUANGTAN_OUTPUTS when given."""
    env = dict(os.environ, **KERNEL_ENV)
    if seeds is not None:
        env["SHUANGTAN_SEEDS"] = str(seeds_dir(seeds))
    if outputs is not None:
        env["SHUANGTAN_OUTPUTS"] = str(Path(outputs).expanduser().resolve())
    return env


def execute_notebook(
    path: str | os.PathLike[str],
    seeds: str | os.PathLike[str] | None = None,
    outputs: str | os.PathLike[str] | None = None,
    timeout: int = CELL_TIMEOUT_SECONDS,
) -> NotebookNode:
    """Return the notebook at `path` executed top to bottom by a fresh kernel in an empty temporary folder.

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
            resources={"metadata": {"path": workdir}},
        )
        try:
            client.execute(env=kernel_environment(seeds, outputs))
        except CellExecutionError as error:
            message = ANSI_ESCAPE.sub("", str(error))
            raise RenderError(f"{path}: a cell raised an error\n{message}") from None
    return notebook


def output_problems(notebook: NotebookNode) -> list[str]:
    """Return one message per stderr stream or error output in an executed notebook (empty when clean)."""
    problems = []
    for number, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stderr":
                problems.append(f"cell {number} wrote to stderr: {output.text.strip()[:500]}")
            elif output.output_type == "error":
                problems.append(f"cell {number} raised {output.ename}: {output.evalue}")
            elif "application/vnd.jupyter.stderr" in output.get("data", {}):
                problems.append(f"cell {number} displayed stderr output")
    return problems


# --------------------------------------------------------------------------- HTML export


def embed_font(page: str) -> str:
    """Return the page with the project's CJK font embedded (subset to the page's characters)."""
    from .webfont import embed_font as embed

    return embed(page)


def notebook_to_html(notebook: NotebookNode, source_dir: str | os.PathLike[str], title: str) -> str:
    """Return standalone HTML for an executed notebook: lab look, CSS inlined, images embedded, no CDN."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        template_file=PAGE_TEMPLATE.name,
        extra_template_paths=[str(PAGE_TEMPLATE.parent)],
        embed_images=True,
        exclude_anchor_links=True,
    )
    resources = {"metadata": {"path": os.fspath(source_dir), "name": title}}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return body


def external_resources(page: str) -> list[str]:
    """Return the <script>, <link> or <iframe> tags of an HTML page that load from the network."""
    return [match.group(0) for match in EXTERNAL_RESOURCE.finditer(page)]


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
    notebook: NotebookNode, notebook_path: str | os.PathLike[str], out_html: str | os.PathLike[str]
) -> Path:
    """Write the offline HTML page of an executed notebook; return its path.

    Raises RenderError, writing nothing, when the notebook shows stderr or an error, or when
    the page would load anything from the network.
    """
    problems = output_problems(notebook)
    if problems:
        raise RenderError(f"{notebook_path}: fix these at the source:\n  " + "\n  ".join(problems))
    source = Path(notebook_path).resolve()
    page = notebook_to_html(notebook, source.parent, summarize(notebook, source.stem).title)
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
    """Execute a notebook, check it is clean, write its offline HTML page; return the executed notebook.

    `seeds` and `outputs` override the corpus and generated-files folders for this run only.
    """
    notebook = execute_notebook(notebook_path, seeds=seeds, outputs=outputs)
    write_page(notebook, notebook_path, out_html)
    return notebook


# --------------------------------------------------------------------------- landing page


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


def corpus_label(seeds: str | os.PathLike[str] | None = None) -> str:
    """Return a short description of the corpus folder: its name and how many corpus files it holds."""
    from .files import list_corpus_files

    folder = seeds_dir(seeds)
    count = len(list_corpus_files(folder)) if folder.is_dir() else 0
    return f"{folder.name}/ ({count} documents)"


def index_html(summaries: Sequence[NotebookSummary], corpus: str) -> str:
    """Return the landing page listing the notebooks; every text is HTML-escaped by the template."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(INDEX_TEMPLATE.parent)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    template = environment.get_template(INDEX_TEMPLATE.name)
    return template.render(notebooks=summaries, corpus=corpus)


def write_index(
    out_dir: str | os.PathLike[str],
    notebooks: Iterable[str | os.PathLike[str]],
    seeds: str | os.PathLike[str] | None = None,
) -> Path:
    """Write out_dir/index.html for the given notebooks (sorted by file name); return its path."""
    summaries = [notebook_summary(path) for path in sorted(notebooks, key=lambda p: Path(p).name)]
    page = embed_font(index_html(summaries, corpus_label(seeds)))
    return write_text_atomically(Path(out_dir) / "index.html", page)


# --------------------------------------------------------------------------- hygiene


def strip_notebook(notebook: NotebookNode) -> NotebookNode:
    """Return a copy of the notebook without outputs, execution counts or run timings."""
    stripped = copy.deepcopy(notebook)
    for cell in stripped.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in RUN_METADATA_KEYS:
            cell.metadata.pop(key, None)
    stripped.metadata.pop("widgets", None)
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


def strip_file(path: str | os.PathLike[str]) -> bool:
    """Strip a notebook file in place (untouched when already clean, so Make sees no change); return True if rewritten."""
    notebook = read_notebook(path)
    if not stripping_problems(notebook):
        return False
    nbformat.write(strip_notebook(notebook), os.fspath(path))
    return True


# --------------------------------------------------------------------------- screenshots

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> str:
    """Return the path of a Chromium/Chrome executable ($CHROMIUM first); raise RenderError if none."""
    for name in (os.environ.get("CHROMIUM"), *CHROMIUM_NAMES):
        found = shutil.which(name) if name else None
        if found:
            return found
    raise RenderError("no chromium found: install it (apt-get install chromium) or set $CHROMIUM")


def fontconfig_file(folder: str | os.PathLike[str]) -> Path:
    """Write a fontconfig file in `folder` adding the project's CJK font to the system fonts; return its path.

    Browsers on Linux find fonts through fontconfig; this lets a screenshot show Chinese text
    on a machine without CJK system fonts, as the reader's own computer would.
    """
    from .fonts import font_path

    folder = Path(folder)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{html.escape(str(font_path().parent))}</dir>\n"
        f"  <cachedir>{html.escape(str(folder / 'fontconfig-cache'))}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return config


def screenshot(
    page: str | os.PathLike[str], out_png: str | os.PathLike[str], width: int = 1280, height: int = 2400
) -> Path:
    """Save a headless-Chromium screenshot of a local HTML page with a throwaway profile; return the PNG path."""
    target = Path(out_png).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shuangtan-chromium-") as profile:
        command = [
            find_chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={target}",
            Path(page).resolve().as_uri(),
        ]
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(profile)))
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, env=env)
    if result.returncode != 0 or not target.exists():
        raise RenderError(f"chromium failed ({result.returncode}): {result.stderr[-2000:]}")
    return target


# --------------------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of `python -m shuangtan.report`."""
    parser = argparse.ArgumentParser(prog="python -m shuangtan.report", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    render_cmd = commands.add_parser("render", help="execute a notebook and write its offline HTML page")
    render_cmd.add_argument("notebook")
    render_cmd.add_argument("out_html")
    render_cmd.add_argument("--seeds", help="corpus folder (default: $SHUANGTAN_SEEDS or seeds/)")
    render_cmd.add_argument("--outputs", help="folder for files the notebook writes (default: $SHUANGTAN_OUTPUTS or outputs/)")

    index_cmd = commands.add_parser("index", help="write OUT_DIR/index.html listing the notebooks")
    index_cmd.add_argument("out_dir")
    index_cmd.add_argument("notebooks", nargs="+")
    index_cmd.add_argument("--seeds", help="corpus folder named on the page (default as for render)")

    strip_cmd = commands.add_parser("strip", help="remove outputs and execution counts in place")
    strip_cmd.add_argument("notebooks", nargs="+")
    strip_cmd.add_argument("--check", action="store_true", help="only report; exit 1 if any is dirty")

    shot_cmd = commands.add_parser("screenshot", help="headless-Chromium PNG of an HTML page")
    shot_cmd.add_argument("page")
    shot_cmd.add_argument("out_png")
    shot_cmd.add_argument("--width", type=int, default=1280)
    shot_cmd.add_argument("--height", type=int, default=2400)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "render":
            started = time.perf_counter()
            render(args.notebook, args.out_html, seeds=args.seeds, outputs=args.outputs)
            print(f"rendered {args.notebook} -> {args.out_html} ({time.perf_counter() - started:.1f} s)")
        elif args.command == "index":
            print(f"wrote {write_index(args.out_dir, args.notebooks, seeds=args.seeds)}")
        elif args.command == "strip":
            dirty = [path for path in args.notebooks if stripping_problems(read_notebook(path))]
            if args.check:
                for path in dirty:
                    print(f"{path}: has outputs or execution counts (run `make strip`)", file=sys.stderr)
                return 1 if dirty else 0
            for path in dirty:
                strip_file(path)
                print(f"stripped {path}")
        elif args.command == "screenshot":
            print(f"wrote {screenshot(args.page, args.out_png, args.width, args.height)}")
    except RenderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

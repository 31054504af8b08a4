"""Command line of the site: ``shuangtan report build|render|index|strip|screenshot`` (also ``python -m shuangtan.report``)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ..paths import NOTEBOOKS_DIR, in_checkout
from .execute import RenderError, read_notebook

WRITTEN = """\
what is written:
  build       OUT/index.html, OUT/<notebook>.html for every NN-name.ipynb (not "-Copy1" or
              "Untitled" copies), OUT/tables/<notebook>-<table>.csv (every table a page shows,
              UTF-8 with BOM) and OUT/figures/<notebook>-<figure>.png and .svg; OUT defaults to
              outputs/html (in a checkout) or <user cache dir>/html, or $SHUANGTAN_OUTPUTS/html.
              Executed notebooks are cached in <outputs>/cache/site/. Exit status 1 when the
              corpus is missing or empty (nothing written) or when a page failed (the site is
              still written; the index marks the failed page with its error).
  render      one page (and its tables/, figures/ beside it), no index
  index       OUT_DIR/index.html listing the notebooks
  strip       the notebooks, in place: no outputs, no execution counts, the "shuangtan" kernel
  screenshot  a PNG of a page (needs chromium)
"""


def default_notebooks() -> list[Path]:
    """Return the project's notebooks/NN-*.ipynb (a checkout only; installed, pass them explicitly)."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb")) if in_checkout() else []


def build_parser(prog: str = "shuangtan report") -> argparse.ArgumentParser:
    """Return the argument parser of the site commands."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Execute the notebooks and publish them as an offline HTML site.",
        epilog=WRITTEN, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="execute every notebook on one corpus and write the whole site")
    build_cmd.add_argument("notebooks", nargs="*", help="notebooks (default: the project's notebooks/NN-*.ipynb)")
    build_cmd.add_argument("--seeds", help="corpus folder (default: $SHUANGTAN_SEEDS, else seeds/ or the working directory)")
    build_cmd.add_argument("--out", help="site folder (default: <outputs>/html)")
    build_cmd.add_argument("--outputs", help="folder for generated files and caches (default: $SHUANGTAN_OUTPUTS or outputs/)")
    build_cmd.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                           help="notebooks executed at the same time (default: 2, or 1 on one core)")

    render_cmd = commands.add_parser("render", help="execute one notebook and write its offline HTML page")
    render_cmd.add_argument("notebook")
    render_cmd.add_argument("out_html")
    render_cmd.add_argument("--seeds", help="corpus folder (default: $SHUANGTAN_SEEDS or seeds/)")
    render_cmd.add_argument("--outputs", help="folder for generated files (default: $SHUANGTAN_OUTPUTS or outputs/)")

    index_cmd = commands.add_parser("index", help="write OUT_DIR/index.html listing the notebooks")
    index_cmd.add_argument("out_dir")
    index_cmd.add_argument("notebooks", nargs="+")
    index_cmd.add_argument("--seeds", help="corpus folder named on the page (default as for render)")

    strip_cmd = commands.add_parser("strip", help="remove outputs and execution counts in place, name the shuangtan kernel")
    strip_cmd.add_argument("notebooks", nargs="+")
    strip_cmd.add_argument("--check", action="store_true", help="only report; exit 1 if any is dirty")
    strip_cmd.add_argument("--keep-kernel", action="store_true", help="leave the notebook's kernelspec as it is")

    shot_cmd = commands.add_parser("screenshot", help="headless-Chromium PNG of an HTML page")
    shot_cmd.add_argument("page")
    shot_cmd.add_argument("out_png")
    shot_cmd.add_argument("--width", type=int, default=1280)
    shot_cmd.add_argument("--height", type=int, default=2400)
    return parser


def _build(args: argparse.Namespace) -> int:
    from .build import build_site

    notebooks = [Path(p) for p in args.notebooks] or default_notebooks()
    if not notebooks:
        raise RenderError("no notebooks given (outside a checkout, pass the .ipynb files)")
    started = time.perf_counter()
    results = build_site(notebooks, seeds=args.seeds, out_dir=args.out, outputs=args.outputs, jobs=args.jobs)
    failed = [r for r in results if not r.ok]
    for result in failed:
        print(f"error: {result.stem} failed:\n{result.error}", file=sys.stderr)
    from ..paths import outputs_dir

    where = Path(args.out).resolve() if args.out else outputs_dir(args.outputs) / "html"
    print(f"{len(results) - len(failed)} of {len(results)} pages written in {time.perf_counter() - started:.0f} s; "
          f"open {where / 'index.html'} (offline; zip the folder to send it)")
    return 1 if failed else 0


def _strip(args: argparse.Namespace) -> int:
    from .strip import kernelspec_problems, strip_file, stripping_problems

    def dirty(path: str) -> bool:
        notebook = read_notebook(path)
        return bool(stripping_problems(notebook) or (not args.keep_kernel and kernelspec_problems(notebook)))

    if args.check:
        found = [path for path in args.notebooks if dirty(path)]
        for path in found:
            print(f"{path}: has outputs, execution counts or another kernel (run `make strip`)", file=sys.stderr)
        return 1 if found else 0
    for path in args.notebooks:
        if strip_file(path, set_kernel=not args.keep_kernel):
            print(f"stripped {path}")
    return 0


def main(argv: Sequence[str] | None = None, prog: str = "shuangtan report") -> int:
    """Run one subcommand; return the process exit status."""
    args = build_parser(prog).parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "render":
            from .page import render

            started = time.perf_counter()
            render(args.notebook, args.out_html, seeds=args.seeds, outputs=args.outputs)
            print(f"rendered {args.notebook} -> {args.out_html} ({time.perf_counter() - started:.1f} s)")
        elif args.command == "index":
            from .index import write_index

            print(f"wrote {write_index(args.out_dir, args.notebooks, seeds=args.seeds)}")
        elif args.command == "strip":
            return _strip(args)
        elif args.command == "screenshot":
            from .screenshot import screenshot

            print(f"wrote {screenshot(args.page, args.out_png, args.width, args.height)}")
    except RenderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0

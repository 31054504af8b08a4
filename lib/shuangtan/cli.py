"""The ``shuangtan`` command: ``shuangtan export`` (tables as CSV) and ``shuangtan report …`` (the HTML site).

Also ``python -m shuangtan``. CSV files are UTF-8 with a byte-order mark so that Excel opens the
Chinese text correctly, and cells that a spreadsheet would run as formulas start with an apostrophe.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import __version__
from .paths import CorpusNotFoundError, seeds_dir

WRITTEN = """\
what is written:
  export    OUT/documents.csv, speeches.csv, quality.csv, clusters.csv, first_actions.csv,
            central_echo.csv, instruments.csv (UTF-8 with BOM, formula cells guarded);
            errors of unreadable files on stderr
  report    the offline HTML site: see `shuangtan report --help`
            (index.html, one page per notebook, tables/*.csv, figures/*.png and *.svg)

The corpus folder is --seeds, else $SHUANGTAN_SEEDS, else seeds/ in a checkout or the working
directory; caches go to $SHUANGTAN_OUTPUTS, else outputs/ in a checkout or the user cache folder.
"""


# Tables computed from the speeches table, written beside documents/speeches/quality: file stem → (module, function).
EXTRA_TABLES = {
    "clusters": ("shuangtan.clustering", "clusters_table"),
    "first_actions": ("shuangtan.timeline", "first_actions"),
    "central_echo": ("shuangtan.echo", "echo_table"),
    "instruments": ("shuangtan.instruments", "instrument_matrix"),
}


def extra_tables(speeches: pd.DataFrame, problems: list[str]) -> dict[str, pd.DataFrame]:
    """Return the analysis tables by file stem; a table that cannot be computed is left out and said in `problems`."""
    tables = {}
    for stem, (module, function) in EXTRA_TABLES.items():
        if not importlib.util.find_spec(module):
            continue
        try:
            tables[stem] = getattr(importlib.import_module(module), function)(speeches)
        except Exception as error:  # noqa: BLE001 - one analysis never stops the export of the others
            problems.append(f"{stem}.csv not written: {function} failed on this corpus: {type(error).__name__}: {error}")
    return tables


def export(out_dir: Path, seeds: str | None = None, problems: list[str] | None = None) -> list[Path]:
    """Write documents, speeches, quality and the analysis tables (EXTRA_TABLES) as CSV into `out_dir`; return the paths.

    Written by ``shuangtan.export.write_tables`` (UTF-8 with BOM, formula cells guarded). Tables that
    could not be computed are listed in `problems`.
    """
    from .corpus import corpus
    from .export import write_tables

    tables = corpus(seeds)
    return write_tables(tables, out_dir, extra=extra_tables(tables.speeches, problems if problems is not None else []))


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``shuangtan`` command."""
    parser = argparse.ArgumentParser(
        prog="shuangtan", description="Tables and an offline HTML site from a corpus of dual-carbon (双碳) documents.",
        epilog=WRITTEN, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"shuangtan {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    export_cmd = commands.add_parser("export", help="write the tables as CSV files",
                                     description="Write the corpus tables as CSV files.", epilog=WRITTEN,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    export_cmd.add_argument("--out", required=True, type=Path, help="folder for the CSV files")
    export_cmd.add_argument("--seeds", default=None, help="corpus folder (default: $SHUANGTAN_SEEDS, else seeds/ or the working directory)")
    report_cmd = commands.add_parser("report", help="execute the notebooks and write the offline HTML site",
                                     add_help=False)
    report_cmd.add_argument("arguments", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["report"]:
        from .website.commands import main as report_main

        return report_main(argv[1:], prog="shuangtan report")
    args = build_parser().parse_args(argv)
    try:
        folder = seeds_dir(args.seeds, must_exist=True)
    except CorpusNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    problems: list[str] = []
    for path in export(args.out, str(folder), problems):
        rows = len(pd.read_csv(path, encoding="utf-8-sig"))
        print(f"wrote {path} ({rows} rows)")
    from .corpus import corpus

    errors = corpus(str(folder)).documents.query("status == 'error'")
    for row in errors.itertuples():
        print(f"error: {row.path}: {row.error}", file=sys.stderr)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

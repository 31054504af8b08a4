"""Command line: ``python -m shuangtan export --out DIR [--seeds DIR]`` writes the tables as CSV.

CSV files are UTF-8 with a byte-order mark so that Excel opens the Chinese text correctly.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import pandas as pd

from .corpus import corpus


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a table as UTF-8-with-BOM CSV (dates as YYYY-MM-DD) and return the path."""
    frame.to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d", lineterminator="\n")
    return path


def export(out_dir: Path, seeds: str | None = None) -> list[Path]:
    """Write documents, speeches, quality (and clusters, first_actions when available); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = corpus(seeds)
    written = [
        write_csv(tables.documents, out_dir / "documents.csv"),
        write_csv(tables.speeches, out_dir / "speeches.csv"),
        write_csv(tables.quality, out_dir / "quality.csv"),
    ]
    if importlib.util.find_spec("shuangtan.clustering"):
        from .clustering import clusters_table

        written.append(write_csv(clusters_table(tables.speeches), out_dir / "clusters.csv"))
    if importlib.util.find_spec("shuangtan.timeline"):
        from .timeline import first_actions

        written.append(write_csv(first_actions(tables.speeches), out_dir / "first_actions.csv"))
    return written


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m shuangtan", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    export_cmd = commands.add_parser("export", help="write the tables as CSV files")
    export_cmd.add_argument("--out", required=True, type=Path, help="folder for the CSV files")
    export_cmd.add_argument("--seeds", default=None, help="corpus folder (default: the project's seeds/)")
    args = parser.parse_args(argv)
    for path in export(args.out, args.seeds):
        rows = len(pd.read_csv(path, encoding="utf-8-sig"))
        print(f"wrote {path} ({rows} rows)")
    errors = corpus(args.seeds).documents.query("status == 'error'")
    for row in errors.itertuples():
        print(f"error: {row.path}: {row.error}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

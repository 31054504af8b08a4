"""Time every notebook against the seeds next to the floor notebook (imports the stack, draws one Chinese chart).

Run:  .venv/bin/python benchmarks/seed_notebooks.py [NAME-PREFIX ...] [--rounds N]

Prints, per notebook, wall seconds and CPU seconds (renderer + kernel, from the children's rusage)
and both ratios to the floor (target <= 1.5x), then the sums against the summed floor, with the
machine's load average: on a busy machine the CPU ratio is the steadier one. Each round also runs
what ``make report`` runs (``python -m shuangtan report build``, every page, two at a time on two
cores) on a cold outputs folder and prints its wall time against the summed floor (target <= 1.3x).
The corpus cache starts cold (a fresh outputs folder, first notebook first), as in ``make report``.
The floor is rendered first and last; the faster run counts (the first kernel also pays for cold
file caches). Optional prefixes (``01 02``) render only those notebooks. ``--rounds 3`` repeats the
whole sequence and prints medians: on a shared machine one round varies by 15 % or more.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import FLOOR_NOTEBOOK, PYTHON, ROOT  # noqa: E402

# What `shuangtan report render NOTEBOOK OUT --seeds DIR` runs, without loading the rest of the command line.
RENDER = "import sys; from shuangtan.website.page import render; render(sys.argv[1], sys.argv[2], seeds=sys.argv[3])"


def timed(command: list[str], what: str, outputs: Path) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds, from the children's rusage) of a command run with `outputs`; NaN when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False,
                               env={**os.environ, "SHUANGTAN_OUTPUTS": str(outputs)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if completed.returncode != 0:
        print(f"  {what} failed: {(completed.stdout + completed.stderr).strip().splitlines()[-1:]}")
        return float("nan"), float("nan")
    return wall, cpu


def render(notebook: Path, work: Path, outputs: Path, seeds: Path) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds) to render one notebook; NaN when it fails."""
    return timed([PYTHON, "-c", RENDER, str(notebook), str(work / f"{notebook.stem}.html"), str(seeds)],
                 notebook.name, outputs)


def build(seeds: Path, outputs: Path) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds) of `shuangtan report build` (what `make report` runs) into a fresh `outputs`."""
    return timed([PYTHON, "-m", "shuangtan", "report", "build", "--seeds", str(seeds)], "report build", outputs)


def main(argv: list[str]) -> None:
    """Render the floor, the (selected) notebooks and the floor again, `--rounds` times; print medians and ratios."""
    import argparse
    import statistics

    from shuangtan.paths import DEFAULT_SEEDS_DIR

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="render only the notebooks whose names start so (01 02 ...)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the whole sequence (each round with a cold corpus cache); medians are printed")
    args = parser.parse_args(argv)
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if args.prefixes:
        notebooks = [n for n in notebooks if n.name.startswith(tuple(args.prefixes))]
    load_before = os.getloadavg()[0]
    floors: list[tuple[float, float]] = []
    runs: dict[str, list[tuple[float, float]]] = {n.stem: [] for n in notebooks}
    builds: list[tuple[float, float]] = []
    for _ in range(max(1, args.rounds)):
        with tempfile.TemporaryDirectory(prefix="seed-notebooks-") as base:
            work, outputs = Path(base), Path(base) / "outputs"
            floor_path = work / "floor.ipynb"
            floor_path.write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
            first = render(floor_path, work, outputs, DEFAULT_SEEDS_DIR)
            for notebook in notebooks:
                runs[notebook.stem].append(render(notebook, work, outputs, DEFAULT_SEEDS_DIR))
            if not args.prefixes:  # the whole site, as `make report` builds it, on a cold outputs folder
                builds.append(build(DEFAULT_SEEDS_DIR, work / "report-outputs"))
            # The faster floor of the round counts (the first kernel also pays for cold file caches).
            floors.append(min(first, render(floor_path, work, outputs, DEFAULT_SEEDS_DIR)))
    floor_wall, floor_cpu = (statistics.median(f[i] for f in floors) for i in (0, 1))
    times = {name: tuple(statistics.median(r[i] for r in rs) for i in (0, 1)) for name, rs in runs.items()}
    print(f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after; {len(floors)} round(s), medians; "
          f"floor {floor_wall:.1f} s wall, {floor_cpu:.1f} s CPU")
    for name, (wall, cpu) in times.items():
        flag = "" if wall <= 1.5 * floor_wall else "  (wall over 1.5x)"
        print(f"  {name:<24} {wall:5.1f} s {wall / floor_wall:.2f}x   CPU {cpu:5.1f} s {cpu / floor_cpu:.2f}x{flag}")
    wall_sum, cpu_sum, n = sum(t[0] for t in times.values()), sum(t[1] for t in times.values()), len(times)
    print(f"  sum {wall_sum:.1f} s = {wall_sum / (floor_wall * n):.2f}x the summed floor; "
          f"CPU {cpu_sum:.1f} s = {cpu_sum / (floor_cpu * n):.2f}x ({n} pages)")
    if builds:
        build_wall, build_cpu = (statistics.median(b[i] for b in builds) for i in (0, 1))
        print(f"  make report (report build, cold, {n} pages two at a time) {build_wall:.1f} s = "
              f"{build_wall / (floor_wall * n):.2f}x the summed floor (target <= 1.3x); CPU {build_cpu:.1f} s = "
              f"{build_cpu / (floor_cpu * n):.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])

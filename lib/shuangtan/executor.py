"""One interface for running a function over many items: in this process, a process pool, or Dask.

:func:`map_ordered` returns ``[function(item) for item in items]`` in input order whatever runs it:

* ``client=None`` (default): this process for fewer than :data:`PARALLEL_MIN_ITEMS` items, else a
  local process pool with one worker per core (``$SHUANGTAN_PROCESSES`` changes the default;
  ``processes=N`` forces N workers, ``processes=1`` this process);
* ``client=`` a ``dask.distributed.Client`` (install ``shuangtan[dask]``): items are sent in
  batches to the cluster's workers, which must be able to import shuangtan.

Items travel in batches (about :data:`BATCH_ITEMS` per task) so that scheduling costs stay small
next to the work. The function and items must be picklable (module-level functions, plain data).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Fewer items than this run in the calling process: a pool costs more than it saves.
PARALLEL_MIN_ITEMS = 64
# Items per task sent to a worker (process pool or Dask).
BATCH_ITEMS = 32


def default_processes() -> int:
    """Return the number of local worker processes: $SHUANGTAN_PROCESSES, else the number of cores."""
    chosen = os.environ.get("SHUANGTAN_PROCESSES", "")
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    return os.cpu_count() or 1


def _run_batch(function: Callable[[Any], Any], batch: list[Any]) -> list[Any]:
    """Return function(item) for every item of one batch (runs inside a worker)."""
    return [function(item) for item in batch]


def _batches(items: Sequence[T], size: int) -> list[list[T]]:
    """Return consecutive batches of at most size items (order kept)."""
    return [list(items[start:start + size]) for start in range(0, len(items), size)]


def describe(client: Any = None, processes: int | None = None, n_items: int = 0) -> str:
    """Return where map_ordered would run this much work: 'serial', 'processes:N' or 'dask:ADDRESS'."""
    if client is not None:
        return f"dask:{getattr(getattr(client, 'scheduler', None), 'address', 'client')}"
    workers = default_processes() if processes is None else processes
    if workers <= 1 or n_items < 2 or (processes is None and n_items < PARALLEL_MIN_ITEMS):
        return "serial"
    return f"processes:{workers}"


def map_ordered(function: Callable[[T], R], items: Sequence[T], *, client: Any = None,
                processes: int | None = None, batch_items: int = BATCH_ITEMS) -> list[R]:
    """Return [function(item) for item in items], computed serially, by a process pool or by Dask."""
    items = list(items)
    where = describe(client, processes, len(items))
    if where == "serial":
        return [function(item) for item in items]
    batches = _batches(items, max(1, batch_items))
    if client is not None:
        futures = client.map(_run_batch, [function] * len(batches), batches, pure=False)
        results = client.gather(futures)
    else:
        workers = min(int(where.split(":")[1]), len(batches))
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_run_batch, [function] * len(batches), batches))
    return [result for batch in results for result in batch]

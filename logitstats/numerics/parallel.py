"""Row chunks spread over the cores: each worker thread sums the statistics of its own chunks.

numpy releases the GIL inside BLAS and inside ufuncs, so Python threads that each walk over a
share of the row chunks run on all cores. BLAS itself is kept to one thread meanwhile
(``threadpoolctl``, when installed): a multi-threaded BLAS call on a chunk of a few thousand rows
gains little, and on a busy machine every such call waits for its slowest thread, which can make
a fit many times slower. The assignment of chunks to workers is fixed (chunk ``c`` goes to worker
``c % workers``) and the partial sums are added in worker order, so results do not depend on
thread timing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = [
    "chunk_slices",
    "map_chunks",
    "rows_for",
    "single_threaded_blas",
    "serial_chunks",
    "chunk_threads_enabled",
    "warm_start_rows",
    "CHUNK_BYTES",
]

T = TypeVar("T")
MAX_WORKERS = 8
CHUNK_BYTES = 2**21  # a chunk of rows (and its scaled copy) stays in cache: 2 MiB
_MIN_CHUNKS_PER_WORKER = 2
_controller: Any = None
_pool: ThreadPoolExecutor | None = None
# The one switch of the thread pool (issue 14): a thread inside ``serial_chunks()`` (e.g. a Dask
# task, whose worker already runs one task per core) sums its chunks in the calling thread.
_serial = threading.local()


def rows_for(k: int, *, most: int = 32768) -> int:
    """Rows per chunk of a float64 matrix with ``k`` columns: about ``CHUNK_BYTES``, >= 256."""
    return int(min(most, max(256, CHUNK_BYTES // (8 * max(k, 1)))))


def chunk_slices(n: int, rows: int) -> list[slice]:
    """``[slice(0, rows), slice(rows, 2 rows), ...]`` covering ``range(n)``."""
    return [slice(s, min(s + rows, n)) for s in range(0, n, rows)]


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Limit BLAS to one thread for the duration (no-op without threadpoolctl)."""
    global _controller
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - optional
            _controller = False
        else:
            _controller = ThreadpoolController()
    if _controller is False:
        yield
        return
    with _controller.limit(limits=1, user_api="blas"):
        yield


@contextmanager
def serial_chunks() -> Iterator[None]:
    """Within the block, :func:`map_chunks` in this thread runs serially, starting no pool thread.

    Backends wrap their per-partition work in it: two Dask workers x two threads x the pool's
    threads would oversubscribe the cores. Thread-local, so other threads keep their pool.
    """
    depth = getattr(_serial, "depth", 0)
    _serial.depth = depth + 1
    try:
        yield
    finally:
        _serial.depth = depth


def chunk_threads_enabled() -> bool:
    """False inside :func:`serial_chunks` (in this thread)."""
    return getattr(_serial, "depth", 0) == 0


def _workers(n_chunks: int) -> int:
    if not chunk_threads_enabled():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_WORKERS, n_chunks // _MIN_CHUNKS_PER_WORKER))


def map_chunks(work: Callable[[list[slice]], T], slices: list[slice]) -> list[T]:
    """``[work(slices[w::W]) for w in range(W)]``, the W workers running in parallel threads.

    With one worker (few chunks or one core) ``work`` runs in the calling thread and BLAS keeps
    its own threading.
    """
    global _pool
    n_workers = _workers(len(slices))
    if n_workers == 1:
        return [work(slices)]
    if _pool is None or _pool._max_workers < n_workers:
        _pool = ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix="logitstats")
    with single_threaded_blas():
        futures = [_pool.submit(work, slices[w::n_workers]) for w in range(n_workers)]
        return [f.result() for f in futures]


WARM_START_MIN_ROWS = 200_000
WARM_START_ROWS = 50_000


def warm_start_rows(n: int, k: int) -> slice | None:
    """Every ``s``-th row, a systematic subsample for starting values, or None when n is small.

    A Newton fit on about ``max(50000, 100 k)`` rows lands within sampling error of the full-data
    estimate, so the full-data Newton then needs about two iterations fewer; the subsample costs
    a few per cent of one full pass per iteration.
    """
    target = max(WARM_START_ROWS, 100 * k)
    if n < max(WARM_START_MIN_ROWS, 4 * target):
        return None
    return slice(0, n, n // target)

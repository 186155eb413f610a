"""Map-reduce over the partitions of a Dask DataFrame: the distributed backend, arrays level.

A pass applies a pure function to every partition (a pandas DataFrame) and merges the typed
partial results by a tree reduction on the workers (``split_every`` partials per task), so the
client receives one partial per pass. The scheduler is Dask's current one: a
``distributed.Client`` when one is active, else Dask's threaded scheduler (the one-machine
out-of-core path). Each task runs inside :func:`~logitstats.numerics.parallel.serial_chunks`, so
the in-memory engine's own thread pool never starts inside a worker.

Two ways to hold the blocks of rows (:meth:`DaskRunner.use_blocks`): **stream** rebuilds each
partition's block in every pass (memory bounded by a partition per worker thread); **persist**
builds each block once and keeps it on the workers (``persist()``; in the client's memory with
the threaded scheduler), so later passes only evaluate statistics; :meth:`DaskRunner.release`
drops them when the fit ends.

Partials are dicts whose values merge by type: numbers and arrays add, :class:`KeyedSum` adds
per key (cluster score sums across partitions), :class:`Union` unites sets (levels), lists
concatenate (samples), :class:`Max` takes the maximum. dask is imported lazily.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from logitstats.errors import LogitstatsError
from logitstats.numerics.parallel import serial_chunks

__all__ = [
    "is_dask_frame",
    "DaskRunner",
    "KeyedSum",
    "Union",
    "Max",
    "merge_partials",
    "SPLIT_EVERY",
]

SPLIT_EVERY = 8  # partials merged per reduction task: the client receives O(k^2) per pass
_log = logging.getLogger("logitstats")


def is_dask_frame(data: Any) -> bool:
    """True for a Dask DataFrame (checked by module name: dask is never imported for pandas)."""
    module = type(data).__module__ or ""
    return module.startswith("dask") and hasattr(data, "to_delayed")


class KeyedSum(dict):
    """Per-key sums (e.g. cluster id -> score sum): merged by adding values key by key."""


class Union(frozenset):
    """A set of values (e.g. levels), merged by union."""


class Max:
    """An (elementwise) maximum, merged by ``max`` (a sum would give a wrong certificate)."""

    def __init__(self, value: Any) -> None:
        self.value = np.asarray(value, dtype=np.float64)

    def __repr__(self) -> str:
        return f"Max({self.value!r})"


def _merge_two(a: Any, b: Any) -> Any:
    if isinstance(a, KeyedSum):
        out = KeyedSum(a)
        for k, v in b.items():
            out[k] = out[k] + v if k in out else v
        return out
    if isinstance(a, Union):
        return Union(a | b)
    if isinstance(a, Max):
        return Max(np.maximum(a.value, b.value))
    if isinstance(a, list):
        return a + b
    if isinstance(a, Mapping):
        keys = list(dict.fromkeys([*a, *b]))
        return {
            k: a[k] if k not in b else b[k] if k not in a else _merge_two(a[k], b[k]) for k in keys
        }
    return a + b


def merge_partials(partials: list[Any]) -> Any:
    """Merge partial results in order (see the module docstring for the rules by type)."""
    out = partials[0]
    for p in partials[1:]:
        out = _merge_two(out, p)
    return out


def _in_task(fn: Callable[..., Any], part: Any, *args: Any) -> Any:
    with serial_chunks(), np.errstate(divide="ignore", invalid="ignore"):
        return fn(part, *args)


def _merge_task(*partials: Any) -> Any:
    return merge_partials(list(partials))


def _block_task(fn: Callable[..., Any], source: Any, build: Any, *args: Any) -> Any:
    """``fn(block, *args)``: ``source`` is the block (persist) or its partition (stream:
    ``build = (builder, builder_args)`` makes the block first)."""
    with serial_chunks(), np.errstate(divide="ignore", invalid="ignore"):
        block = source if build is None else build[0](source, *build[1])
        return fn(block, *args)


class DaskRunner:
    """Runs passes over the partitions of one Dask DataFrame and counts them.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
    progress : bool
        Log one line per pass to the ``logitstats`` logger (INFO).
    """

    def __init__(self, frame: Any, *, progress: bool = False) -> None:
        self.parts = list(frame.to_delayed())
        self.n_partitions = len(self.parts)
        self.progress = progress
        self.passes = 0
        self.blocks: list[Any] | None = None  # persisted blocks (persist mode)
        self._build: tuple[Callable[..., Any], tuple[Any, ...]] | None = None

    def client(self) -> Any | None:
        """The ``distributed.Client`` that runs the passes, or None (dask's local schedulers)."""
        from dask.base import get_scheduler

        owner = getattr(get_scheduler(), "__self__", None)
        return owner if type(owner).__name__ == "Client" else None

    def worker_memory(self) -> float | None:
        """The sum of the workers' ``memory_limit`` (bytes) of the client's cluster; None
        without a client or when a worker has no limit."""
        client = self.client()
        if client is None:
            return None
        try:
            workers = client.scheduler_info(n_workers=-1)["workers"]
        except TypeError:  # older distributed: every worker by default
            workers = client.scheduler_info()["workers"]
        limits = [float(w.get("memory_limit") or 0.0) for w in workers.values()]
        return sum(limits) if limits and min(limits) > 0 else None

    def use_blocks(
        self, builder: Callable[..., Any], *args: Any, persist: bool, label: str = "blocks"
    ) -> None:
        """Set how :meth:`map_blocks` gets each partition's block: ``builder(part, *args)``
        in every pass (stream), or built once now and persisted (``persist=True``)."""
        dask = _import_dask()
        shared = tuple(dask.delayed(a) if _big(a) else a for a in args)
        if not persist:
            self._build = (builder, shared)
            return
        t0 = time.perf_counter()
        built = [dask.delayed(_in_task, pure=True)(builder, p, *shared) for p in self.parts]
        client = self.client()
        self.blocks = list(client.persist(built) if client is not None else dask.persist(*built))
        self.passes += 1  # a pass over the data (asynchronous on a cluster: the next one waits)
        if self.progress:
            seconds = time.perf_counter() - t0
            _log.info(
                "pass %d (%s): %d blocks persisted, %.2f s", self.passes, label, len(built), seconds
            )

    def map_blocks(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """As :meth:`map_reduce`, with ``fn(block, *args)`` on each partition's block (see
        :meth:`use_blocks`)."""
        if self.blocks is not None:
            return self._run(_block_task, self.blocks, (fn, None), args, **kwargs)
        if self._build is None:
            raise LogitstatsError("map_blocks before use_blocks: expected blocks; got none")
        return self._run(_block_task, self.parts, (fn, self._build), args, **kwargs)

    def release(self) -> None:
        """Drop the persisted blocks (the cluster frees their memory); idempotent."""
        blocks, self.blocks = self.blocks, None
        client = self.client()
        if blocks and client is not None:
            client.cancel(blocks)  # the futures the persisted blocks hold (futures_of)

    def map_reduce(
        self,
        fn: Callable[..., Any],
        *args: Any,
        label: str = "",
        describe: Callable[[Any], str] | None = None,
    ) -> Any:
        """``merge_partials([fn(part, *args) for part in partitions])``, tree-reduced.

        With ``progress``, one line per pass: ``pass 3 (Newton 2): deviance ..., 1.2 s``
        (``describe(result)`` gives the middle part).
        """
        return self._run(_in_task, self.parts, (fn,), args, label=label, describe=describe)

    def _run(
        self,
        task: Callable[..., Any],
        sources: list[Any],
        head: tuple[Any, ...],
        args: tuple[Any, ...],
        label: str = "",
        describe: Callable[[Any], str] | None = None,
    ) -> Any:
        dask = _import_dask()
        t0 = time.perf_counter()
        fn = head[0]
        shared = [dask.delayed(a) if _big(a) else a for a in (*head[1:], *args)]
        level = [dask.delayed(task, pure=True)(fn, p, *shared) for p in sources]
        while len(level) > 1:
            level = [
                dask.delayed(_merge_task, pure=True)(*level[i : i + SPLIT_EVERY])
                for i in range(0, len(level), SPLIT_EVERY)
            ]
        (out,) = dask.compute(level[0])
        self.passes += 1
        if self.progress:
            detail = describe(out) if describe is not None else f"{self.n_partitions} partitions"
            _log.info(
                "pass %d (%s): %s, %.2f s",
                self.passes,
                label or getattr(fn, "__name__", "map"),
                detail,
                time.perf_counter() - t0,
            )
        return out


def _import_dask() -> Any:
    try:
        import dask
    except ImportError as exc:  # pragma: no cover - a Dask frame implies dask is installed
        raise LogitstatsError(
            "data is a Dask DataFrame; expected the dask package to be importable; got "
            f"{exc}. Install it: pip install 'logitstats[dask]'"
        ) from None
    return dask


def _big(arg: Any) -> bool:
    """Objects shared by every task travel once (a delayed), not inside each task."""
    return not isinstance(arg, (int, float, str, bool, type(None), np.ndarray))

"""Several iterative solvers whose objective evaluations share one pass over the data.

A distributed refit (an LR ``anova`` without each term, a profile-likelihood bound) is an
ordinary iterative solver (:func:`~logitstats.engine.newton.newton`,
:func:`~logitstats.inference.profile.profile_intervals`) that asks for ``(loglik, score,
information)`` at one point at a time. :func:`run_batched` runs each solver unchanged in a
thread of its own and gathers their requests: when every solver still running is waiting for an
evaluation, the batch of requests is evaluated together (one pass over the partitions for all of
them) and each solver resumes with its answer. A solver that has converged leaves the batch, so
a pass serves only those still iterating; the number of passes is the longest solver's number of
evaluations, not their sum.

The solvers' arithmetic is untouched (each sees the same sequence of evaluations as alone), so
the results equal the sequential ones; the batches are formed in task order, deterministically.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["run_batched", "Ask"]

#: ``ask(request) -> answer``: a solver's one way to reach the data
Ask = Callable[[Any], Any]


class _Failed:
    """An evaluation that raised: the waiting solvers re-raise it."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def run_batched(
    tasks: Sequence[Callable[[Ask], Any]],
    evaluate_many: Callable[[list[Any]], list[Any]],
) -> list[Any]:
    """Run ``task(ask)`` for every task, evaluating their requests in batches.

    Parameters
    ----------
    tasks : sequence of callables
        ``task(ask) -> result``; the task calls ``ask(request)`` whenever it needs an
        evaluation (and nothing else blocks it).
    evaluate_many : callable
        ``evaluate_many([request, ...]) -> [answer, ...]``, called on the caller's thread with
        the pending requests in task order.

    Returns
    -------
    list
        The tasks' results, in task order.

    Raises
    ------
    Exception
        The first task's exception (in task order), after every task has stopped; an exception
        of ``evaluate_many`` is raised in the tasks waiting for that batch.

    Examples
    --------
    >>> def task(n):
    ...     return lambda ask: sum(ask(i) for i in range(n))
    >>> batches = []
    >>> def square_all(requests):
    ...     batches.append(len(requests))
    ...     return [r * r for r in requests]
    >>> run_batched([task(2), task(3)], square_all), batches
    ([1, 5], [2, 2, 1])
    """
    n = len(tasks)
    cond = threading.Condition()
    pending: dict[int, Any] = {}
    answers: dict[int, Any] = {}
    live = set(range(n))
    results: list[Any] = [None] * n
    errors: list[BaseException | None] = [None] * n

    def run(i: int) -> None:
        def ask(request: Any) -> Any:
            with cond:
                pending[i] = request
                cond.notify_all()
                while i not in answers:
                    cond.wait()
                answer = answers.pop(i)
            if isinstance(answer, _Failed):
                raise answer.error
            return answer

        try:
            results[i] = tasks[i](ask)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the caller's thread
            errors[i] = exc
        finally:
            with cond:
                live.discard(i)
                cond.notify_all()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    while True:
        with cond:
            # a batch is complete when every task still running waits for an answer
            while live and not (len(pending) == len(live) and not answers):
                cond.wait()
            if not live:
                break
            batch = sorted(pending.items())
            pending.clear()
        try:
            out: list[Any] = list(evaluate_many([r for _, r in batch]))
        except BaseException as exc:  # noqa: BLE001 - handed to the tasks that asked
            out = [_Failed(exc)] * len(batch)
        with cond:
            answers.update((i, o) for (i, _), o in zip(batch, out, strict=True))
            cond.notify_all()
    for t in threads:
        t.join()
    for err in errors:
        if err is not None:
            raise err
    return results

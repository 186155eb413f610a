"""Solvers whose evaluations are batched (logitstats.backends.batch.run_batched).

References: the same tasks run one after another with a direct evaluation (plain Python), and
Newton on a quadratic whose optimum is known in closed form."""

from __future__ import annotations

import numpy as np
import pytest

from logitstats.backends.batch import run_batched
from logitstats.engine.newton import NewtonOptions, newton


def _counter(n: int):
    return lambda ask: [ask((n, i)) for i in range(n)]


def test_batches_hold_every_running_task_and_shrink_as_tasks_finish():
    seen: list[list] = []

    def evaluate(requests):
        seen.append(list(requests))
        return [a * 10 + b for a, b in requests]

    out = run_batched([_counter(3), _counter(1), _counter(2)], evaluate)
    assert out == [[30, 31, 32], [10], [20, 21]]
    # the first batch has every task, in task order; finished tasks leave
    assert seen == [[(3, 0), (1, 0), (2, 0)], [(3, 1), (2, 1)], [(3, 2)]]


def test_newton_in_batches_equals_newton_alone():
    """Independent concave quadratics -(b - c)' A (b - c) / 2: each solver sees the same
    evaluations as alone, so the results are identical; the optimum is c."""
    rng = np.random.default_rng(0)
    problems = []
    for k in (1, 2, 3):
        m = rng.standard_normal((k, k))
        problems.append((m @ m.T + k * np.eye(k), rng.standard_normal(k)))

    def value(problem, b):
        a, c = problem
        d = b - c
        return -0.5 * d @ a @ d, -a @ d, a

    opts = NewtonOptions()
    alone = [newton(lambda b, p=p: value(p, b), np.zeros(p[1].size), opts) for p in problems]
    tasks = [
        lambda ask, i=i: newton(lambda b: ask((i, b)), np.zeros(problems[i][1].size), opts)
        for i in range(len(problems))
    ]
    batched = run_batched(tasks, lambda reqs: [value(problems[i], b) for i, b in reqs])
    for a, b, (_, c) in zip(alone, batched, problems, strict=True):
        assert np.array_equal(a.params, b.params) and a.n_iter == b.n_iter
        np.testing.assert_allclose(b.params, c, rtol=1e-12)


def test_an_error_of_a_task_or_of_the_evaluation_reaches_the_caller():
    def bad(ask):
        ask(1)
        raise KeyError("task failed")

    with pytest.raises(KeyError, match="task failed"):
        run_batched([bad, _counter(3)], lambda reqs: [0 for _ in reqs])

    def broken(reqs):
        raise RuntimeError("the pass failed")

    with pytest.raises(RuntimeError, match="the pass failed"):
        run_batched([_counter(2), _counter(2)], broken)
    assert run_batched([], broken) == []

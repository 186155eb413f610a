"""Row chunks over threads (logitstats.numerics.parallel) and the chunked multinomial statistics.

References: the same statistics computed on the whole data in one chunk, and a fit started
without the subsample warm start (both must agree at RTOL_PROPERTY).
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from logitstats.engine import multinomial as mnl
from logitstats.engine.layout import ParamLayout
from logitstats.numerics import parallel as chunks
from tests.tolerances import ATOL_PROPERTY, RTOL_PROPERTY


def test_chunk_slices_tile_the_rows():
    slices = chunks.chunk_slices(10, 4)
    assert slices == [slice(0, 4), slice(4, 8), slice(8, 10)]
    assert chunks.chunk_slices(0, 4) == []


def test_map_chunks_gives_every_chunk_to_exactly_one_worker():
    slices = chunks.chunk_slices(1000, 7)
    parts = chunks.map_chunks(lambda sl: [s.start for s in sl], slices)
    seen = sorted(start for part in parts for start in part)
    assert seen == [s.start for s in slices]


def test_serial_chunks_switches_the_pool_off_in_this_thread_only(monkeypatch):
    """Issue 14 item 7: inside a backend task (``serial_chunks``) no pool thread runs the work."""
    monkeypatch.setattr(chunks, "_workers", chunks._workers)  # the real rule, 2+ cores or not
    monkeypatch.setattr(chunks.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    slices = chunks.chunk_slices(1000, 7)
    names = lambda sl: {threading.current_thread().name}  # noqa: E731
    threaded = set().union(*chunks.map_chunks(names, slices))
    assert any(name.startswith("logitstats") for name in threaded)
    with chunks.serial_chunks():
        assert not chunks.chunk_threads_enabled()
        inside = chunks.map_chunks(names, slices)
        other = []
        t = threading.Thread(target=lambda: other.append(chunks.chunk_threads_enabled()))
        t.start()
        t.join()
    assert inside == [{threading.current_thread().name}]
    assert other == [True] and chunks.chunk_threads_enabled()


def _mnl_problem(n: int, p: int = 4, K: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
    B = rng.normal(0.0, 0.4, (p, K))
    eta = X @ B
    prob = np.exp(eta - eta.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    y = (rng.random(n)[:, None] > np.cumsum(prob, axis=1)).sum(axis=1).clip(0, K - 1)
    layout = ParamLayout(tuple(f"x{j}" for j in range(p)), outcomes=tuple(range(1, K)))
    return X, y, layout, rng.integers(1, 4, n).astype(float)


@pytest.mark.parametrize("chunk_rows", [1, 13, 500, None])
def test_multinomial_chunked_equals_one_chunk(chunk_rows):
    X, y, layout, w = _mnl_problem(700, seed=1)
    b = np.random.default_rng(2).normal(0.0, 0.2, layout.size)
    whole = mnl.loglik_score_info(X, y, b, layout, 0, w, chunk_rows=10**6)
    parts = mnl.loglik_score_info(X, y, b, layout, 0, w, chunk_rows=chunk_rows)
    assert parts[0] == pytest.approx(whole[0], rel=RTOL_PROPERTY)
    np.testing.assert_allclose(parts[1], whole[1], rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    np.testing.assert_allclose(parts[2], whole[2], rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)


def test_multinomial_information_equals_its_definition():
    # block (j, l) = X' diag(w p_j (delta_jl - p_l)) X, summed row by row from the definition
    X, y, layout, w = _mnl_problem(60, seed=3)
    b = np.random.default_rng(4).normal(0.0, 0.3, layout.size)
    _, _, info = mnl.loglik_score_info(X, y, b, layout, 0, w)
    B = layout.to_matrix(b)
    eta = np.column_stack([np.zeros(len(y)), X @ B])
    prob = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    J, p = B.shape[1], X.shape[1]
    ref = np.zeros((J * p, J * p))
    for i in range(len(y)):
        pi = prob[i, 1:]
        ref += w[i] * np.kron(np.diag(pi) - np.outer(pi, pi), np.outer(X[i], X[i]))
    np.testing.assert_allclose(info, ref, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)


def test_multinomial_warm_start_reaches_the_same_estimate(monkeypatch):
    # subsample start + chord steps (score only): same estimate, fewer information matrices
    X, y, layout, _ = _mnl_problem(chunks.WARM_START_MIN_ROWS, p=3, K=3, seed=5)
    assert chunks.warm_start_rows(X.shape[0], layout.size) is not None
    calls = []
    original = mnl.loglik_score_info

    def counting(Xa, *args, **kwargs):
        if Xa.shape[0] == X.shape[0]:
            calls.append(1)
        return original(Xa, *args, **kwargs)

    monkeypatch.setattr(mnl, "loglik_score_info", counting)
    warm = mnl.fit(X, y, layout, 0, intercept_col=0)
    n_warm = len(calls)
    monkeypatch.setattr("logitstats.engine.newton.warm_start_rows", lambda n, k: None)
    cold = mnl.fit(X, y, layout, 0, intercept_col=0)
    assert warm.converged and cold.converged
    np.testing.assert_allclose(warm.params, cold.params, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    assert warm.loglik == pytest.approx(cold.loglik, rel=RTOL_PROPERTY)
    np.testing.assert_allclose(warm.information, cold.information, rtol=RTOL_PROPERTY)
    assert n_warm < len(calls) - n_warm

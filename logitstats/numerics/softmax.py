"""Numerically stable softmax, log-softmax, log-sum-exp, sigmoid and log-sigmoid.

Numpy only. The public functions validate their input (lists, tuples and arrays of any shape;
floating input keeps its precision, integers and booleans become float64) and raise
:class:`logitstats.errors.LogitstatsError` with a message naming the argument. The underscored
``*_fast`` / ``*_rows`` functions are for the fitting engine: they skip validation and take
floating ndarrays only.

Every function subtracts the maximum before exponentiating, so finite scores as large as
``+-1e308`` never overflow, and ``log_softmax`` / ``logsumexp`` / ``log_sigmoid`` are computed on
the log scale (log-sum-exp with ``log1p``), never as ``log(softmax(...))``.
"""

from __future__ import annotations

import numbers
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["log_sigmoid", "log_softmax", "logsumexp", "sigmoid", "softmax"]

FloatArray = NDArray[np.floating[Any]]


# --------------------------------------------------------------------------------------------
# validation (public boundary only)
# --------------------------------------------------------------------------------------------


def _error(message: str) -> Exception:
    # Imported lazily so that this module imports on its own.
    from logitstats.errors import LogitstatsError

    return LogitstatsError(message)


def _as_float_array(values: ArrayLike, name: str) -> FloatArray:
    """Return ``values`` as a floating ndarray (no copy for floating arrays; ints -> float64)."""
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise _error(
            f"{name} must be an array of real numbers with a regular (non-ragged) shape; "
            f"got {type(values).__name__} that numpy cannot convert ({exc})"
        ) from exc
    kind = array.dtype.kind
    if kind == "f":
        return array
    if kind in "biu":
        return array.astype(np.float64)
    if kind == "O":  # e.g. Decimal or Fraction elements; None becomes NaN
        try:
            return array.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise _error(
                f"{name} must contain real numbers only; got an object array whose elements "
                f"cannot be converted to float ({exc})"
            ) from exc
    what = {"U": "strings", "S": "bytes", "c": "complex numbers"}.get(kind, "non-numeric values")
    raise _error(
        f"{name} must contain real numbers (int or float); got {what} (dtype {array.dtype}). "
        f"Convert first, e.g. np.asarray({name}, dtype=float)"
    )


def _check_axis(axis: int, shape: tuple[int, ...]) -> int:
    """Return ``axis`` in ``[0, max(ndim, 1))``; a 0-d array acts as a length-1 vector."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise _error(f"axis must be an integer; got axis={axis!r}")
    ndim = max(len(shape), 1)
    if not -ndim <= axis < ndim:
        raise _error(
            f"axis={axis} is out of range for scores with shape {shape} "
            f"({len(shape)} dimension(s)); use an axis between {-ndim} and {ndim - 1}"
        )
    return int(axis) % ndim


def _check_temperature(temperature: float) -> float:
    message = (
        f"temperature must be a finite number > 0; got temperature={temperature!r}. "
        "Use temperature=1.0 for the plain function; values below 1 sharpen it, above 1 flatten it"
    )
    if isinstance(temperature, (bool, np.bool_)) or not isinstance(temperature, numbers.Real):
        raise _error(message)
    value = float(temperature)
    if not (np.isfinite(value) and value > 0.0):
        raise _error(message)
    return value


def _scale(z: FloatArray, temperature: float) -> FloatArray:
    """``z / temperature`` in at least float64, cast back to ``z``'s precision.

    Dividing in float64 keeps a tiny temperature from rounding to 0 in float32 (which would turn
    ``0 / temperature`` into NaN); overflow to ``+-inf`` is the correctly rounded result.
    """
    if temperature == 1.0:
        return z
    wide = np.promote_types(z.dtype, np.float64)
    with np.errstate(over="ignore", under="ignore"):
        return np.divide(z, temperature, dtype=wide).astype(z.dtype, copy=False)


def _prepare(
    scores: ArrayLike, axis: int, temperature: float
) -> tuple[FloatArray, int, tuple[int, ...], float]:
    z = _as_float_array(scores, "scores")
    shape = z.shape
    ax = _check_axis(axis, shape)
    t = _check_temperature(temperature)
    return z.reshape(1) if z.ndim == 0 else z, ax, shape, t


# --------------------------------------------------------------------------------------------
# cores (no validation; floating ndarrays with ndim >= 1 and size > 0)
# --------------------------------------------------------------------------------------------


def _sum(a: FloatArray, axis: int) -> FloatArray:
    """``np.sum(a, axis, keepdims=True)``, faster along a short axis.

    A short axis is summed slice by slice, several times faster than numpy's reduction over,
    e.g., the 3 columns of a (1e6, 3) array.
    """
    n = a.shape[axis]
    if n > 16:
        return np.sum(a, axis=axis, keepdims=True)
    head = (slice(None),) * axis
    total = a[(*head, slice(0, 1))].copy()
    for k in range(1, n):
        total += a[(*head, slice(k, k + 1))]
    return total


def _shift(z: FloatArray, axis: int) -> tuple[FloatArray, FloatArray, NDArray[np.intp]]:
    """Return ``(z - max, max, argmax)`` along ``axis`` (keepdims) with the +inf conventions.

    The shifted array is exactly 0 at the argmax of every slice whose maximum is finite or +inf.
    In a slice whose maximum is +inf the +inf entries get 0 (equal shares) and the others -inf. A
    slice that is all -inf is all 0 here; callers turn it into NaN (or -inf for log-sum-exp). A
    slice holding a NaN is all NaN (``argmax`` picks the NaN, so the "maximum" is NaN).
    """
    top = np.argmax(z, axis=axis, keepdims=True)
    m = np.take_along_axis(z, top, axis=axis)
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = np.subtract(z, m)
    if not np.isfinite(m).all():
        np.copyto(shifted, 0.0, where=(z == m))
    return shifted, m, top


def _log_rest(shifted: FloatArray, top: NDArray[np.intp], axis: int) -> FloatArray:
    """``log(sum(exp(shifted)))`` along ``axis`` (keepdims) as ``log1p`` of the non-max terms.

    Leaving the maximal term (``exp(0) = 1`` at ``top``) out of the sum and adding it back with
    ``log1p`` keeps full relative accuracy when one score dominates: ``log_softmax([0, -46])[0]``
    is ``-1.05e-20``, not ``0``.
    """
    with np.errstate(under="ignore"):
        e = np.exp(shifted)
    np.put_along_axis(e, top, 0.0, axis=axis)
    rest = _sum(e, axis)
    return np.log1p(rest, out=rest)


def _softmax_core(z: FloatArray, axis: int, temperature: float) -> FloatArray:
    shifted, m, _ = _shift(z, axis)
    p = _scale(shifted, temperature)
    with np.errstate(under="ignore"):
        np.exp(p, out=p)
    p /= _sum(p, axis)
    if np.isneginf(m).any():
        np.copyto(p, np.nan, where=np.isneginf(m))
    return p


def _log_softmax_core(z: FloatArray, axis: int, temperature: float) -> FloatArray:
    shifted, m, top = _shift(z, axis)
    out = _scale(shifted, temperature)
    out -= _log_rest(out, top, axis)
    if np.isneginf(m).any():
        np.copyto(out, np.nan, where=np.isneginf(m))
    return out


def _softmax_rows(eta: NDArray[np.float64]) -> NDArray[np.float64]:
    """Softmax of each row of a 2-D float64 array. No validation; same conventions as softmax."""
    return cast(NDArray[np.float64], _softmax_core(eta, 1, 1.0))  # float64 in, float64 out


def _log_softmax_rows(eta: NDArray[np.float64]) -> NDArray[np.float64]:
    """Log-softmax of each row of a 2-D float64 array. No validation; see log_softmax."""
    return cast(NDArray[np.float64], _log_softmax_core(eta, 1, 1.0))


def _softmax_columns_at(eta: NDArray[np.float64], codes: NDArray[np.intp]) -> NDArray[np.float64]:
    """In place: each column of the finite ``(K, m)`` array ``eta`` becomes its softmax.

    Returns ``log p[codes[i], i]`` for every column ``i``, computed as ``log_softmax`` is
    (max-subtraction, the maximal term left out of the sum and added back with ``log1p``).
    One pass for the multinomial engine, which needs both and holds levels in rows.
    """
    m = eta.shape[1]
    cols = np.arange(m)
    top = np.argmax(eta, axis=0)
    eta -= eta[top, cols]
    log_p = eta[codes, cols]
    with np.errstate(under="ignore"):
        np.exp(eta, out=eta)
    eta[top, cols] = 0.0
    rest = _sum(eta, 0)[0]
    eta[top, cols] = 1.0
    log_p -= np.log1p(rest)
    rest += 1.0
    eta /= rest
    return log_p


def _sigmoid_fast(x: FloatArray) -> FloatArray:
    """``1 / (1 + exp(-x))`` for a floating ndarray; no validation, ``x`` is not modified.

    Uses ``e = exp(-|x|)`` once: ``1 / (1 + e)`` where ``x >= 0`` and ``e / (1 + e)`` elsewhere, so
    nothing overflows and small probabilities keep full relative accuracy.
    """
    e = np.abs(x, out=np.empty_like(x))
    np.negative(e, out=e)
    with np.errstate(under="ignore"):
        np.exp(e, out=e)
    denominator = e + 1.0
    np.divide(e, denominator, out=e)
    np.divide(1.0, denominator, out=e, where=x >= 0)
    return e


def _log_sigmoid_fast(x: FloatArray) -> FloatArray:
    """``-log1p(exp(-x))`` for a floating ndarray; no validation, ``x`` is not modified.

    Computed as ``min(x, 0) - log1p(exp(-|x|))``: exact to rounding for every finite ``x``.
    """
    e = np.abs(x, out=np.empty_like(x))
    np.negative(e, out=e)
    with np.errstate(under="ignore"):
        np.exp(e, out=e)
    np.log1p(e, out=e)
    out = np.minimum(x, 0.0, out=np.empty_like(x))
    out -= e
    return out


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


def softmax(scores: ArrayLike, axis: int = -1, *, temperature: float = 1.0) -> FloatArray:
    r"""Softmax of ``scores`` along ``axis``: non-negative probabilities that sum to 1.

    Parameters
    ----------
    scores : array_like
        Real scores (logits) of any shape: a list, tuple or ndarray. float32 and float64 keep their
        precision; integers and booleans are computed in float64.
    axis : int, default -1
        The axis whose entries form one distribution.
    temperature : float, default 1.0
        Finite number > 0 that divides the scores. Below 1 sharpens the distribution (more
        confident), above 1 flattens it (less confident).

    Returns
    -------
    ndarray
        Same shape as ``scores`` (a 0-d array for a scalar), in the input's float precision.

    Raises
    ------
    LogitstatsError
        If ``scores`` is not numeric, ``axis`` is out of range, or ``temperature`` is not a finite
        number > 0.

    Notes
    -----
    .. math:: \operatorname{softmax}(x)_i = \frac{\exp((x_i - m)/T)}{\sum_j \exp((x_j - m)/T)},
              \quad m = \max_j x_j .

    Subtracting the maximum ``m`` makes the largest term ``exp(0) = 1``, so nothing overflows even
    for finite scores of ``+-1e308``; entries far below the maximum underflow to exactly 0 (use
    :func:`log_softmax` when their size matters). Per slice along ``axis``:

    - a ``-inf`` score gets probability exactly 0;
    - ``+inf`` scores take all the mass, shared equally among them (one ``+inf`` gives a one-hot
      slice; the finite and ``-inf`` entries get 0);
    - a slice that is all ``-inf`` (e.g. every category masked out) gives no category any mass,
      so it has no distribution and is all NaN. (Tied ``+inf`` scores instead share equally,
      like any tie of equal scores.);
    - a NaN anywhere in a slice makes that whole slice NaN; other slices are unaffected;
    - empty input gives an empty result of the same shape; a scalar gives 1.0 (NaN for NaN or
      ``-inf``).

    Examples
    --------
    >>> softmax([8, 5, 2])
    array([0.95033021, 0.04731416, 0.00235563])
    >>> softmax([8, 5, 2], temperature=3.0)  # dividing the logits: less confident
    array([0.66524096, 0.24472847, 0.09003057])
    >>> softmax([[1.0, np.inf, np.inf], [1e308, -1e308, 0.0]])
    array([[0. , 0.5, 0.5],
           [1. , 0. , 0. ]])
    >>> softmax(np.array([1.0, 2.0], dtype=np.float32)).dtype
    dtype('float32')
    """
    z, ax, shape, t = _prepare(scores, axis, temperature)
    if z.size == 0:
        return np.empty(shape, dtype=z.dtype)
    return _softmax_core(z, ax, t).reshape(shape)


def log_softmax(scores: ArrayLike, axis: int = -1, *, temperature: float = 1.0) -> FloatArray:
    r"""Logarithm of :func:`softmax`, computed by log-sum-exp (never ``log(softmax(...))``).

    Parameters
    ----------
    scores : array_like
        Real scores (logits) of any shape; see :func:`softmax`.
    axis : int, default -1
        The axis whose entries form one distribution.
    temperature : float, default 1.0
        Finite number > 0 that divides the scores.

    Returns
    -------
    ndarray
        Same shape as ``scores``, in the input's float precision; every entry is ``<= 0``.

    Raises
    ------
    LogitstatsError
        If ``scores`` is not numeric, ``axis`` is out of range, or ``temperature`` is not a finite
        number > 0.

    Notes
    -----
    .. math:: \log \operatorname{softmax}(x)_i = y_i - \log\bigl(1 + \sum_{j \ne k} e^{y_j}\bigr),
              \quad y = (x - \max_j x_j)/T,\ k = \operatorname{argmax}_j x_j .

    The sum includes ``exp(0) = 1`` for the maximum, so the logarithm never sees 0 and stays
    finite where ``softmax`` underflows to 0: ``log_softmax([0, -1000])`` is ``[0, -1000]``, and
    ``log1p`` keeps the entry of a dominant score accurate (``-1.05e-20`` for ``[0, -46]``). Only
    when the difference from the maximum itself overflows (``-1e308`` next to ``1e308``) is the
    result ``-inf``. Per slice: ``-inf`` scores give ``-inf``; ``k`` entries of ``+inf`` give
    ``-log(k)`` and all other entries ``-inf``; an all ``-inf`` slice or a slice with a NaN is all
    NaN; empty input gives an empty result; a scalar gives 0.0.

    Examples
    --------
    >>> log_softmax([8, 5, 2])
    array([-0.05094576, -3.05094576, -6.05094576])
    >>> log_softmax([0.0, -1000.0])  # softmax underflows to 0 here; log_softmax does not
    array([    0., -1000.])
    """
    z, ax, shape, t = _prepare(scores, axis, temperature)
    if z.size == 0:
        return np.empty(shape, dtype=z.dtype)
    return _log_softmax_core(z, ax, t).reshape(shape)


def logsumexp(scores: ArrayLike, axis: int = -1) -> FloatArray:
    r"""``log(sum(exp(scores)))`` along ``axis``, without overflow or underflow.

    Parameters
    ----------
    scores : array_like
        Real scores of any shape; float32 and float64 keep their precision, integers become
        float64.
    axis : int, default -1
        The axis to reduce; it is removed from the result (``keepdims=False``).

    Returns
    -------
    ndarray
        ``scores``' shape without ``axis`` (0-d for a 1-D or scalar input).

    Raises
    ------
    LogitstatsError
        If ``scores`` is not numeric or ``axis`` is out of range.

    Notes
    -----
    .. math:: \operatorname{logsumexp}(x) = m + \log\bigl(1 + \sum_{j \ne k} e^{x_j - m}\bigr),
              \quad m = x_k = \max_j x_j .

    Exact to rounding for finite scores up to ``+-1.8e308``. A slice containing ``+inf`` gives
    ``+inf``; an all ``-inf`` slice gives ``-inf`` (the log of an empty sum, as does a zero-length
    axis); a slice containing a NaN gives NaN.

    Examples
    --------
    >>> logsumexp([1000.0, 1000.0])  # 1000 + log(2); exp(1000) alone would overflow
    array(1000.69314718)
    >>> logsumexp([1e308, 1e308])  # log(2) is below the rounding unit of 1e308
    array(1.e+308)
    >>> logsumexp([[0.0, -np.inf], [-np.inf, -np.inf]])
    array([  0., -inf])
    """
    z, ax, shape, _ = _prepare(scores, axis, 1.0)
    out_shape = shape[:ax] + shape[ax + 1 :]
    if z.size == 0:
        return np.full(out_shape, -np.inf, dtype=z.dtype)
    shifted, m, top = _shift(z, ax)
    result = m + _log_rest(shifted, top, ax)
    # an all -inf slice: m = -inf and the shifted slice is all 0, so -inf + log(n) = -inf already
    return result.reshape(out_shape)


def sigmoid(x: ArrayLike, *, temperature: float = 1.0) -> FloatArray:
    r"""Logistic function ``1 / (1 + exp(-x / temperature))``: the two-class softmax.

    Parameters
    ----------
    x : array_like
        Real log-odds of any shape; float32 and float64 keep their precision, integers become
        float64.
    temperature : float, default 1.0
        Finite number > 0 that divides ``x``.

    Returns
    -------
    ndarray
        Same shape as ``x``; probabilities in ``[0, 1]``.

    Raises
    ------
    LogitstatsError
        If ``x`` is not numeric or ``temperature`` is not a finite number > 0.

    Notes
    -----
    ``sigmoid(x) = softmax([x, 0])[0]``. With :math:`e = \exp(-|x|)` (never overflows),

    .. math:: \sigma(x) = \frac{1}{1 + e} \ (x \ge 0), \qquad
              \sigma(x) = \frac{e}{1 + e} \ (x < 0),

    so small probabilities keep full relative accuracy and ``sigmoid(-x) = 1 - sigmoid(x)`` to
    rounding. ``sigmoid(+inf) = 1``, ``sigmoid(-inf) = 0``, NaN stays NaN (elementwise).

    Examples
    --------
    >>> sigmoid([-800.0, -2.0, 0.0, 2.0, np.inf])
    array([0.        , 0.11920292, 0.5       , 0.88079708, 1.        ])
    """
    z = _as_float_array(x, "x")
    return _sigmoid_fast(np.asarray(_scale(z, _check_temperature(temperature))))


def log_sigmoid(x: ArrayLike, *, temperature: float = 1.0) -> FloatArray:
    r"""Logarithm of :func:`sigmoid`, ``-log1p(exp(-x / temperature))``, computed stably.

    Parameters
    ----------
    x : array_like
        Real log-odds of any shape; float32 and float64 keep their precision, integers become
        float64.
    temperature : float, default 1.0
        Finite number > 0 that divides ``x``.

    Returns
    -------
    ndarray
        Same shape as ``x``; values ``<= 0``.

    Raises
    ------
    LogitstatsError
        If ``x`` is not numeric or ``temperature`` is not a finite number > 0.

    Notes
    -----
    ``log_sigmoid(x) = log_softmax([x, 0])[0]``, computed as

    .. math:: \log \sigma(x) = \min(x, 0) - \operatorname{log1p}(e^{-|x|}),

    which is finite and accurate for every finite ``x``: ``log_sigmoid(-800) = -800`` where
    ``log(sigmoid(-800))`` is ``-inf``, and ``log_sigmoid(40) = -4.25e-18``, not 0.
    ``log_sigmoid(+inf) = 0``, ``log_sigmoid(-inf) = -inf``, NaN stays NaN (elementwise).
    Note ``log(1 - sigmoid(x)) = log_sigmoid(-x)``.

    Examples
    --------
    >>> log_sigmoid([-800.0, 0.0, 40.0])
    array([-8.00000000e+02, -6.93147181e-01, -4.24835426e-18])
    """
    z = _as_float_array(x, "x")
    return _log_sigmoid_fast(np.asarray(_scale(z, _check_temperature(temperature))))

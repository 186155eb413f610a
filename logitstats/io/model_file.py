"""JSON model files, schema ``logitstats.model/1``: ``fit.save(path)`` and ``ls.load(path)``.

A model file is one JSON document (UTF-8, strict JSON: no ``NaN`` tokens)::

    {"schema": "logitstats.model/1",
     "checksum": {"algorithm": "sha256", "value": "<hex>"},
     "content": {...}}

``checksum.value`` is the SHA-256 of the canonical JSON of ``content`` (keys sorted, no
whitespace, :func:`canonical_json`), so any edit of the content is detected. Floats are written
with Python's shortest round-trip ``repr`` (what :mod:`json` writes), so they read back bit for
bit; non-finite numbers of the derived statistics are the strings ``"NaN"``, ``"Infinity"`` and
``"-Infinity"``; ints stay ints. The fields of ``content`` are listed in the README ("Model
files") and in :func:`model_content`.

Reading executes nothing: the document is parsed by :func:`json.loads`, its checksum and shapes
are checked, and the formula's factors pass the allow-list of
:mod:`logitstats.design.formula` (through :meth:`ModelSpec.from_dict`) before any is compiled.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from logitstats.errors import ModelFileError
from logitstats.options import Estimator

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = [
    "MODEL_SCHEMA",
    "MAX_MODEL_FILE_BYTES",
    "canonical_json",
    "data_fingerprint",
    "model_content",
    "model_document",
    "read_content",
    "save_model",
]

MODEL_SCHEMA = "logitstats.model/1"
# A model file holds p x p matrices (p parameters): 64 MiB is ~1400 parameters' covariance,
# information and score in JSON; a larger file is refused before it is parsed.
MAX_MODEL_FILE_BYTES = 64 * 2**20
_NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_VERSIONED = ("logitstats", "numpy", "scipy", "pandas", "patsy")


# --------------------------------------------------------------------------- numbers


def num(x: Any) -> float | str:
    """A float as JSON holds it: itself if finite, else ``"NaN"``/``"Infinity"``/``"-Infinity"``."""
    x = float(x)
    if math.isfinite(x):
        return x
    return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")


def nums(a: Any) -> list[Any]:
    """An array as nested lists of :func:`num` (shape kept)."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 0:
        return num(arr)  # type: ignore[return-value]
    return [nums(v) if arr.ndim > 1 else num(v) for v in arr]


def canonical_json(content: Any) -> str:
    """The canonical JSON of ``content``: keys sorted, no whitespace, strict (no NaN tokens)."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _checksum(content: Any) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def data_fingerprint(
    X: np.ndarray, y: np.ndarray, weights: np.ndarray | None, offset: np.ndarray | None
) -> str:
    """SHA-256 of the fitted arrays (shape, X, y, weights, offset): which rows a fit used.

    ``ls.load(path, data=...)`` rebuilds the design from ``data`` and compares this with the
    fingerprint stored in the file, so the training data given again is the data of the fit.
    """
    h = hashlib.sha256(repr(tuple(X.shape)).encode())
    h.update(np.ascontiguousarray(X, dtype=np.float64).tobytes())
    dtype = np.float64 if y.dtype.kind == "f" else np.int64
    h.update(np.ascontiguousarray(y, dtype=dtype).tobytes())
    for a in (weights, offset):
        h.update(b"-" if a is None else np.ascontiguousarray(a, dtype=np.float64).tobytes())
    return h.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            out[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
            out[name] = "unknown"
    return out


def _plain(value: Any) -> Any:
    """A label (outcome level, column name) as a JSON scalar."""
    value = value.item() if isinstance(value, np.generic) else value
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


# --------------------------------------------------------------------------- writing


def _state(state: Any) -> dict[str, Any]:
    return {
        "params": nums(state.params),
        "loglik": num(state.loglik),
        "score": nums(state.score),
        "information": nums(state.information),
        "n_iter": int(state.n_iter),
        "converged": bool(state.converged),
        "message": str(state.message),
    }


def _derived(result: FitResult) -> dict[str, Any]:
    """What the loaded model shows without the training data: glance's data-dependent columns
    and, for Firth fits, the 95% profile penalized-likelihood CIs, penalized LR tests and the
    penalized LR statistic (the summary's defaults); profile CIs already computed are kept."""
    if result.estimator is Estimator.FIRTH:
        result.conf_int(0.95, "profile")
        result.penalized_lr_test()  # type: ignore[attr-defined]
        _ = result.lr_stat
    out: dict[str, Any] = {
        "glance_extra": {k: num(v) for k, v in result._glance_extra().items()},
        "profile_ci": [
            {"level": key[1], "low": nums(val[0]), "high": nums(val[1])}
            for key, val in result._cache.items()
            if isinstance(key, tuple) and key[0] == "profile_ci"
        ],
    }
    plr = result._cache.get(("penalized_lr_test",))
    if plr is not None:
        out["penalized_lr_test"] = {"statistic": nums(plr.statistic), "p_value": nums(plr.p_value)}
    if ("penalized_lr_null",) in result._cache:
        out["penalized_lr_stat"] = num(result._cache[("penalized_lr_null",)])
    return out


def model_content(result: FitResult) -> dict[str, Any]:
    """The ``content`` of a model file (every field is listed in the README, "Model files").

    Raises
    ------
    ModelFileError
        The estimates or their covariance are not finite (nothing usable to save).
    """
    d, state = result.design, result.state
    for name, arr in (("estimates", state.params), ("covariance", result.cov_array)):
        if not np.isfinite(arr).all():
            raise ModelFileError(
                f"save: the {name} of this fit are not all finite; expected finite numbers; "
                "got NaN or inf. Refit (e.g. with firth=True under separation) before saving"
            )
    sep = result.separation
    rows = d.rows
    fingerprint = None
    if getattr(d, "X", None) is not None:
        fingerprint = data_fingerprint(d.X, d.y, d.weights, d.offset)
    else:  # a loaded model saved again keeps the fingerprint it was loaded with
        fingerprint = getattr(d, "fingerprint", None)
    return {
        "kind": d.kind,
        "estimator": result.estimator.name.lower(),
        "spec": result.spec.to_dict(),
        "design": {
            "formula": d.formula,
            "outcome": d.outcome,
            "data_name": d.data_name,
            "columns_used": list(d.columns_used),
            "term_slices": [[name, sl.start, sl.stop] for name, sl in d.term_slices],
            "aliased": list(d.aliased),
            "aliased_reasons": list(d.aliased_reasons),
            "offset_column": d.offset_column,
            "has_offset": bool(_has(d, "offset")),
            "has_weights": bool(_has(d, "weights")),
            "nobs": num(d.nobs),
            "rows": {
                "n_rows": int(rows.n_rows),
                "n_used": int(rows.n_used),
                "n_dropped": int(rows.n_dropped),
                "dropped_by_column": [[str(c), int(k)] for c, k in rows.dropped_by_column],
            },
            "fingerprint": fingerprint,
        },
        "params": nums(state.params),
        "cov": {"type": result.cov_type.value, "matrix": nums(result.cov_array)},
        "state": _state(state),
        "null_state": _state(result.null_state),
        "separation": None
        if sep is None
        else {
            "status": sep.status.value,
            "terms": list(sep.terms),
            "outcomes": [[_plain(o), list(t)] for o, t in sep.outcomes],
            "n_separated": int(sep.n_separated),
            "method": sep.method,
        },
        "firth": None
        if result.firth is None
        else {"penalized_loglik": num(result.firth.penalized_loglik)},
        "notes": list(result.notes),
        "derived": _derived(result),
        "versions": _versions(),
    }


def _has(design: Any, name: str) -> bool:
    if getattr(design, name, None) is not None:
        return True
    return bool(getattr(design, f"has_{name}", False))


def model_document(result: FitResult) -> dict[str, Any]:
    """The whole document: schema, checksum of the content, content."""
    content = model_content(result)
    return {
        "schema": MODEL_SCHEMA,
        "checksum": {"algorithm": "sha256", "value": _checksum(content)},
        "content": content,
    }


def save_model(result: FitResult, path: str | os.PathLike[str]) -> Path:
    """Write ``result`` as a ``logitstats.model/1`` JSON file at ``path`` (see the module notes).

    The file is written to a temporary name beside ``path`` and renamed, so a crash never leaves
    a half-written model file. Returns the path.
    """
    target = Path(path)
    text = json.dumps(model_document(result), indent=1, allow_nan=False) + "\n"
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return target


# --------------------------------------------------------------------------- reading


def _refuse_constant(token: str) -> Any:
    raise ModelFileError(
        f"model file: expected strict JSON numbers; got the token {token!r} (a logitstats model "
        "file writes non-finite numbers as strings); the file was not written by logitstats"
    )


def read_content(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The checked ``content`` of the model file at ``path`` (schema and checksum verified).

    Raises
    ------
    ModelFileError
        Not readable, too large, not JSON, an unknown schema, or a checksum mismatch.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ModelFileError(f"model file {str(p)!r}: cannot be read ({exc.strerror})") from None
    if size > MAX_MODEL_FILE_BYTES:
        raise ModelFileError(
            f"model file {str(p)!r}: expected at most {MAX_MODEL_FILE_BYTES} bytes; got {size}; "
            "this is not a logitstats model file"
        )
    try:
        doc = json.loads(p.read_bytes().decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(
            f"model file {str(p)!r}: expected a JSON document; got invalid JSON ({exc}); "
            "pass a file written by fit.save()"
        ) from None
    if not isinstance(doc, dict):
        raise ModelFileError(
            f"model file {str(p)!r}: expected a JSON object; got {type(doc).__name__}"
        )
    schema = doc.get("schema")
    if schema != MODEL_SCHEMA:
        raise ModelFileError(
            f"model file {str(p)!r}: expected schema {MODEL_SCHEMA!r}; got {schema!r}; a file "
            "of another schema version needs the logitstats version that wrote it (or newer)"
        )
    content, checksum = doc.get("content"), doc.get("checksum")
    if not isinstance(content, dict) or not isinstance(checksum, dict):
        raise ModelFileError(
            f"model file {str(p)!r}: expected the objects 'content' and 'checksum'; got "
            f"{type(content).__name__} and {type(checksum).__name__}"
        )
    if checksum.get("algorithm") != "sha256" or checksum.get("value") != _checksum(content):
        raise ModelFileError(
            f"model file {str(p)!r}: checksum mismatch: expected the sha256 of the content to be "
            f"{checksum.get('value')!r}; got {_checksum(content)!r}. The file was altered or "
            "damaged after it was written: save the model again"
        )
    return content


def unnum(value: Any, what: str) -> float:
    """A number of a model file (:func:`num`'s inverse), or ModelFileError naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ModelFileError(f"model file: {what} expected a number; got {value!r}")
    if isinstance(value, str):
        if value not in _NONFINITE:
            raise ModelFileError(f"model file: {what} expected a number; got {value!r}")
        return _NONFINITE[value]
    return float(value)


def unnums(value: Any, what: str, shape: tuple[int, ...]) -> np.ndarray:
    """An array of ``shape`` from nested lists of :func:`num`, or ModelFileError."""
    try:
        arr = np.array(value, dtype=object)
    except ValueError:
        arr = None
    if arr is None or arr.shape != shape:
        got = None if arr is None else arr.shape
        raise ModelFileError(
            f"model file: {what} expected shape {shape}; got {got}; the file is inconsistent "
            "with its model specification"
        )
    flat = [unnum(v, what) for v in arr.ravel().tolist()]
    return np.array(flat, dtype=np.float64).reshape(shape)

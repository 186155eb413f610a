"""Model files (JSON schema ``logitstats.model/1``): :func:`load` and :func:`save`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logitstats.io.model_file import MODEL_SCHEMA, read_content, save_model

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["MODEL_SCHEMA", "load", "save"]


def save(result: FitResult, path: str | os.PathLike[str]) -> Path:
    """Write ``result`` as a JSON model file (``fit.save(path)``); returns the path."""
    return save_model(result, path)


def load(
    path: str | os.PathLike[str],
    data: Any = None,
    *,
    weights: Any = None,
    offset: Any = None,
    groups: Any = None,
    functions: Mapping[str, Any] | None = None,
) -> FitResult:
    """Read a model file written by ``fit.save(path)``; nothing in it is executed.

    Parameters
    ----------
    path : str or path-like
        A ``logitstats.model/1`` JSON file.
    data : DataFrame, optional
        The training data. Without it the result is a
        :class:`~logitstats.io.loaded.LoadedLogitResult` /
        :class:`~logitstats.io.loaded.LoadedMLogitResult` /
        :class:`~logitstats.io.loaded.LoadedOLogitResult`: ``tidy``, ``glance``, ``summary``,
        ``conf_int`` (Wald), ``predict(newdata, ...)``, ``wald_test`` equal the original fit's;
        what needs the training rows (fitted values, residuals, diagnostics, LR ``anova``,
        profile intervals not stored, report figures) raises
        :class:`~logitstats.errors.ModelFileError`. With it the design is rebuilt, checked
        against the stored row count and fingerprint, and a full
        :class:`~logitstats.results.LogitResult` / :class:`~logitstats.results.MLogitResult` /
        :class:`~logitstats.results.OLogitResult` is returned.
    weights, offset, groups :
        As given to the fit (with ``data``); an offset column is taken from the file.
    functions : mapping of str to callable, optional
        The user's functions the formula calls (a file holds their names, never code).

    Returns
    -------
    FitResult

    Raises
    ------
    ModelFileError
        Unknown schema, bad checksum, malformed content, wrong shapes, non-finite estimates, a
        formula refused by the allow-list, or ``data`` that is not the training data.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import logitstats as ls
    >>> df = ls.datasets.load("spector")
    >>> fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=df)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.json"
    >>> _ = fit.save(path)
    >>> loaded = ls.load(path)
    >>> bool((loaded.predict(df) == fit.predict(df)).all())
    True
    """
    from logitstats.io.loaded import result_from_content

    content = read_content(path)
    return result_from_content(
        content, data, weights=weights, offset=offset, groups=groups, functions=functions
    )

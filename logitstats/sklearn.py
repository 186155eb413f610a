"""A scikit-learn classifier backed by ``ls.logit`` / ``ls.mlogit``, with the full inference.

:class:`LogitClassifier` is an **unpenalized** maximum-likelihood (or Firth) logistic regression,
unlike scikit-learn's ``LogisticRegression`` whose default is an L2 penalty (``C=1.0``): its
coefficients are those of R's ``glm`` / ``nnet::multinom``, and ``.result_`` is the fitted
:class:`~logitstats.LogitResult` (two classes) or :class:`~logitstats.MLogitResult` (more),
with standard errors, tests, intervals, ``summary()`` and ``report()``.

scikit-learn is an optional dependency: ``pip install "logitstats[sklearn]"``.

Examples
--------
>>> import logitstats as ls
>>> from logitstats.sklearn import LogitClassifier
>>> df = ls.datasets.load("spector")
>>> clf = LogitClassifier().fit(df[["GPA", "TUCE", "PSI"]], df["GRADE"])
>>> clf.classes_.tolist(), clf.predict_proba(df[["GPA", "TUCE", "PSI"]]).shape
([0, 1], (32, 2))
>>> round(float(clf.result_.params["GPA"]), 4)  # the same estimate as ls.logit
2.8261
>>> clf = LogitClassifier("~ GPA + C(PSI)").fit(df, df["GRADE"])
>>> list(clf.result_.params.index)
['Intercept', 'C(PSI)[T.1]', 'GPA']
"""

from __future__ import annotations

import keyword
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from logitstats.errors import FormulaError, LogitstatsError
from logitstats.results import LogitResult, MLogitResult

try:
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.validation import (
        _check_sample_weight,
        check_is_fitted,
        validate_data,
    )
except ImportError as exc:  # pragma: no cover - exercised by a test that hides sklearn
    raise ImportError(
        "logitstats.sklearn needs scikit-learn >= 1.6, an optional dependency; got "
        f"ImportError: {exc}. Install it with: pip install 'logitstats[sklearn]'"
    ) from exc

__all__ = ["LogitClassifier"]

_OUTCOME = "y"


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _feature_names(names: Sequence[Any] | None, n: int) -> list[str]:
    """Formula names of the columns of X: the DataFrame's column names if every one is a
    Python identifier (and not the outcome's name), else ``x0, x1, ...``."""
    if names is not None and all(
        isinstance(c, str) and c.isidentifier() and not keyword.iskeyword(c) and c != _OUTCOME
        for c in names
    ):
        return [str(c) for c in names]
    return [f"x{i}" for i in range(n)]


class LogitClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression (binary, or multinomial when ``y`` has more than two classes) as a
    scikit-learn estimator, exposing the full inferential result as ``result_``.

    Parameters
    ----------
    formula : str, optional
        Right-hand side of a patsy formula evaluated on ``X`` (which must then be a table with
        named columns: pandas, polars, pyarrow, dict of columns), e.g. ``"~ age + C(race)"``;
        a left-hand side, if given, is ignored (the outcome is ``y``). None: every column of
        ``X`` additively with an intercept, named by the DataFrame's columns when they are
        identifiers, else ``x0, x1, ...``.
    firth : bool
        Firth bias-reduced (penalized) likelihood; binary outcomes only.
    cov_type : {"nonrobust", "HC0", "HC1"}
        Covariance of the estimates in ``result_`` (the predictions do not depend on it).
    tol : float
        Convergence tolerance of Newton's method (as ``ls.logit``).
    max_iter : int
        Most Newton iterations.

    Attributes
    ----------
    classes_ : ndarray
        The class labels, sorted; ``classes_[1]`` is the event of a binary fit and
        ``classes_[0]`` the reference level of a multinomial fit.
    result_ : LogitResult or MLogitResult
        The fitted model: ``params``, ``bse``, ``pvalues``, ``conf_int()``, ``summary()``, ...
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names.
    coef_ : ndarray, shape (1, n_features) or (n_classes, n_features)
        Slopes in scikit-learn's layout (without a formula only; multinomial: the reference
        class's row is 0).
    intercept_ : ndarray, shape (1,) or (n_classes,)
    n_iter_ : ndarray, shape (1,)
        Newton iterations of the fit.

    Notes
    -----
    Without a penalty the estimates do not exist when the classes are separable in the
    training data: the fit then warns (``SeparationWarning``) and its estimates diverge; use
    ``firth=True`` (binary) or sklearn's ``LogisticRegression`` for pure prediction. Rows with
    missing values are refused (``missing="raise"``), so outputs align with the rows of ``X``.
    ``sample_weight`` are frequency weights (a weight of 2 is the row twice).
    """

    def __init__(
        self,
        formula: str | None = None,
        *,
        firth: bool = False,
        cov_type: str = "nonrobust",
        tol: float = 1e-10,
        max_iter: int = 50,
    ) -> None:
        self.formula = formula
        self.firth = firth
        self.cov_type = cov_type
        self.tol = tol
        self.max_iter = max_iter

    # ------------------------------------------------------------------ input
    def _rhs(self) -> str:
        f = self.formula
        if not isinstance(f, str) or not f.strip():
            raise FormulaError(
                "formula must be None or the right-hand side of a formula such as "
                f"'~ age + C(race)'; got formula={f!r}"
            )
        rhs = f.split("~", 1)[1] if "~" in f else f
        if not rhs.strip():
            raise FormulaError(
                f"formula has an empty right-hand side; expected e.g. '~ age + C(race)'; got {f!r}"
            )
        return rhs.strip()

    def _frame(self, X: Any, *, reset: bool) -> tuple[pd.DataFrame, str]:
        """The data frame and right-hand side that ``ls.logit`` sees for ``X``."""
        if self.formula is not None:
            from logitstats.design.build import _as_frame

            rhs = self._rhs()
            frame = _as_frame(X)
            if reset:
                self.n_features_in_ = frame.shape[1]
                self.feature_names_in_ = np.asarray([str(c) for c in frame.columns], dtype=object)
            elif frame.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {frame.shape[1]} features, but LogitClassifier is expecting "
                    f"{self.n_features_in_} features as input"
                )
            if _OUTCOME in frame.columns:
                frame = frame.drop(columns=_OUTCOME)  # a new frame; the outcome is y
            return frame.reset_index(drop=True), rhs
        arr = validate_data(self, X, reset=reset, dtype="numeric")
        return self._array_frame(arr)

    def _array_frame(self, arr: np.ndarray) -> tuple[pd.DataFrame, str]:
        names = _feature_names(getattr(self, "feature_names_in_", None), arr.shape[1])
        frame = pd.DataFrame(np.asarray(arr, dtype=float), columns=names)
        return frame, " + ".join(names) if names else "1"

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LogitClassifier:
        """Fit the model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or a table when ``formula`` is set
        y : array-like of shape (n_samples,)
            Class labels (numbers, strings, booleans); two classes: ``ls.logit`` with the
            larger label as the event; more: ``ls.mlogit`` with the smallest as the reference.
        sample_weight : array-like of shape (n_samples,), optional
            Frequency weights.

        Returns
        -------
        LogitClassifier
            ``self``, fitted.

        Raises
        ------
        ValueError
            Fewer than two classes, or ``firth=True`` with more than two.
        """
        import logitstats as ls

        if self.formula is None:
            if hasattr(self, "feature_names_in_"):  # a refit on other data: forget old names
                del self.feature_names_in_
            X, y = validate_data(self, X, y, dtype="numeric")
            frame, rhs = self._array_frame(X)
        else:
            frame, rhs = self._frame(X, reset=True)
            y = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y)
            if y.ndim != 1 or y.shape[0] != frame.shape[0]:
                raise LogitstatsError(
                    f"y must hold one label per row of X ({frame.shape[0]}); got shape {y.shape}"
                )
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if self.classes_.size < 2:
            raise ValueError(
                "y must hold at least two classes; got 1 class "
                f"({_plain(self.classes_[0])!r}). Check the outcome"
            )
        if self.firth and self.classes_.size > 2:
            raise LogitstatsError(
                f"firth=True needs a binary outcome; got {self.classes_.size} classes. "
                "Use firth=False for a multinomial fit"
            )
        data = frame.assign(**{_OUTCOME: y})
        weights = None
        if sample_weight is not None:
            weights = _check_sample_weight(sample_weight, np.empty((frame.shape[0], 0)))
            present = np.unique(y[weights > 0])
            if present.size < 2:
                raise ValueError(
                    "y must hold at least two classes with a positive sample_weight; got "
                    f"{present.size} class(es) {[_plain(c) for c in present]}"
                )
        common: dict[str, Any] = {
            "weights": weights,
            "cov_type": self.cov_type,
            "missing": "raise",
            "tol": self.tol,
            "max_iter": self.max_iter,
            "data_name": "X",
        }
        formula = f"{_OUTCOME} ~ {rhs}"
        self.result_: LogitResult | MLogitResult
        if self.classes_.size == 2:
            self.result_ = ls.logit(
                formula, data, event=_plain(self.classes_[1]), firth=self.firth, **common
            )
        else:
            self.result_ = ls.mlogit(formula, data, reference=_plain(self.classes_[0]), **common)
        self.n_iter_ = np.array([self.result_.n_iter], dtype=np.int32)
        self._set_sklearn_coefficients()
        return self

    def _set_sklearn_coefficients(self) -> None:
        if self.formula is not None:
            return
        params = self.result_.params
        if isinstance(params, pd.DataFrame):
            # params columns: the non-reference levels in level order (labels may be strings)
            levels = list(self.result_.design.levels)
            ref = levels.index(self.result_.design.reference)
            full = np.insert(params.to_numpy(dtype=float), ref, 0.0, axis=1)  # terms x levels
            mat = full.T[self._level_positions()]
        else:
            mat = params.to_numpy(dtype=float)[None, :]
        slopes = [i for i, t in enumerate(params.index) if t != "Intercept"]
        icpt = list(params.index).index("Intercept")
        self.coef_ = mat[:, slopes]
        self.intercept_ = mat[:, icpt]

    def _level_positions(self) -> list[int]:
        levels = list(self.result_.design.levels)
        return [levels.index(_plain(c)) for c in self.classes_]

    # ------------------------------------------------------------------ predictions
    def _newdata(self, X: Any) -> pd.DataFrame:
        check_is_fitted(self, "result_")
        frame, _ = self._frame(X, reset=False)
        return frame

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), columns in ``classes_`` order."""
        frame = self._newdata(X)
        p = self.result_.predict(frame, kind="prob", missing="raise")
        if isinstance(p, pd.DataFrame):
            return np.asarray(p.to_numpy(dtype=float)[:, self._level_positions()])
        p1 = np.asarray(p, dtype=float)
        return np.column_stack([1.0 - p1, p1])

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log class probabilities (``log`` of :meth:`predict_proba`)."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def decision_function(self, X: Any) -> np.ndarray:
        """Linear predictors: binary, the log-odds of ``classes_[1]``, shape (n_samples,);
        multinomial, the log-odds of each class against ``classes_[0]``, shape
        (n_samples, n_classes), 0 in the reference column."""
        frame = self._newdata(X)
        eta = self.result_.predict(frame, kind="link", missing="raise")
        if isinstance(eta, pd.DataFrame):
            return np.asarray(eta.to_numpy(dtype=float)[:, self._level_positions()])
        return np.asarray(eta, dtype=float)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row (labels from ``classes_``)."""
        proba = self.predict_proba(X)
        return np.asarray(self.classes_[np.argmax(proba, axis=1)])

"""Typed containers that renderers take: the model header, report data and comparison data."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from logitstats.render.vocabulary import vocabulary


@dataclass(frozen=True)
class ModelHeader:
    """What a summary or report states about a fit, besides the tables.

    Every field is plain data (strings, numbers, booleans), already decided by the result object.
    """

    kind: str  # "binary" | "multinomial"
    method: str  # "maximum likelihood" | "Firth penalized likelihood"
    formula: str
    data_name: str
    outcome: str
    event: str | None  # binary: the value coded 1
    reference: str  # binary: the other value; multinomial: the baseline level
    levels: tuple[str, ...]
    nobs: float
    n_rows_used: int
    rows_note: str  # "no rows dropped" | "12 rows dropped: income 9, age 3"
    cov_type: str
    converged: bool
    n_iter: int
    separation: str = "not checked"
    notes: tuple[str, ...] = ()
    # the coefficient table's test: "z" (Wald z) or "chi-square" (penalized LR tests, Firth)
    statistic: str = "z"

    @property
    def title(self) -> str:
        return f"{vocabulary(self.kind).model} logistic regression, {self.method}"

    @property
    def outcome_line(self) -> str:
        return vocabulary(self.kind).outcome_line(self)


@dataclass(frozen=True)
class TermRow:
    """One row of a coefficient table: a model column (``term``, patsy's name, as in ``tidy``)
    or, with ``term=None`` and ``reference=True``, the reference level of a factor.

    ``label`` is what the table shows (``"rate_marriage: 2"``); ``group`` is the model term the
    row belongs to (``"C(rate_marriage)"``) and ``variable`` its variable (``"rate_marriage"``):
    both are names ``order=``, ``drop=`` and ``keep=`` accept.
    """

    term: str | None
    label: str
    group: str = ""
    variable: str = ""
    reference: bool = False


@dataclass(frozen=True)
class SummaryData:
    """What ``result.summary()`` shows: the header, the tidy table (exponentiated when
    ``exponentiate``) and the glance row."""

    header: ModelHeader
    tidy: pd.DataFrame
    glance: pd.DataFrame
    conf_level: float = 0.95
    exponentiate: bool = False


# --------------------------------------------------------------------------- report data
# Built once by :func:`logitstats.reporting.report.build_report`; every report renderer takes
# only this.


@dataclass(frozen=True)
class FigureData:
    """One figure of a report, already drawn: SVG text (HTML) and optionally PNG bytes (docx)."""

    name: str  # "forest" | "calibration" | "roc"
    title: str
    svg: str
    png: bytes | None = None


@dataclass(frozen=True)
class TermTests:
    """Per-term tests (``result.anova``): columns ``term, df, statistic, p_value``."""

    title: str  # e.g. "Type II likelihood-ratio tests (chi-square)"
    table: pd.DataFrame


@dataclass(frozen=True)
class DiagnosticsData:
    """Binary goodness-of-fit and discrimination diagnostics, as plain numbers and tables."""

    hl_statistic: float
    hl_df: float
    hl_p_value: float
    hl_table: pd.DataFrame  # group, n, observed_1, expected_1, observed_0, expected_0
    auc: float
    auc_std_error: float
    auc_conf_low: float
    auc_conf_high: float
    conf_level: float
    brier: float
    threshold: float
    confusion: pd.DataFrame  # 2 x 2, labelled rows and columns
    accuracy: float
    sensitivity: float
    specificity: float
    ppv: float
    npv: float


@dataclass(frozen=True)
class ReportData:
    """Everything a regression report shows; renderers are pure functions of this.

    ``exponentiate`` is None to show coefficients and ratios side by side, True for ratios
    only, False for coefficients only. ``tidy`` is on the link scale; ``tidy_exp`` holds the
    exponentiated table (odds ratios / relative-risk ratios) unless ``exponentiate`` is False.
    Sections whose data are None are left out.
    """

    header: ModelHeader
    title: str
    conf_level: float
    ci_method: str
    exponentiate: bool | None
    tidy: pd.DataFrame
    tidy_exp: pd.DataFrame | None
    glance: pd.DataFrame
    aliased: tuple[str, ...] = ()
    tests: TermTests | None = None
    diagnostics: DiagnosticsData | None = None
    figures: tuple[FigureData, ...] = ()
    timestamp: str | None = None
    rows: tuple[TermRow, ...] = ()  # display rows (labels, reference levels); () = raw terms


@dataclass(frozen=True)
class ComparisonData:
    """A multi-model table: per-model tidy and glance data (built by
    :func:`logitstats.reporting.compare`).

    ``interval`` is ``"std_error"`` (SEs in parentheses) or ``"conf_int"`` (``[low, high]``);
    ``layout`` ``"stacked"`` puts it under each estimate, ``"inline"`` in the estimate's cell
    (``1.23 [0.45, 2.01]``); ``stars`` adds * p < 0.05, ** p < 0.01, *** p < 0.001. ``rows``
    are the coefficient rows shown (labels, order, reference levels); ``groups`` holds each
    model's terms (a reference row shows "— (ref)" for the models that have its factor).
    ``cov_types`` and ``methods`` give the "SE type" and "Estimator" rows; ``notes`` are
    extra table notes (e.g. that the models use different rows).
    """

    kind: str  # "binary" | "multinomial"
    names: tuple[str, ...]
    formulas: tuple[str, ...]
    tidies: tuple[pd.DataFrame, ...]
    glances: tuple[pd.DataFrame, ...]
    title: str
    exponentiate: bool
    interval: str
    stars: bool
    conf_level: float
    reference: str | None = None  # multinomial: the common reference level
    layout: str = "stacked"  # "stacked" | "inline"
    ci_method: str = "wald"
    rows: tuple[TermRow, ...] = ()
    groups: tuple[frozenset[str], ...] = ()
    cov_types: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

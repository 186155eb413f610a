"""Regression reports: build the :class:`~logitstats.render.data.ReportData` once, render it.

:func:`build_report` is the only place that asks a fitted result for the numbers of a report
(header, tidy tables, glance, per-term tests, binary diagnostics, figures); the renderers in
:mod:`logitstats.render` are pure functions of what it returns, so every format shows the same
numbers. :func:`report` is what ``result.report(...)`` calls.

Examples
--------
>>> import logitstats as ls
>>> fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"),
...                data_name="spector")
>>> text = fit.report(figures=False)
>>> print(text.splitlines()[0])
Logistic regression: GRADE ~ GPA + TUCE + PSI
>>> "95 % CI" in text and "Hosmer–Lemeshow" in text
True
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path
from typing import Any

from logitstats.errors import LogitstatsError
from logitstats.options import (
    AnovaTest,
    AnovaType,
    CIMethod,
    Estimator,
    parse_anova_type,
    parse_bool,
    parse_int,
    parse_level,
    parse_option,
    parse_probability,
)
from logitstats.render import registry
from logitstats.render.data import DiagnosticsData, FigureData, ReportData, TermTests
from logitstats.render.vocabulary import vocabulary
from logitstats.reporting.labels import check_labels, term_rows

__all__ = ["build_report", "report", "render_report", "finish_output"]

_TEST_NAMES = {"lr": "likelihood-ratio", "wald": "Wald"}


def _check_exponentiate(exponentiate: Any) -> bool | None:
    if exponentiate is None or isinstance(exponentiate, bool):
        return exponentiate
    raise LogitstatsError(
        "exponentiate must be None (coefficients and ratios), True (ratios only) or False "
        f"(coefficients only); got exponentiate={exponentiate!r}"
    )


def _timestamp(timestamp: Any) -> str | None:
    if timestamp is None or timestamp is False:
        return None
    if timestamp is True:
        return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(timestamp, str):
        return timestamp
    raise LogitstatsError(
        f"timestamp must be None, True (now, UTC) or a string; got timestamp={timestamp!r}"
    )


def _tests(result: Any, anova_type: int, anova_test: str) -> TermTests | None:
    if not hasattr(result, "anova") or all(t == "Intercept" for t in result.layout.terms):
        return None  # an intercept-only model has no terms to test
    if result.estimator is not Estimator.ML and str(anova_test).lower() == "lr":
        return TermTests(
            "Penalized likelihood-ratio tests (chi-square), each term = 0, as logistf",
            result._penalized_term_tests(),
        )
    if "anova_lr" in getattr(result, "needs_all_rows", ()) and anova_test == "lr":
        anova_test = "wald"  # a distributed fit: LR tests need refits on every row
    table = result.anova(type=anova_type, test=anova_test)
    roman = {"2": "II", "3": "III"}.get(str(anova_type), str(anova_type))
    name = _TEST_NAMES.get(str(anova_test).lower(), str(anova_test))
    return TermTests(f"Type {roman} {name} tests (chi-square)", table)


def _diagnostics(
    result: Any, groups: int | None, threshold: float, conf_level: float
) -> DiagnosticsData | None:
    needed = ("hosmer_lemeshow", "roc_auc", "brier_score", "classification")
    if not all(hasattr(result, m) for m in needed):
        return None
    if set(needed) & set(getattr(result, "needs_all_rows", ())):
        return None  # a distributed fit: these need every fitted value in one place
    hl = result.hosmer_lemeshow(groups=groups)
    auc = result.roc_auc(conf_level=conf_level)
    cls = result.classification(threshold=threshold)
    return DiagnosticsData(
        hl_statistic=float(hl.statistic),
        hl_df=float(hl.df),
        hl_p_value=float(hl.p_value),
        hl_table=hl.table,
        auc=float(auc.auc),
        auc_std_error=float(auc.std_error),
        auc_conf_low=float(auc.conf_low),
        auc_conf_high=float(auc.conf_high),
        conf_level=float(auc.conf_level),
        brier=float(result.brier_score()),
        threshold=float(cls.threshold),
        confusion=cls.confusion,
        accuracy=float(cls.accuracy),
        sensitivity=float(cls.sensitivity),
        specificity=float(cls.specificity),
        ppv=float(cls.ppv),
        npv=float(cls.npv),
    )


def _figures(
    result: Any,
    data_exp: Any,
    kind: str,
    conf_level: float,
    bins: int | None,
    png: bool,
    diagnostics: DiagnosticsData | None,
    labels: dict[str, str],
) -> tuple[FigureData, ...]:
    from logitstats.reporting import plots

    ratio = vocabulary(kind).ratios.capitalize()
    made = [
        (
            "forest",
            f"{ratio} with {100 * conf_level:g} % confidence intervals (log scale)",
            plots.forest_from_tidy(
                data_exp,
                kind=kind,
                reference=str(result.design.reference),
                conf_level=conf_level,
                labels=labels,
            ),
        )
    ]
    unavailable = set(getattr(result, "needs_all_rows", ()))  # a distributed fit
    if hasattr(result, "calibration") and "calibration" not in unavailable:  # binary fits
        made.append(
            (
                "calibration",
                "Calibration: observed event rate by bin of predicted probability",
                plots.calibration_from_frame(result.calibration(bins=bins)),
            )
        )
    if hasattr(result, "roc_curve") and "roc_curve" not in unavailable:
        auc = diagnostics.auc if diagnostics is not None else None
        made.append(("roc", "ROC curve", plots.roc_from_curve(result.roc_curve(), auc)))
    return tuple(
        FigureData(name, title, plots.figure_svg(fig), plots.figure_png(fig) if png else None)
        for name, title, fig in made
    )


def build_report(
    result: Any,
    *,
    title: str | None = None,
    exponentiate: bool | None = None,
    ci_method: str | None = None,
    conf_level: float = 0.95,
    anova_type: int = 2,
    anova_test: str = "lr",
    groups: int | None = None,
    threshold: float = 0.5,
    bins: int | None = None,
    figures: bool = True,
    png: bool = False,
    timestamp: Any = None,
    labels: dict[str, str] | None = None,
) -> ReportData:
    """Collect everything a report shows from a fitted result (see :func:`report`).

    Returns
    -------
    ReportData
    """
    exponentiate = _check_exponentiate(exponentiate)
    if ci_method is not None:
        ci_method = parse_option(CIMethod, ci_method, "ci_method").value
    conf_level = parse_level(conf_level, "conf_level")
    anova_type = 2 if parse_anova_type(anova_type, "anova_type") is AnovaType.II else 3
    anova_test = parse_option(AnovaTest, anova_test, "anova_test").value
    groups = None if groups is None else parse_int(groups, "groups", minimum=3)
    threshold = parse_probability(threshold, "threshold")
    bins = None if bins is None else parse_int(bins, "bins", minimum=1)
    figures = parse_bool(figures, "figures")
    png = parse_bool(png, "png")
    label_map = check_labels(labels)
    if title is not None and not isinstance(title, str):
        raise LogitstatsError(f"title must be a string or None; got title={title!r}")
    table = result._inference_table(conf_level, False, ci_method)
    tidy = table.tidy
    rows = term_rows(result, label_map, [str(t) for t in dict.fromkeys(tidy["term"])])
    tidy_exp = result._inference_table(conf_level, True, ci_method).tidy
    header = result._header()
    header = replace(header, notes=(*header.notes, *table.notes), statistic=table.statistic)
    kind = header.kind
    tests = _tests(result, anova_type, anova_test)
    diagnostics = _diagnostics(result, groups, threshold, conf_level)
    shown = {r.term: r.label for r in rows if r.term is not None}
    figs = (
        _figures(result, tidy_exp, kind, conf_level, bins, png, diagnostics, shown)
        if figures
        else ()
    )
    return ReportData(
        header=header,
        title=f"Logistic regression: {header.formula}" if title is None else str(title),
        conf_level=float(conf_level),
        ci_method=table.ci_method,
        exponentiate=exponentiate,
        tidy=tidy,
        tidy_exp=None if exponentiate is False else tidy_exp,
        glance=result.glance(),
        aliased=tuple(getattr(result, "aliased", ())),
        tests=tests,
        diagnostics=diagnostics,
        figures=figs,
        timestamp=_timestamp(timestamp),
        rows=rows,
    )


def render_report(data: ReportData, format: str = "text") -> str | bytes:
    """Render report data in one format (text for all but ``"docx"``, which gives bytes)."""
    return registry.render_report(data, format)


def write_output(content: str | bytes, path: str | Path) -> None:
    """Write a rendered report or comparison (UTF-8 text, or bytes for docx)."""
    p = Path(path)
    try:
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise LogitstatsError(f"cannot write path={str(path)!r}: {exc}") from None


def finish_output(
    out: str | bytes, format: Any, path: str | Path | None, standalone: Any
) -> str | bytes:
    """A rendered report or comparison, made a standalone LaTeX document when asked, and
    written to ``path`` when given."""
    from logitstats.options import Format
    from logitstats.render.latex import standalone_document

    if parse_bool(standalone, "standalone"):
        if registry.format_spec(format).format is not Format.LATEX:
            raise LogitstatsError(
                "standalone=True applies to format='latex' only (a complete document); "
                f"got format={format!r}; drop standalone= or use format='latex'"
            )
        out = standalone_document(str(out))
    if path is not None:
        write_output(out, path)
    return out


def report(
    result: Any,
    format: str = "text",
    path: str | Path | None = None,
    *,
    title: str | None = None,
    exponentiate: bool | None = None,
    ci_method: str | None = None,
    conf_level: float = 0.95,
    anova_type: int = 2,
    anova_test: str = "lr",
    groups: int | None = None,
    threshold: float = 0.5,
    bins: int | None = None,
    figures: bool = True,
    timestamp: Any = None,
    labels: dict[str, str] | None = None,
    standalone: bool = False,
) -> str | bytes:
    """A full regression report of a fitted model.

    Parameters
    ----------
    result : LogitResult or MLogitResult
    format : {"text", "markdown", "html", "latex", "json", "docx"}
        ``"html"`` is one standalone file (inline CSS and SVG figures); ``"docx"`` needs
        python-docx (``pip install 'logitstats[docx]'``) and returns bytes.
    path : str or Path, optional
        Also write the report there.
    title : str, optional
        Default ``"Logistic regression: <formula>"``.
    exponentiate : bool or None
        None: coefficients and odds ratios (relative-risk ratios) side by side; True: ratios
        only (with delta-method SEs); False: coefficients only.
    ci_method : {None, "wald", "profile"}
        None: Wald intervals and z tests for maximum-likelihood fits; for Firth fits profile
        penalized-likelihood intervals with penalized likelihood-ratio chi-squares and
        p-values, as ``logistf`` (a note says so). ``"wald"`` on a Firth fit gives Wald
        intervals and z tests (as ``brglm2``'s ``summary``).
    conf_level : float
    anova_type, anova_test :
        Per-term tests, ``result.anova(type=anova_type, test=anova_test)``. For Firth fits
        ``anova_test="lr"`` gives penalized likelihood-ratio tests of each term's coefficients
        = 0 (the penalty of the full design, as ``logistf``'s ``drop1``; ``anova_type`` does
        not apply); ``"wald"`` gives Wald tests.
    groups, threshold, bins :
        Binary diagnostics: Hosmer–Lemeshow groups, classification threshold, calibration
        bins (groups and bins: at most the rows used; default 10, or the rows if fewer).
    figures : bool
        Draw the forest, calibration and ROC figures (matplotlib; HTML and docx only).
    timestamp : None, True or str
        Nothing is dated unless asked: True stamps the current UTC time, a string is shown
        as given.
    labels : dict, optional
        Display names of terms (``{"gpa": "GPA"}``; keys are patsy column names or factor
        variables), in the tables and the forest plot. Other terms show readable names
        (``C(rate_marriage)[T.2]`` as ``rate_marriage: 2``).
    standalone : bool
        LaTeX only: a complete document (compiles with pdflatex) instead of a fragment.

    Returns
    -------
    str, or bytes for ``"docx"``

    Notes
    -----
    Sections: model header (formula, data, rows used and dropped, event or reference level,
    covariance, convergence, separation), coefficients (estimate, SE, z, p and, by default,
    the odds ratio with its CI; a reference-level row per factor), fit statistics
    (``glance``), per-term tests (``anova``), binary diagnostics (Hosmer–Lemeshow, AUC with
    DeLong CI, Brier score, classification table) and figures. Every number is formatted
    once (:mod:`logitstats.render.document`), so all formats agree digit for digit.
    """
    spec = registry.format_spec(format)
    figures = parse_bool(figures, "figures")
    data = build_report(
        result,
        title=title,
        exponentiate=exponentiate,
        ci_method=ci_method,
        conf_level=conf_level,
        anova_type=anova_type,
        anova_test=anova_test,
        groups=groups,
        threshold=threshold,
        bins=bins,
        figures=figures and spec.figures is not None,
        png=spec.figures == "png",
        timestamp=timestamp,
        labels=labels,
    )
    return finish_output(spec.report(data), format, path, standalone)

"""Typed containers that renderers take: the model header (everything but the tables)."""

from __future__ import annotations

from dataclasses import dataclass


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

    @property
    def title(self) -> str:
        what = "Binary" if self.kind == "binary" else "Multinomial (baseline-category)"
        return f"{what} logistic regression, {self.method}"

    @property
    def outcome_line(self) -> str:
        if self.kind == "binary":
            return f"{self.outcome}; event = {self.event} (vs {self.reference})"
        return (
            f"{self.outcome}; reference level = {self.reference} (levels: {', '.join(self.levels)})"
        )

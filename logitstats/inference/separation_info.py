"""The verdict of a separation check: :class:`SeparationInfo` and how it was reached.

The checks themselves are in :mod:`logitstats.inference.separation_lp` (the linear program that
decides, and names the infinite estimates) and :mod:`logitstats.inference.separation_certificate`
(the exact screens that certify "no separation" without the LP); the math is in their notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "SeparationStatus",
    "SeparationInfo",
    "NOT_CHECKED",
    "LP_METHOD",
    "SCREEN_METHOD",
    "SCREEN_METHOD_MULTINOMIAL",
    "SCREEN_METHOD_FIRTH",
]

LP_METHOD = "linear program (Konis 2007), scipy.optimize.linprog (HiGHS)"
SCREEN_METHOD = "Stiemke certificate at the maximum-likelihood estimate (no LP needed)"
SCREEN_METHOD_MULTINOMIAL = (
    "Stiemke certificate per outcome against the reference, at the estimate (no LP needed)"
)
SCREEN_METHOD_FIRTH = "Stiemke certificate at the Firth estimate (no LP needed)"


class SeparationStatus(StrEnum):
    """Kind of separation found."""

    NONE = "none"
    QUASI = "quasi"
    COMPLETE = "complete"


@dataclass(frozen=True)
class SeparationInfo:
    """The outcome of a separation check.

    Attributes
    ----------
    status : {"none", "quasi", "complete"}
        ``"quasi"`` is quasi-complete separation.
    terms : tuple of str
        Design columns whose maximum-likelihood estimates are infinite (binary models).
        Multinomial models: the union over outcomes.
    outcomes : tuple of (outcome, tuple of str)
        Multinomial models: for each non-reference outcome separated from the reference, the
        columns with infinite estimates in that outcome's equation. Empty for binary models.
    n_separated : int
        Number of rows (distinct design rows counted with multiplicity) that a separating
        direction puts strictly on their own side.
    method : str
        How the status was established.
    """

    status: SeparationStatus
    terms: tuple[str, ...] = ()
    outcomes: tuple[tuple[object, tuple[str, ...]], ...] = ()
    n_separated: int = 0
    method: str = LP_METHOD

    @property
    def separated(self) -> bool:
        """True for complete or quasi-complete separation."""
        return self.status is not SeparationStatus.NONE

    def describe(self) -> str:
        """One line for summaries: ``'quasi-complete: infinite estimates for NV'``."""
        if not self.separated:
            return "none detected"
        kind = "complete" if self.status is SeparationStatus.COMPLETE else "quasi-complete"
        if self.outcomes:
            parts = "; ".join(f"outcome {o}: {', '.join(t)}" for o, t in self.outcomes)
            return f"{kind}: infinite maximum-likelihood estimates for {parts}"
        return f"{kind}: infinite maximum-likelihood estimates for {', '.join(self.terms)}"


NOT_CHECKED = "not checked"

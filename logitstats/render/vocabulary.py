"""What each kind of model calls its numbers: the one table of per-model wording.

Every summary, report, comparison and figure title asks :func:`vocabulary` for its words
(odds ratio or relative-risk ratio, OR or RRR, how the outcome is coded) instead of choosing them
from the model kind at the call site, so adding a kind of model (ordinal) adds one row here.

Examples
--------
>>> vocabulary("binary").ratio, vocabulary("multinomial").ratio_short
('odds ratio', 'RRR')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from logitstats.errors import LogitstatsError

if TYPE_CHECKING:
    from logitstats.render.data import ModelHeader

__all__ = ["Vocabulary", "VOCABULARY", "vocabulary"]


@dataclass(frozen=True)
class Vocabulary:
    """The words of one kind of model.

    Attributes
    ----------
    kind : str
        ``"binary"``, ``"multinomial"`` or ``"ordinal"`` (``Design.kind``).
    model : str
        Start of the summary title, e.g. ``"Binary"`` in "Binary logistic regression, ...".
    ratio : str
        The exponentiated coefficient, lower case and singular ("odds ratio").
    ratio_short : str
        Its abbreviation in column headers and notes ("OR").
    ratio_column : str
        Column header of the estimate when only ratios are shown ("Odds ratio").
    coefficients : str
        What the coefficients are, in comparison notes ("coefficients (log odds)").
    coded_by_event : bool
        True when the outcome is described by its event (the value coded 1) and the other
        value; False when by a reference level and the list of levels.
    coded_by_order : bool
        True when the outcome is described by its ordered levels (no reference level).
    """

    kind: str
    model: str
    ratio: str
    ratio_short: str
    ratio_column: str
    coefficients: str
    coded_by_event: bool
    coded_by_order: bool = False

    @property
    def ratios(self) -> str:
        """Plural of :attr:`ratio` ("odds ratios")."""
        return f"{self.ratio}s"

    def outcome_line(self, header: ModelHeader) -> str:
        """One line saying how the outcome is coded, for summaries."""
        if self.coded_by_event:
            return f"{header.outcome}; event = {header.event} (vs {header.reference})"
        if self.coded_by_order:
            return f"{header.outcome}; ordered levels: {' < '.join(header.levels)}"
        return (
            f"{header.outcome}; reference level = {header.reference} "
            f"(levels: {', '.join(header.levels)})"
        )

    def outcome_pairs(self, header: ModelHeader) -> list[tuple[str, str]]:
        """Label/value pairs saying how the outcome is coded, for report headers."""
        if self.coded_by_event:
            return [
                ("Outcome", header.outcome),
                ("Event (coded 1)", str(header.event)),
                ("Non-event", header.reference),
            ]
        if self.coded_by_order:
            return [("Outcome", header.outcome), ("Ordered levels", " < ".join(header.levels))]
        return [
            ("Outcome", header.outcome),
            ("Reference level", header.reference),
            ("Levels", ", ".join(header.levels)),
        ]


#: kind -> its words; the one place where the wording depends on the kind of model
VOCABULARY: dict[str, Vocabulary] = {
    "binary": Vocabulary(
        kind="binary",
        model="Binary",
        ratio="odds ratio",
        ratio_short="OR",
        ratio_column="Odds ratio",
        coefficients="coefficients (log odds)",
        coded_by_event=True,
    ),
    "multinomial": Vocabulary(
        kind="multinomial",
        model="Multinomial (baseline-category)",
        ratio="relative-risk ratio",
        ratio_short="RRR",
        ratio_column="RRR",
        coefficients="coefficients (log odds ratios vs reference)",
        coded_by_event=False,
    ),
    # proportional-odds results (round 2) read this row
    "ordinal": Vocabulary(
        kind="ordinal",
        model="Ordinal (proportional odds)",
        ratio="cumulative odds ratio",
        ratio_short="OR",
        ratio_column="Cumulative OR",
        coefficients="coefficients (log cumulative odds)",
        coded_by_event=False,
        coded_by_order=True,
    ),
}


def vocabulary(kind: str) -> Vocabulary:
    """The words of models of ``kind`` (``"binary"``, ``"multinomial"``, ``"ordinal"``).

    Raises
    ------
    LogitstatsError
        For any other kind.
    """
    try:
        return VOCABULARY[str(kind)]
    except KeyError:
        raise LogitstatsError(
            f"kind must be one of {', '.join(map(repr, VOCABULARY))}; got kind={kind!r} "
            "(add a row to logitstats.render.vocabulary.VOCABULARY for a new kind of model)"
        ) from None

"""Tables of effects (slopes, comparisons) as text or Markdown: pure functions of the tidy frame.

The frame is ``result.slopes(...)`` or ``result.comparisons(...)`` output: label columns
(``outcome``, ``term``, ``contrast``, ``by``, grid columns) followed by ``estimate, std_error,
statistic, p_value, conf_low, conf_high``. Every label is a user string and is escaped.
"""

from __future__ import annotations

import pandas as pd

from logitstats.render.escape import escape_markdown, escape_text
from logitstats.render.format import fmt_num, fmt_p, fmt_stat

__all__ = ["effects_text", "effects_markdown"]

_NUMBERS = ("estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high")


def _cells(table: pd.DataFrame, conf_level: float) -> tuple[list[str], list[list[str]], int]:
    labels = [c for c in table.columns if c not in _NUMBERS]
    lo = 100 * (1 - conf_level) / 2
    header = [*labels, "estimate", "std_error", "z", "p", f"{lo:g} %", f"{100 - lo:g} %"]
    rows = []
    for _, r in table.iterrows():
        rows.append(
            [str(r[c]) for c in labels]
            + [
                fmt_num(r["estimate"]),
                fmt_num(r["std_error"]),
                fmt_stat(r["statistic"]),
                fmt_p(r["p_value"]),
                fmt_num(r["conf_low"]),
                fmt_num(r["conf_high"]),
            ]
        )
    return header, rows, len(labels)


def effects_text(table: pd.DataFrame, title: str, *, conf_level: float = 0.95) -> str:
    """A titled plain-text table (labels left-aligned, numbers right-aligned).

    Examples
    --------
    >>> t = pd.DataFrame({"term": ["x"], "contrast": ["dY/dX"], "estimate": [0.1],
    ...                   "std_error": [0.05], "statistic": [2.0], "p_value": [0.0455],
    ...                   "conf_low": [0.002], "conf_high": [0.198]})
    >>> print(effects_text(t, "Average slopes"))
    Average slopes
    term  contrast  estimate  std_error     z      p   2.5 %  97.5 %
    x     dY/dX       0.1000     0.0500  2.00  0.045  0.0020  0.1980
    <BLANKLINE>
    """
    header, rows, n_labels = _cells(table, conf_level)
    rows = [[escape_text(c) if i < n_labels else c for i, c in enumerate(r)] for r in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(widths[i]) if i < n_labels else c.rjust(widths[i]) for i, c in enumerate(cells)
        ).rstrip()

    return "\n".join([escape_text(title), line(header), *(line(r) for r in rows)]) + "\n"


def effects_markdown(table: pd.DataFrame, title: str, *, conf_level: float = 0.95) -> str:
    """The same table as a GitHub-flavoured Markdown table under a ``###`` heading."""
    header, rows, n_labels = _cells(table, conf_level)
    rows = [[escape_markdown(c) if i < n_labels else c for i, c in enumerate(r)] for r in rows]
    align = ["---" if i < n_labels else "---:" for i in range(len(header))]
    out = [f"### {escape_markdown(title)}", "", "| " + " | ".join(header) + " |"]
    out += ["| " + " | ".join(align) + " |"] + ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out) + "\n"

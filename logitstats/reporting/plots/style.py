"""The house style of the figures and their byte-reproducible serialisation.

Every figure is drawn inside :func:`style` (matplotlib's defaults plus :data:`RC`) on a
:class:`matplotlib.figure.Figure` made without pyplot (no global state, no window). Names
(terms, outcome levels) are drawn as plain text, never parsed as mathtext or TeX: a level such as
``"$x$"`` shows its dollar signs (:data:`PLAIN_TEXT`), and control characters are shown as escapes
(:func:`plain`). :func:`figure_svg` and :func:`figure_png` serialise a figure byte-reproducibly
(fixed SVG hash salt, text kept as text, no date or software metadata).
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import Any

from logitstats.errors import LogitstatsError
from logitstats.render.escape import escape_text

#: matplotlib rc settings of every figure (and of its serialisation)
RC = {
    "svg.hashsalt": "logitstats",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "path.simplify": True,
}
#: the house colour of markers and lines
COLOR = "#1f4e79"

#: Text properties of every label made from user strings: no mathtext, no TeX.
PLAIN_TEXT = {"parse_math": False, "usetex": False}


def plain(name: Any) -> str:
    """A user string for a label drawn with ``PLAIN_TEXT``: control characters escaped."""
    return escape_text(name)


@contextmanager
def style() -> Any:
    """matplotlib's default style with :data:`RC`, for drawing and saving a figure."""
    import matplotlib as mpl
    import matplotlib.style

    # matplotlib's stubs key rc dicts by a Literal of every rc name; RC's keys are valid ones
    with mpl.style.context("default"), mpl.rc_context(RC):  # type: ignore[arg-type]
        yield


def new_figure(width: float, height: float) -> Any:
    """A figure of ``width`` x ``height`` inches with the constrained layout, without pyplot."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def require(result: Any, method: str) -> Any:
    """``result.method``, or an error saying that the plot needs a binary fit."""
    fn = getattr(result, method, None)
    if fn is None:
        raise LogitstatsError(
            f"{type(result).__name__} has no {method}(); this plot needs a binary fit "
            "(ls.logit) with diagnostics"
        )
    return fn


def figure_svg(fig: Any) -> str:
    """The figure as SVG text, byte-reproducible (fixed hash salt, no date/creator metadata)."""
    buf = io.StringIO()
    with style():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def figure_png(fig: Any, dpi: int = 150) -> bytes:
    """The figure as PNG bytes without software metadata."""
    from logitstats.options import parse_int

    dpi = parse_int(dpi, "dpi", minimum=1)
    buf = io.BytesIO()
    with style():
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()

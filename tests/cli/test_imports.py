"""``logitstats fit`` with text output loads only what it uses (checked in a fresh process)."""

from __future__ import annotations

import subprocess
import sys

#: modules a text-output fit on pandas data has no use for (renderers of other formats, plots,
#: the Dask path, the Firth fit)
UNUSED = (
    "logitstats.render.docx",
    "logitstats.render.html",
    "logitstats.render.latex",
    "logitstats.render.markdown",
    "logitstats.render.json",
    "logitstats.reporting.plots",
    "logitstats.fit.distributed",
    "logitstats.fit.firth",
    "dask",
    "matplotlib",
    "docx",
)

_WRAPPER = """
import contextlib, io, sys
from logitstats.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main({argv!r})
assert code == 0, code
assert "GPA" in out.getvalue(), out.getvalue()
print(*[m for m in {unused!r} if m in sys.modules or any(
    k.startswith(m + ".") for k in sys.modules)], "end")
"""


def _loaded_unused(argv: list[str]) -> list[str]:
    code = _WRAPPER.format(argv=argv, unused=UNUSED)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_fit_text_output_loads_no_other_renderer_plot_or_dask():
    assert _loaded_unused(["fit", "GRADE ~ GPA + TUCE + PSI", "--data", "spector"]) == ["end"]


def test_fit_markdown_output_loads_its_renderer_only():
    """The registry imports a format's module on its first use: markdown loads markdown."""
    got = _loaded_unused(
        ["fit", "GRADE ~ GPA + TUCE + PSI", "--data", "spector", "--format", "markdown"]
    )
    assert got == ["logitstats.render.markdown", "end"]

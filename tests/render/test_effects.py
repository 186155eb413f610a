"""Effects tables as text and Markdown: labels escaped, numbers formatted as everywhere else."""

from __future__ import annotations

import pandas as pd

from logitstats.render.effects import effects_markdown, effects_text


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": ["x\x1b[31m", "a|b"],
            "contrast": ["dY/dX", "*b* - a"],
            "estimate": [0.1, -2e-5],
            "std_error": [0.05, 1e-5],
            "statistic": [2.0, -2.0],
            "p_value": [0.0455, 0.0455],
            "conf_low": [0.002, -4e-5],
            "conf_high": [0.198, 0.0],
        }
    )


def test_text_escapes_control_characters_and_aligns_columns():
    out = effects_text(_table(), "Slopes\n", conf_level=0.9)
    lines = out.splitlines()
    assert lines[0] == "Slopes\\n"
    assert "\x1b" not in out and "x\\x1b[31m" in out
    assert "  5 %" in lines[1] and lines[1].endswith("95 %")
    end = lines[1].index("estimate") + len("estimate")  # numbers right-aligned under the header
    assert lines[2][:end].endswith("0.1000") and lines[3][:end].endswith("-2.000e-05")
    assert "-2.000e-05" in out


def test_markdown_escapes_pipes_and_emphasis():
    out = effects_markdown(_table(), "Slopes")
    assert out.startswith("### Slopes\n")
    row = [ln for ln in out.splitlines() if ln.startswith("| a")][0]
    assert "a\\|b" in row and "\\*b\\*" in row
    assert out.splitlines()[3].count("---:") == 6

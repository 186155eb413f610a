"""The HTML report in a real browser (headless Chromium): the DOM holds the coefficient table,
the hostile names are text, and no script ran.

Chromium comes from Debian (``apt-get install chromium``; ``.ci/run`` installs it). Without it
the test is skipped locally but FAILS under CI (``CI=true``), so CI cannot pass silently.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import logitstats as ls
from logitstats.reporting.report import build_report, render_report
from tests.report_cases import HOSTILE_COL, HOSTILE_TITLE, hostile_fit, parse_html

PAYLOAD = "<script>document.documentElement.setAttribute('data-pwned','1')</script>"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            "CI=true but no chromium on PATH: .ci/run must install it (apt-get install chromium)"
        )
    pytest.skip("chromium is not installed (apt-get install chromium)")


def _dump_dom(browser: str, page: Path, profile: Path) -> str:
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--dump-dom",
        page.as_uri(),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def test_dom_has_coefficients_and_no_script_ran(tmp_path):
    browser = _chromium()
    # control: this browser does run scripts in a page that has one, so "did not run" means
    # something below
    control = tmp_path / "control.html"
    control.write_text(f"<!DOCTYPE html><html><body>{PAYLOAD}</body></html>", encoding="utf-8")
    assert 'data-pwned="1"' in _dump_dom(browser, control, tmp_path / "profile1")

    data = build_report(hostile_fit(), title=f"Hostile {PAYLOAD}")
    page = tmp_path / "report.html"
    page.write_text(str(render_report(data, "html")), encoding="utf-8")
    dom = _dump_dom(browser, page, tmp_path / "profile2")
    assert 'data-pwned="1"' not in dom and '<html lang="en">' in dom
    p = parse_html(dom)
    assert "script" not in p.tags and "img" not in p.tags
    coef = p.tables["coefficients-table"]
    assert coef[0][:5] == ["Term", "Estimate", "Std. Error", "z", "p"]
    assert HOSTILE_COL in [r[0] for r in coef[1:]]  # the readable label of Q("...")
    assert p.tags.count("svg") == 3  # the inline figures survived parsing
    assert "<h1>Hostile &lt;script&gt;document" in dom  # the title is text, not an element


#: the tags a comparison page may hold (anything else came from a name)
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p"}
PAGE_TAGS |= {"section", "div", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"}
PAGE_TAGS |= {"footer"}


def test_comparison_dom_is_one_aligned_table(tmp_path):
    browser = _chromium()
    df = ls.datasets.load("affairs")
    rhs = "C(rate_marriage) + age + educ"
    fits = [
        ls.logit("had_affair ~ age + educ", df),
        ls.logit(f"had_affair ~ {rhs}", df, cov_type="HC1"),
        ls.logit(f"had_affair ~ {rhs}", df, firth=True),
    ]
    table = ls.compare(
        fits, names=["(1)", HOSTILE_TITLE, "<b>3</b>"], stars=True, labels={"age": PAYLOAD}
    )
    page = tmp_path / "comparison.html"
    page.write_text(str(table.render("html")), encoding="utf-8")
    dom = _dump_dom(browser, page, tmp_path / "profile")
    assert 'data-pwned="1"' not in dom
    p = parse_html(dom)
    assert set(p.tags) <= PAGE_TAGS, set(p.tags) - PAGE_TAGS  # no markup from names or labels
    rows = p.tables["comparison-table"]
    # one table: every row has a cell per model, under the header's columns
    assert rows[0] == ["", "(1)", HOSTILE_TITLE, "<b>3</b>"]
    assert {len(r) for r in rows} == {4}
    labels = [r[0] for r in rows]
    assert PAYLOAD in labels and "rate_marriage: 1" in labels
    stats = ["SE type", "Estimator", "N", "Log-likelihood", "AIC", "BIC", "McFadden R²"]
    assert labels[-7:] == stats
    assert rows[labels.index("SE type")][1:] == ["nonrobust", "HC1", "nonrobust"]
    assert rows[labels.index("Estimator")][1:] == ["ML", "ML", "Firth"]
    assert rows[labels.index("rate_marriage: 1")][1:] == ["", "— (ref)", "— (ref)"]
    # numbers sit in right-aligned cells; the estimate row has no rule under it (CSS classes)
    assert re.search(r'<tr class="estimate"><td class="l">Intercept</td><td class="r">', dom)
    assert "tr.estimate td{border-bottom:none" in dom
    # the notes are inside the table (tfoot), stars legend included
    assert any("* p < 0.05" in n[0] for n in p.notes)

"""The HTML report in a real browser (headless Chromium): the DOM holds the coefficient table,
the hostile names are text, and no script ran.

Chromium comes from Debian (``apt-get install chromium``; ``.ci/run`` installs it). Without it
the test is skipped locally but FAILS under CI (``CI=true``), so CI cannot pass silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from logitstats.reporting.report import build_report, render_report
from tests.report_cases import HOSTILE_COL, hostile_fit, parse_html

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
    assert f'Q("{HOSTILE_COL}")' in [r[0] for r in coef[1:]]
    assert p.tags.count("svg") == 3  # the inline figures survived parsing
    assert "<h1>Hostile &lt;script&gt;document" in dom  # the title is text, not an element

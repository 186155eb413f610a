"""Notebook HTML of a result, a summary and a comparison in headless Chromium, as a notebook
embeds them: a fragment inside a page. The DOM keeps aligned tables, hostile names are text
and no script runs (skipped without Chromium locally, a failure under CI; see
tests/render/test_html_browser.py)."""

from __future__ import annotations

import logitstats as ls
from tests.render.test_html_browser import PAYLOAD, _chromium, _dump_dom
from tests.report_cases import HOSTILE_COL, hostile_fit, parse_html


def test_notebook_fragments_in_a_browser(tmp_path):
    browser = _chromium()
    fit = hostile_fit()
    fragments = [
        fit._repr_html_(),
        fit.summary()._repr_html_(),
        ls.compare([fit, fit], title=f"Hostile {PAYLOAD}")._repr_html_(),
    ]
    page = tmp_path / "notebook.html"
    page.write_text(
        "<!DOCTYPE html><html><body>" + "".join(fragments) + "</body></html>", encoding="utf-8"
    )
    dom = _dump_dom(browser, page, tmp_path / "profile")
    assert 'data-pwned="1"' not in dom
    p = parse_html(dom)
    assert "script" not in p.tags and "img" not in p.tags
    grids = [t for t in p.tables.values() if len(t) > 1 and len(t[0]) > 2]
    assert len(grids) >= 3  # result, summary and comparison coefficient tables
    for t in grids:
        assert len({len(r) for r in t}) == 1  # every row has as many cells as the header
    assert any(f'Q("{HOSTILE_COL}")' in r[0] for t in grids for r in t)

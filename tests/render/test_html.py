"""The HTML report parsed with html.parser: well-formed HTML5, standalone, tables as expected."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from logitstats.render.format import fmt_num
from tests.report_cases import anes_fit, parse_html, spector_fit

VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col", "area", "base"}


class _Balance(HTMLParser):
    """Checks that every non-void element is closed in order (foreign SVG may self-close)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID and "svg" not in self.stack:
            self.errors.append(f"self-closed <{tag}/> outside svg")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


@pytest.fixture(scope="module")
def html() -> str:
    return spector_fit().report("html")


def test_well_formed_html5(html):
    b = _Balance()
    b.feed(html)
    b.close()
    assert b.doctype == "DOCTYPE html"
    assert b.errors == [] and b.stack == []
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [k for k, v in ids.items() if v > 1] == []
    refs = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', html))
    assert refs <= set(ids)  # every SVG reference resolves inside the page


def test_standalone_no_scripts_no_network(html):
    p = parse_html(html)
    assert "script" not in p.tags and "link" not in p.tags and "img" not in p.tags
    urls = [(t, k, v) for t, k, v in p.attrs_seen if k in ("src", "href", "xlink:href")]
    assert all(v.startswith("#") for _, _, v in urls), urls
    assert "@import" not in html and "url(http" not in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp


def test_tables_and_figures(html):
    p = parse_html(html)
    expected = {
        "model-table",
        "coefficients-table",
        "fit-table",
        "tests-table",
        "diagnostics-table",
        "confusion-table",
        "hosmer_lemeshow-table",
    }
    assert expected <= set(p.tables)
    coef = p.tables["coefficients-table"]
    assert coef[0][:5] == ["Term", "Estimate", "Std. Error", "z", "p"]
    tidy = spector_fit().tidy()
    assert [r[0] for r in coef[1:]] == list(tidy["term"])
    assert [r[1] for r in coef[1:]] == [fmt_num(v) for v in tidy["estimate"]]
    assert p.tags.count("figure") == 3 and p.tags.count("svg") == 3
    assert re.findall(r'<figure id="figure-(\w+)">', html) == ["forest", "calibration", "roc"]


def test_phone_friendly_css(html):
    assert "overflow-x:auto" in html and "max-width:100%" in html


def test_multinomial_html_one_table_per_outcome():
    out = anes_fit().report("html")
    p = parse_html(out)
    assert {"coefficients:Ind-table", "coefficients:Rep-table"} <= set(p.tables)
    assert re.findall(r'<figure id="figure-(\w+)">', out) == ["forest"]

"""Standalone HTML5 reports and comparisons: :func:`document_html`, a pure function of a Document.

One file: inline CSS, figures as inline SVG, no scripts and no network resources (a
Content-Security-Policy forbids both). Every user-provided string is escaped with
:func:`logitstats.render.escape.escape_html`; the page is readable on a phone (viewport meta,
tables scroll sideways).
"""

from __future__ import annotations

import re

from logitstats.render.data import FigureData
from logitstats.render.document import Document, Table
from logitstats.render.escape import escape_html

__all__ = ["document_html", "CSS"]

CSS = """\
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:60rem;padding:1rem;line-height:1.45;color:#1a1a1a;background:#fff}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:1.8rem;
border-bottom:1px solid #ccc}p.subtitle{color:#444;margin-top:0}
.table-wrap{overflow-x:auto;margin:.6rem 0}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{padding:.25rem .6rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
thead th{border-bottom:2px solid #555;text-align:right}thead th.l{text-align:left}
td.r{text-align:right;white-space:nowrap}td.l,th.l{text-align:left}
table.keyvalue th{text-align:left;font-weight:600;padding-right:1.2rem}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
figcaption{font-size:.9rem;color:#444}
tr.estimate td{border-bottom:none;padding-bottom:0}tr.interval td{padding-top:0}
tr.rule td{border-top:1px solid #555}td.ref{color:#555}
tfoot td{font-size:.85rem;color:#333;border-bottom:none;text-align:left;white-space:normal}
p.note{font-size:.9rem;color:#333}footer{margin-top:2rem;font-size:.8rem;color:#666}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _id(key: str) -> str:
    """An HTML id from a table key (ids may hold anything but whitespace)."""
    return escape_html(re.sub(r"\s", "_", key))


def _table(t: Table, section_title: str) -> str:
    out = [f'<div class="table-wrap"><table id="{_id(t.key)}-table" class="{t.kind}">']
    if t.caption != section_title:
        out.append(f"<caption>{escape_html(t.caption)}</caption>")
    if t.kind == "keyvalue":
        out.append("<tbody>")
        out += [
            f'<tr><th scope="row">{escape_html(k)}</th><td>{escape_html(v)}</td></tr>'
            for k, v in t.rows
        ]
        out.append("</tbody></table></div>")
        return "\n".join(out)
    heads = "".join(
        f'<th scope="col" class="{a}">{escape_html(c)}</th>' for c, a in zip(t.columns, t.align)
    )
    out.append(f"<thead><tr>{heads}</tr></thead>")
    out.append("<tbody>")
    kinds = t.row_kinds or ("",) * len(t.rows)
    for i, (r, kind) in enumerate(zip(t.rows, kinds)):
        cells = "".join(f'<td class="{a}">{escape_html(c)}</td>' for c, a in zip(r, t.align))
        classes = " ".join(x for x in (kind, "rule" if i in t.rules else "") if x)
        out.append(f'<tr class="{classes}">{cells}</tr>' if classes else f"<tr>{cells}</tr>")
    out.append("</tbody>")
    if t.notes:
        out.append("<tfoot>")
        out += [
            f'<tr><td class="note" colspan="{len(t.align)}">{escape_html(n)}</td></tr>'
            for n in t.notes
        ]
        out.append("</tfoot>")
    out.append("</table></div>")
    return "\n".join(out)


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


def inline_svg(svg: str, prefix: str) -> str:
    """SVG text ready to sit inside an HTML page: no XML prolog or RDF metadata, and every id
    (and reference to it) prefixed so that several figures never share an id."""
    svg = _METADATA.sub("", _XML_DECL.sub("", svg)).strip()
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    return _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def _figure(f: FigureData) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]", "-", f.name)
    svg = inline_svg(f.svg, "fig-" + name).replace(
        "<svg ", f'<svg role="img" aria-label="{escape_html(f.title)}" ', 1
    )
    caption = f"<figcaption>{escape_html(f.title)}</figcaption>"
    return f'<figure id="figure-{name}">\n{svg}\n{caption}\n</figure>'


def document_html(doc: Document) -> str:
    """Render a :class:`Document` as one standalone HTML5 page."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{escape_html(doc.title)}</title>",
        f"<style>\n{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape_html(doc.title)}</h1>",
    ]
    if doc.subtitle:
        out.append(f'<p class="subtitle">{escape_html(doc.subtitle)}</p>')
    for s in doc.sections:
        out.append(f'<section id="{_id(s.key)}">')
        out.append(f"<h2>{escape_html(s.title)}</h2>")
        out += [_table(t, s.title) for t in s.tables]
        out += [_figure(f) for f in s.figures]
        out += [f'<p class="note">{escape_html(n)}</p>' for n in s.notes]
        out.append("</section>")
    out += ["</main>", f"<footer>{escape_html(doc.footer)}</footer>", "</body>", "</html>"]
    return "\n".join(out) + "\n"

"""Renderers: pure functions of typed report data (summary, report, comparison) to str | bytes.

Only this package formats numbers. One module per format (``text``, ``markdown``, ``html``,
``latex``, ``json``, ``docx``), all walking the format-neutral
:class:`~logitstats.render.document.Document` (JSON writes the data itself); the registry
(:mod:`logitstats.render.registry`) maps each :class:`~logitstats.options.Format` to its
renderers, file suffix and escaper; :mod:`logitstats.render.vocabulary` holds the per-model
wording. Imports nothing from ``engine``, ``design``, ``fit`` or ``results``.
"""

from logitstats.render.data import ModelHeader

__all__ = ["ModelHeader"]

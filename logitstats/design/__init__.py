"""The design layer: (formula, data) -> :class:`~logitstats.design.build.Design`.

The only package that imports patsy. Formulas are checked by :mod:`logitstats.design.formula`
before anything is evaluated; aliasing and the fast filler use :mod:`logitstats.numerics` only.
"""

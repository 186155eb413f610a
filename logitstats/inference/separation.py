"""Separation of the outcome: the one import path for the checks and their verdict.

A binary logit's maximum-likelihood estimate is infinite when some direction ``b != 0`` has
``(2 y_i - 1) x_i' b >= 0`` on every row (Albert & Anderson 1984). The code is in three modules
by responsibility, re-exported here:

- :mod:`logitstats.inference.separation_info`: the verdict (:class:`SeparationInfo`,
  :class:`SeparationStatus`) and the method strings;
- :mod:`logitstats.inference.separation_lp`: the linear program of Konis (2007) that decides
  and names the infinite estimates (:func:`detect_separation`,
  :func:`detect_separation_multinomial`);
- :mod:`logitstats.inference.separation_certificate`: the exact Stiemke certificates that prove
  "no separation" from a fit without the LP (:func:`screen_no_separation`,
  :func:`certify_no_separation`, :func:`screen_no_separation_multinomial`).
"""

from __future__ import annotations

from logitstats.inference.separation_certificate import (
    certify_no_separation,
    screen_no_separation,
    screen_no_separation_multinomial,
)
from logitstats.inference.separation_info import (
    LP_METHOD,
    NOT_CHECKED,
    SCREEN_METHOD,
    SCREEN_METHOD_FIRTH,
    SCREEN_METHOD_MULTINOMIAL,
    SeparationInfo,
    SeparationStatus,
)
from logitstats.inference.separation_lp import (
    MAX_LP_ROWS,
    detect_separation,
    detect_separation_multinomial,
)

__all__ = [
    "SeparationStatus",
    "SeparationInfo",
    "detect_separation",
    "detect_separation_multinomial",
    "screen_no_separation",
    "screen_no_separation_multinomial",
    "certify_no_separation",
    "NOT_CHECKED",
    "LP_METHOD",
    "SCREEN_METHOD",
    "SCREEN_METHOD_MULTINOMIAL",
    "SCREEN_METHOD_FIRTH",
    "MAX_LP_ROWS",
]

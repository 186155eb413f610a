"""Frozen result objects; labels are attached here, once."""

from logitstats.results.base import FitResult
from logitstats.results.binary import LogitResult
from logitstats.results.multinomial import MLogitResult
from logitstats.results.ordinal import OLogitResult

__all__ = ["FitResult", "LogitResult", "MLogitResult", "OLogitResult"]

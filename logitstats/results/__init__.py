"""Frozen result objects; labels are attached here, once."""

from logitstats.results.base import FitResult
from logitstats.results.binary import LogitResult
from logitstats.results.multinomial import MLogitResult

__all__ = ["FitResult", "LogitResult", "MLogitResult"]

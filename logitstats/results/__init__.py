"""Frozen result objects; labels are attached here, once."""

from .base import FitResult
from .binary import LogitResult
from .multinomial import MLogitResult

__all__ = ["FitResult", "LogitResult", "MLogitResult"]

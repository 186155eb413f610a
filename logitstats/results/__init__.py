"""Frozen result objects; labels are attached here, once."""

from .base import FitResult
from .binary import LogitResult

__all__ = ["FitResult", "LogitResult"]

"""Maximum-likelihood engine: numpy/scipy only, no pandas, no patsy.

:mod:`~logitstats.engine.family` defines the one engine interface (``ModelArrays`` and the
``Family`` protocol); :func:`~logitstats.engine.newton.fit_family` maximises the log-likelihood of
any family; ``binary``, ``multinomial`` and ``ordinal_family`` implement it on ndarrays.
"""

from logitstats.engine.family import Family, ModelArrays
from logitstats.engine.newton import FitState, NewtonOptions, fit_family

__all__ = ["Family", "FitState", "ModelArrays", "NewtonOptions", "fit_family"]

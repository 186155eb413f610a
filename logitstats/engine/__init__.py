"""Maximum-likelihood engine: numpy/scipy only, no pandas, no patsy.

``newton`` maximises any log-likelihood given as a function returning (loglik, score, information);
``binary`` and ``multinomial`` provide those functions on ndarrays.
"""

from logitstats.engine.newton import FitState, NewtonOptions, newton

__all__ = ["FitState", "NewtonOptions", "newton"]

"""Orchestration: design -> engine -> inference -> result (``ls.logit``, ``ls.mlogit``,
``ls.ologit``)."""

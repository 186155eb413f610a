"""Where per-block statistics are summed: in memory (threads, :mod:`logitstats.numerics.parallel`)
or on a Dask cluster (:mod:`logitstats.backends.dask`, which imports dask only when it runs)."""

"""Every tolerance the test-suite uses, named once.

- ``RTOL_R``: against committed R references from exact (tight-epsilon, refitted) Newton fits.
- ``RTOL_SM``: against statsmodels fitted live with Newton at a tight tolerance.
- ``RTOL_PROPERTY``: invariances that hold exactly in exact arithmetic (weights = duplication,
  shifting a predictor), limited only by the convergence of two separate Newton fits.
- ``RTOL_NNET``: ``nnet::multinom`` is quasi-Newton and stops early; a cross-check only.
"""

RTOL_R = 1e-6
ATOL_R = 1e-9  # p-values and coefficients that are ~0 compared with an absolute floor
RTOL_SM = 1e-8
ATOL_SM = 1e-10
RTOL_PROPERTY = 1e-8
ATOL_PROPERTY = 1e-10
RTOL_NNET = 1e-4
RTOL_CSV = 1e-7  # bundled CSV files vs statsmodels.datasets: the CSVs keep 7-8 significant digits
RTOL_NUMDIFF = 1e-6  # analytic derivatives vs central differences (step 1e-6: error ~1e-10)
RTOL_JSON = 1e-11  # report JSON rounds numbers to 12 significant digits (error <= 5e-13)
# Under quasi-separation both R's glm and our Newton stop at a large but finite estimate of the
# separated coefficient; the other coefficients approach their limit only as exp(-|estimate|),
# so two fits that stop at different iterations agree to about 1e-5, not to machine precision.
RTOL_SEPARATED_LIMIT = 1e-4
# statsmodels' OrderedModel standard errors come from a numerical Hessian (finite differences of
# a numerical score), good to about 1e-6 relative, not to RTOL_SM.
RTOL_SM_NUMERIC_HESSIAN = 1e-5

# Golden files and the committed example reports (tests/golden_compare.py). Different OpenBLAS
# kernels (OPENBLAS_CORETYPE=Haswell, Sandybridge, Prescott, Nehalem, Atom, Zen, SkylakeX,
# SapphireRapids, Cooperlake) moved the report numbers by at most 4.8e-11 relative (a tail
# p-value; a CI bound near 0 by 1.1e-12 absolute): RTOL_GOLDEN leaves a margin of 200 and still
# fails an estimate moved by 1e-6 relative. ATOL_GOLDEN is the floor for numbers near 0 that
# come from cancellation (estimate - z * se), whose noise is absolute, not relative.
RTOL_GOLDEN = 1e-8
ATOL_GOLDEN = 1e-10
# standardize()/scale(): patsy runs Welford's running update, logitstats numpy's pairwise
# two-pass sums (design/transforms.py). Both are within a few ulp of the exact mean and sd for
# the test data (n <= 1e5, |x - mean| / sd <= 10); the standardized values (O(1)) differ by at
# most 7.5e-16 observed. ATOL_STANDARDIZE leaves a margin of ~1000 and still fails a wrong ddof
# (which moves them by ~1e-3 at n = 1000).
ATOL_STANDARDIZE = 1e-12
# Standardize's state learnt in chunks (Chan et al.'s update) vs in one pass: equal in exact
# arithmetic; each of the 7 chunk merges rounds (a few ulp of the mean and of m2).
RTOL_CHUNK_MERGE = 1e-13

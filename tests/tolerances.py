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
# the same differences near 0, where the error is absolute: rounding eps / h ~ 2e-10, margin 5
ATOL_NUMDIFF = 1e-9
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
# A computation against its closed form (a reshape, Newton at machine precision, a 2x2 solve):
# a few dozen roundings of 1.1e-16 each, with a wide margin.
RTOL_EXACT = 1e-12
# aliased_columns rounds each aliasing coefficient to 10 decimals (error <= 5e-11) after a
# least-squares solve on the small R factor (~1e-15); R's qr.coef solves the same system.
ATOL_ALIAS_COMBINATION = 1e-10

# --- tolerances that were written inline in the tests, named here with why (values unchanged
# unless a comment says it was tightened) ---
# A sum that is exactly 0 in exact arithmetic (marginal effects across outcomes, each <= 1 in
# size): the rounding left is absolute, a few ulps of the largest term.
ATOL_SUM_TO_ZERO = 1e-12
# Random data against statsmodels' GLM (tests/fit/test_fuzz.py): the issue's agreement target;
# coefficients near 0 get an absolute floor of ATOL_FUZZ_SCALE times the largest coefficient.
RTOL_FUZZ = 1e-6
ATOL_FUZZ_SCALE = 1e-9
# A test statistic or p-value recomputed from a statsmodels fit that is not tightly converged
# (its default Newton tol=1e-8 on the parameter change) or goes through its own covariance path.
RTOL_SM_STATISTIC = 1e-6
# Profile-likelihood bounds: at a bound the deviance rise equals the chi2 critical value up to
# the secant root-finder's stop (|f| < 1e-11, or a step below 1e-12 relative). Measured: 8e-15
# (spector), 4e-15 (endometrial, separated), 2e-11 (anes96 multinomial, separated); the last two
# tests used 1e-7 and 1e-6 and were tightened to this value (margin 50 over the worst case).
RTOL_PROFILE_ROOT = 1e-9

# numerics/softmax.py (tests/numerics/test_softmax.py)
SUM_ATOL_F64 = 1e-12  # |sum(softmax) - 1| in float64
SUM_ATOL_F32 = 1e-6  # |sum(softmax) - 1| in float32 (sum taken in float64)
ATOL_LOG = 1e-13  # log-scale floor: log(p) for a p carrying a few ulps of relative error
RTOL_SHIFT = 1e-10  # adding a constant of size <= 1e3 rounds the scores by ~1e-13
# Scores divided by a temperature in [1e-3, 1e3], or reduced by logsumexp (x - lse): the
# rounding of scores up to 1e4 (x / t up to 1e6) is absolute, ~|x| * eps.
RTOL_RESCALED = 1e-9
ATOL_RESCALED = 1e-9
# The docstring example prints 8 decimals: half a unit in the last printed place.
ATOL_DOC_8_DECIMALS = 5e-9
# float32 results against the float64 computation: float32 eps is 1.2e-7, a few roundings.
RTOL_F32 = 1e-6
ATOL_F32 = 1e-6
# Tail formulas (log1p, expm1, exp of the negative part) against math's on the same few
# operations: a handful of ulps (1e-15 ~ 4.5 ulps; 1e-14 ~ 45 ulps where exp(-46) or
# exp(-700) is formed from a rounded argument).
RTOL_FEW_ULPS = 1e-15
RTOL_TAIL = 1e-14
ULPS_2 = 2 * 2.220446049250313e-16  # two units in the last place of 1.0 (float64 eps)
ULPS_4 = 4 * 2.220446049250313e-16

# emmeans' Tukey p-values come from R's ptukey as 1 - CDF (numerical quadrature), so tail
# p-values below ~1e-9 carry absolute noise up to ~6e-14 (R gives 5e-14 where the exact tail is
# ~1e-20); scipy's studentized_range.sf is computed directly. Values above 1e-3 agree to 2e-11.
ATOL_PTUKEY = 1e-12

# standardize()/scale(): patsy runs Welford's running update, logitstats numpy's pairwise
# two-pass sums (design/transforms.py). Both are within a few ulp of the exact mean and sd for
# the test data (n <= 1e5, |x - mean| / sd <= 10); the standardized values (O(1)) differ by at
# most 7.5e-16 observed. ATOL_STANDARDIZE leaves a margin of ~1000 and still fails a wrong ddof
# (which moves them by ~1e-3 at n = 1000).
ATOL_STANDARDIZE = 1e-12
# Standardize's state learnt in chunks (Chan et al.'s update) vs in one pass: equal in exact
# arithmetic; each of the 7 chunk merges rounds (a few ulp of the mean and of m2).
RTOL_CHUNK_MERGE = 1e-13
# Estimates compared in standard-error units: |b - b_ref| / SE. The scale-free Newton stop
# (engine/newton.py DECREMENT_ABS: a last step below 1e-9 SE) leaves each fit within ~1e-9 SE of
# its MLE, so two fits of the same data (in memory, distributed) agree to this (issue 14).
ATOL_SE_UNITS = 1e-8
# Distributed vs in-memory fits of the same data: the same arithmetic summed in another order
# (partition sums, tree reduction), so agreement is to rounding of sums over n rows, far below.
RTOL_DISTRIBUTED = 1e-8

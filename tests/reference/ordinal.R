## Reference values for the ordinal (cumulative logit, proportional odds) engine (issue 18).
## Run: cd tests/reference && Rscript ordinal.R   -> ordinal.json
## Needs: r-base-core r-cran-mass r-cran-ordinal r-cran-numderiv r-cran-jsonlite.
## The data (MASS::housing, ordinal::wine) are written into the JSON as well, so that the tests
## need no R.
##
## Cases: `housing` = Sat ~ Infl + Type + Cont, weights = Freq (72 rows, 1681 respondents);
## `wine` = rating ~ temp + contact (72 rows, unweighted). Factors use R's level order
## (`factor_levels`, treatment coding, first level the baseline); `coef_names_py` are the
## patsy names for pandas Categoricals with those categories. Model (polr/clm sign convention):
## logit P(Y <= j) = theta_j - x'beta. Keys of each case:
## * coef, se (beta, in coef_names_py order); theta, se_theta (cut-points, `cutpoint_names`);
##   cov: vcov of (beta, theta), row-major. From clm (Newton, analytic Hessian, gradTol 1e-12,
##   refitted from its own estimate; `max_abs_gradient` at the estimate, `n_iter_refit`), whose
##   vcov is checked against a numDeriv Hessian and whose logLik against the definition.
## * llf = logLik, aic = AIC, n_params; llnull = sum_j n_j log(n_j / n) (thresholds only);
##   nobs_clm = nobs(clm) (the sum of the weights), nobs_rows = rows with weight > 0.
## * prob_rows (1-based), prob: predict(clm, type = "prob") of those rows, [row][level].
## * housing: ci_profile_low/high = exact profile-likelihood 95% roots (uniroot tol 1e-12 on
##   clm refits with beta_j x_j as offset); ci_profile_mass_low/high = confint(polr) (MASS,
##   interpolated; a cross-check only, ~1e-6 off); polr_coef/polr_zeta = polr (BFGS, ~1e-4 off).
##   wine: ci_profile = {low, high}, the same exact roots.
## * housing$brant: Brant (1990) test by its formula (see brant_ref below), with frequency
##   weights; `check_expanded_omnibus_statistic` is the same on the row-expanded data. Keys:
##   omnibus_statistic/df/p, term_statistic/df/p (one per column of X), binary_coef
##   [(split m) x column], binary_intercept, cov_stacked (level-major stacked slopes).
##   No Brant for wine: two of its cumulative splits are separated.
source("_helpers.R")
suppressPackageStartupMessages({ library(MASS); library(ordinal); library(numDeriv) })

CLM_CTRL <- clm.control(method = "Newton", gradTol = 1e-12, relTol = 1e-14, maxIter = 500,
                        maxLineIter = 100)

## Exact proportional-odds fit: ordinal::clm (Newton on the analytic Hessian) at gradTol 1e-12,
## refitted once from its own estimate. clm's order is (theta, beta); we write (beta, theta),
## the order of vcov(polr). `rhs`: R right-hand side; `map`: R column name -> patsy name.
clm_exact <- function(data, yvar, rhs, map, py_terms, weights = NULL) {
  fml <- as.formula(paste(yvar, "~", rhs))
  data$.w <- if (is.null(weights)) rep(1, nrow(data)) else weights
  f0 <- clm(fml, data = data, weights = .w, control = CLM_CTRL)
  fit <- clm(fml, data = data, weights = .w, control = CLM_CTRL, start = coef(f0))
  stopifnot(fit$convergence$code == 0)
  levs <- levels(data[[yvar]])
  J <- length(levs)
  X <- model.matrix(as.formula(paste("~", rhs)), data)[, -1, drop = FALSE]
  stopifnot(setequal(colnames(X), names(map)))
  X <- X[, names(map)[match(py_terms, unname(map))], drop = FALSE]  # patsy order
  theta <- unname(fit$alpha)
  beta <- to_py(fit$beta, map, py_terms)
  ## our own log-likelihood from the definition, as a check of clm's
  eta <- drop(X %*% beta)
  y <- as.integer(data[[yvar]])
  up <- c(theta, Inf)[y]; lo <- c(-Inf, theta)[y]
  ll_manual <- sum(data$.w * log(plogis(up - eta) - plogis(lo - eta)))
  stopifnot(abs(ll_manual - as.numeric(logLik(fit))) < 1e-10 * abs(ll_manual))
  ## covariance: clm's vcov is (theta, beta); reorder to (beta[py order], theta)
  V <- vcov(fit)
  r_beta <- names(map)[match(py_terms, unname(map))]
  ord <- c(r_beta, names(fit$alpha))
  V <- V[ord, ord]
  ## a numerical Hessian of the log-likelihood (numDeriv) as an independent check of vcov
  negll <- function(p) {
    b <- p[seq_along(beta)]; th <- p[-seq_along(beta)]
    e <- drop(X %*% b)
    -sum(data$.w * log(plogis(c(th, Inf)[y] - e) - plogis(c(-Inf, th)[y] - e)))
  }
  H <- numDeriv::hessian(negll, c(beta, theta))
  stopifnot(max(abs(solve(H) - unname(V)) / pmax(abs(unname(V)), 1e-8)) < 1e-5)
  se <- sqrt(diag(V))
  k <- length(beta) + length(theta)
  nobs_rows <- sum(data$.w > 0)
  list(
    formula_r = paste(yvar, "~", rhs),
    coef_names_py = py_terms,
    cutpoint_names = paste(levs[-J], levs[-1], sep = "|"),
    levels = levs,
    coef = beta,
    theta = theta,
    se = unname(se[seq_along(beta)]),
    se_theta = unname(se[-seq_along(beta)]),
    cov = mat_rows(unname(V)),
    llf = as.numeric(logLik(fit)),
    aic = AIC(fit),
    n_params = k,
    nobs_clm = nobs(fit),
    nobs_rows = nobs_rows,
    max_abs_gradient = max(abs(fit$gradient)),
    n_iter_refit = fit$niter[1],
    llnull = {
      n_j <- tapply(data$.w, data[[yvar]], sum)
      sum(n_j * log(n_j / sum(n_j)))
    },
    fit = fit, X = X, y = y, w = data$.w
  )
}

## Exact profile-likelihood CI of beta_j: roots of 2 (llf - max ll(beta_j = b)) = qchisq(.95, 1);
## the inner maximisation is clm (gradTol 1e-12) with beta_j x_j as an offset.
profile_ci <- function(res, level = 0.95) {
  X <- res$X; y <- factor(res$y); w <- res$w
  crit <- qchisq(level, 1)
  out <- matrix(NA_real_, ncol(X), 2)
  for (j in seq_len(ncol(X))) {
    prof <- function(b) {
      d <- data.frame(y = y, w = w, off = b * X[, j])
      Xo <- X[, -j, drop = FALSE]
      f <- if (ncol(Xo)) clm(y ~ Xo + offset(off), data = d, weights = w, control = CLM_CTRL)
           else clm(y ~ offset(off), data = d, weights = w, control = CLM_CTRL)
      2 * (res$llf - as.numeric(logLik(f))) - crit
    }
    b <- res$coef[j]; s <- res$se[j]
    out[j, 1] <- uniroot(prof, c(b - 4 * s, b), tol = 1e-12)$root
    out[j, 2] <- uniroot(prof, c(b, b + 4 * s), tol = 1e-12)$root
  }
  out
}

## Predicted category probabilities of the given rows (predict.clm, checked by hand).
pred_probs <- function(res, data, yvar, rows) {
  nd <- data[rows, setdiff(names(data), c(yvar, ".w")), drop = FALSE]
  P <- predict(res$fit, newdata = nd, type = "prob")$fit
  eta <- drop(res$X[rows, , drop = FALSE] %*% res$coef)
  cum <- plogis(outer(-eta, c(res$theta, Inf), "+"))
  Pm <- cum - cbind(0, cum[, -ncol(cum), drop = FALSE])
  stopifnot(max(abs(unname(P) - Pm)) < 1e-12)
  mat_rows(unname(P))
}

## Brant (1990) test, as brant::brant computes it (brant is not a Debian package; this is its
## formula): J-1 binary glms of 1[y > m] on X (with intercept); Cov(b_m, b_l) =
## (X'W_m X)^-1 (X'W_ml X) (X'W_l X)^-1 without the intercept rows/columns, W_ml = pi_l - pi_m pi_l;
## Wald tests of b_1 = b_m (omnibus and per column). Frequency weights enter every X'WX.
brant_ref <- function(res) {
  X <- res$X; y <- res$y; w <- res$w
  J <- max(y); K <- ncol(X); X1 <- cbind(1, X)
  fits <- lapply(1:(J - 1), function(m) {
    d <- data.frame(z = as.numeric(y > m), X, w = w)
    glm_exact(function(st) glm(z ~ . - w, family = binomial, data = d, weights = w,
                               control = GLM_CTRL, start = st))
  })
  B <- t(sapply(fits, function(f) unname(coef(f))))            # (J-1) x (K+1)
  P <- sapply(fits, fitted)                                     # n x (J-1)
  V <- matrix(0, (J - 1) * K, (J - 1) * K)
  inv <- lapply(1:(J - 1), function(m) solve(crossprod(X1, w * P[, m] * (1 - P[, m]) * X1)))
  for (m in 1:(J - 1)) for (l in m:(J - 1)) {
    Wml <- w * (P[, l] - P[, m] * P[, l])
    blk <- (inv[[m]] %*% crossprod(X1, Wml * X1) %*% inv[[l]])[-1, -1, drop = FALSE]
    V[(m - 1) * K + 1:K, (l - 1) * K + 1:K] <- blk
    V[(l - 1) * K + 1:K, (m - 1) * K + 1:K] <- t(blk)
  }
  ## the diagonal blocks equal vcov(glm) (check)
  for (m in 1:(J - 1)) stopifnot(max(abs(V[(m - 1) * K + 1:K, (m - 1) * K + 1:K] -
                                      unname(vcov(fits[[m]]))[-1, -1])) < 1e-10)
  bstar <- as.vector(t(B[, -1, drop = FALSE]))                 # m-major: b_1, b_2, ...
  D <- matrix(0, (J - 2) * K, (J - 1) * K)
  for (i in 1:(J - 2)) {
    D[(i - 1) * K + 1:K, 1:K] <- diag(K)
    D[(i - 1) * K + 1:K, i * K + 1:K] <- -diag(K)
  }
  wald <- function(Dm, s) {
    Db <- Dm %*% bstar[s]
    drop(t(Db) %*% solve(Dm %*% V[s, s] %*% t(Dm), Db))
  }
  omni <- wald(D, seq_len(ncol(D)))
  per <- sapply(1:K, function(k) {
    s <- seq(k, K * (J - 1), by = K)
    Ds <- D[, s, drop = FALSE]
    Ds <- Ds[rowSums(Ds != 0) > 0, , drop = FALSE]
    wald(Ds, s)
  })
  list(
    omnibus_statistic = omni, omnibus_df = (J - 2) * K,
    omnibus_p = pchisq(omni, (J - 2) * K, lower.tail = FALSE),
    term_statistic = per, term_df = rep(J - 2, K),
    term_p = pchisq(per, J - 2, lower.tail = FALSE),
    binary_coef = mat_rows(B[, -1, drop = FALSE]),
    binary_intercept = B[, 1],
    cov_stacked = mat_rows(V)
  )
}

drop_internal <- function(res) res[setdiff(names(res), c("fit", "X", "y", "w"))]

## ---------------------------------------------------------------------------------------------
## (a) MASS::housing, Sat ~ Infl + Type + Cont, weights = Freq (72 rows, 1681 respondents)
data(housing, package = "MASS")
housing_map <- c(InflMedium = "Infl[T.Medium]", InflHigh = "Infl[T.High]",
                 TypeApartment = "Type[T.Apartment]", TypeAtrium = "Type[T.Atrium]",
                 TypeTerrace = "Type[T.Terrace]", ContHigh = "Cont[T.High]")
housing_py <- unname(housing_map)
hs <- clm_exact(housing, "Sat", "Infl + Type + Cont", housing_map, housing_py,
                weights = housing$Freq)
## MASS::polr (BFGS, stops early) from the clm estimate, as a cross-check only
polr_fit <- polr(Sat ~ Infl + Type + Cont, weights = Freq, data = housing, Hess = TRUE)
hs_ci <- profile_ci(hs)
polr_ci <- suppressMessages(confint(polr_fit))
polr_ci <- polr_ci[names(housing_map)[match(housing_py, housing_map)], ]
rows_h <- c(1, 2, 3, 10, 40, 72)
housing_case <- c(
  list(data = "inline", formula_py = "Sat ~ Infl + Type + Cont", weights = "Freq"),
  drop_internal(hs),
  list(
    ci_profile_low = hs_ci[, 1], ci_profile_high = hs_ci[, 2],
    ci_profile_mass_low = unname(polr_ci[, 1]), ci_profile_mass_high = unname(polr_ci[, 2]),
    polr_coef = to_py(coef(polr_fit), housing_map, housing_py),
    polr_zeta = unname(polr_fit$zeta),
    prob_rows = rows_h,
    prob = pred_probs(hs, housing, "Sat", rows_h),
    data_inline = list(
      Sat = as.character(housing$Sat), Infl = as.character(housing$Infl),
      Type = as.character(housing$Type), Cont = as.character(housing$Cont),
      Freq = housing$Freq),
    factor_levels = list(Sat = levels(housing$Sat), Infl = levels(housing$Infl),
                         Type = levels(housing$Type), Cont = levels(housing$Cont))
  )
)
stopifnot(max(abs(housing_case$polr_coef - hs$coef)) < 1e-3)

## ---------------------------------------------------------------------------------------------
## (b) ordinal::wine, rating ~ temp + contact (72 rows, unweighted)
data(wine, package = "ordinal")
wine_df <- data.frame(rating = wine$rating, temp = wine$temp, contact = wine$contact)
wine_map <- c(tempwarm = "temp[T.warm]", contactyes = "contact[T.yes]")
wine_py <- unname(wine_map)
ws <- clm_exact(wine_df, "rating", "temp + contact", wine_map, wine_py)
rows_w <- c(1, 2, 5, 20, 72)
wine_case <- c(
  list(data = "inline", formula_py = "rating ~ temp + contact", weights = NA),
  drop_internal(ws),
  list(
    ci_profile = {
      ci <- profile_ci(ws); list(low = ci[, 1], high = ci[, 2])
    },
    prob_rows = rows_w,
    prob = pred_probs(ws, wine_df, "rating", rows_w),
    data_inline = list(rating = as.character(wine_df$rating),
                       temp = as.character(wine_df$temp),
                       contact = as.character(wine_df$contact)),
    factor_levels = list(rating = levels(wine_df$rating), temp = levels(wine_df$temp),
                         contact = levels(wine_df$contact))
  )
)
## (c) Brant on housing. (wine has no Brant reference: no cold wine is rated 5, so the binary
## logit of 1[rating > 4] is separated.) brant::brant ignores weights; with frequency weights
## the formula above is brant on the row-expanded data, which is checked here.
housing_case$brant <- brant_ref(hs)
hx <- housing[rep(seq_len(nrow(housing)), housing$Freq), ]
hx_res <- clm_exact(hx, "Sat", "Infl + Type + Cont", housing_map, housing_py)
bx <- brant_ref(hx_res)
stopifnot(abs(bx$omnibus_statistic - housing_case$brant$omnibus_statistic) <
          1e-8 * bx$omnibus_statistic,
          max(abs(bx$term_statistic - housing_case$brant$term_statistic)) < 1e-8)
housing_case$brant$check_expanded_omnibus_statistic <- bx$omnibus_statistic

out <- list(
  meta = meta_entry(c("MASS", "ordinal", "numDeriv", "jsonlite")),
  housing = housing_case,
  wine = wine_case
)
write_ref(out, "ordinal.json")

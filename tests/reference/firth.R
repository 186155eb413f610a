## Reference values for separation & Firth (issue: separation & Firth).
## Run: cd tests/reference && Rscript firth.R   -> firth.json
source("_helpers.R")
suppressPackageStartupMessages(library(brglm2))

endo <- read_data("endometrial")
Q95 <- qchisq(0.95, 1)

## ---------------------------------------------------------------------------
## Firth-penalised logistic regression, implemented exactly (as logistf does):
##   l*(b) = l(b) + 0.5 * log det(X' W(b) X),  W = diag(mu (1 - mu))
##   penalised score U*(b) = X' (y - mu + h (1/2 - mu)),  h = diag of the hat matrix
##   W^1/2 X (X'WX)^-1 X' W^1/2  (always computed with the FULL X).
## Fisher-scoring iteration on U* (logistf's), with parameters in `fixed` held at
## their values; iterated to machine precision (the fixed point is the exact root).
pen_ll <- function(X, y, b) {
  eta <- drop(X %*% b); mu <- plogis(eta)
  ll <- sum(y * plogis(eta, log.p = TRUE) + (1 - y) * plogis(-eta, log.p = TRUE))
  ll + 0.5 * as.numeric(determinant(crossprod(X, mu * (1 - mu) * X), logarithm = TRUE)$modulus)
}
pen_score <- function(X, y, b) {
  mu <- plogis(drop(X %*% b)); w <- mu * (1 - mu)
  I <- crossprod(X, w * X)
  h <- rowSums((X %*% solve(I)) * X) * w
  list(U = drop(crossprod(X, y - mu + h * (0.5 - mu))), I = I)
}
firth_fit <- function(X, y, b0 = rep(0, ncol(X)), fixed = integer(0), maxit = 5000) {
  b <- b0; free <- setdiff(seq_len(ncol(X)), fixed)
  ll <- pen_ll(X, y, b)
  for (it in 1:maxit) {
    s <- pen_score(X, y, b)
    step <- solve(s$I[free, free, drop = FALSE], s$U[free])
    mx <- max(abs(step)); if (mx > 5) step <- step * 5 / mx   # logistf's maxstep = 5
    t <- 1
    repeat {                                             # step-halving on l*
      nb <- b; nb[free] <- b[free] + t * step
      nll <- pen_ll(X, y, nb)
      if (nll >= ll - 1e-13 * abs(ll) || t < 1e-10) break
      t <- t / 2
    }
    b <- nb; ll <- nll
    if (max(abs(t * step)) < 1e-15 * max(1, max(abs(b)))) break
  }
  s <- pen_score(X, y, b)
  list(coef = b, pen_loglik = ll, score_max_abs = max(abs(s$U[free])), iter = it,
       vcov = solve(s$I))
}
firth_profile <- function(X, y, fit, tol = 1e-10) {
  se <- sqrt(diag(fit$vcov))
  prof_ll <- function(j, v) {
    b0 <- fit$coef; b0[j] <- v
    firth_fit(X, y, b0, fixed = j)
  }
  res <- lapply(seq_len(ncol(X)), function(j) {
    f <- function(v) 2 * (fit$pen_loglik - prof_ll(j, v)$pen_loglik) - Q95
    bound <- function(dir) {
      lo <- fit$coef[j]; hi <- lo + dir * 2 * se[j]
      while (f(hi) < 0) { lo <- hi; hi <- fit$coef[j] + 2 * (hi - fit$coef[j]) }
      uniroot(f, sort(c(lo, hi)), tol = tol, maxiter = 1000)$root
    }
    ci <- c(bound(-1), bound(+1))
    p0 <- prof_ll(j, 0)
    chisq <- 2 * (fit$pen_loglik - p0$pen_loglik)
    chk <- max(sapply(ci, function(v) { r <- prof_ll(j, v)
      max(abs(2 * (fit$pen_loglik - r$pen_loglik) - Q95), r$score_max_abs) }), p0$score_max_abs)
    list(ci = ci, chisq = chisq, chk = chk)
  })
  list(ci_low = sapply(res, function(r) r$ci[1]), ci_high = sapply(res, function(r) r$ci[2]),
       chisq = sapply(res, `[[`, "chisq"),
       p = pchisq(sapply(res, `[[`, "chisq"), 1, lower.tail = FALSE),
       check_max_abs_residual = max(sapply(res, `[[`, "chk")))
}

out <- list(meta = c(meta_entry(c("stats", "brglm2", "jsonlite")), list(
  notes = paste("Firth = brglm2::brglmFit(type='AS_mean') (for the logit link identical to",
    "Jeffreys-prior penalised ML, i.e. logistf). Penalised profile CIs / LR tests are a",
    "re-implementation of logistf's definitions (logistf not installable):",
    "l*(b) = l(b) + 0.5 log det(X'W(b)X); CI bound = root of",
    "2*(l*(b_hat) - max_{b_-j} l*(b_j, b_-j)) = qchisq(0.95,1) (uniroot tol 1e-10); penalised",
    "LR chisq_j = 2*(l*(b_hat) - max l* with b_j = 0), p = pchisq(chisq, 1, upper). se = sqrt(diag",
    "((X'W(b_hat)X)^-1)) (brglm2 summary = logistf's vcov)."))))

## 1. endometrial: Firth fit via brglm2 -------------------------------------------------
ord_en <- c("Intercept", "NV", "PI", "EH")
map_en <- c("(Intercept)" = "Intercept", NV = "NV", PI = "PI", EH = "EH")
fb <- glm(HG ~ NV + PI + EH, family = binomial, data = endo, method = "brglmFit",
          type = "AS_mean", epsilon = 1e-12, maxit = 1000)
fb <- glm(HG ~ NV + PI + EH, family = binomial, data = endo, method = "brglmFit",
          type = "AS_mean", epsilon = 1e-12, maxit = 1000, start = coef(fb))
stopifnot(fb$converged)
sb <- summary(fb)$coefficients
X <- model.matrix(~ NV + PI + EH, endo); y <- endo$HG
ff <- firth_fit(X, y)
rel_brglm_vs_own <- max(abs(ff$coef - coef(fb)) / abs(ff$coef))
stopifnot(rel_brglm_vs_own < 1e-8)
pr <- firth_profile(X, y, ff)
se_own <- sqrt(diag(ff$vcov))
out$endometrial_firth <- list(
  data = "endometrial", formula_r = "HG ~ NV + PI + EH", formula_py = "HG ~ NV + PI + EH",
  coef_names_py = ord_en,
  method_r = "glm(HG ~ NV + PI + EH, binomial, method = brglm2::brglmFit, type = 'AS_mean', epsilon = 1e-12, maxit = 1000), refitted from its own estimate",
  coef = to_py(sb[, 1], map_en, ord_en), se = to_py(sb[, 2], map_en, ord_en),
  z = to_py(sb[, 3], map_en, ord_en), p = to_py(sb[, 4], map_en, ord_en),
  ci_wald_low = to_py(sb[, 1] - qnorm(0.975) * sb[, 2], map_en, ord_en),
  ci_wald_high = to_py(sb[, 1] + qnorm(0.975) * sb[, 2], map_en, ord_en),
  cov = mat_rows(to_py_mat(vcov(fb), map_en, ord_en)),
  deviance = deviance(fb),
  llf_unpenalized = -deviance(fb) / 2,
  pen_loglik = ff$pen_loglik,
  pen_loglik_note = "l*(b_hat) = l(b_hat) + 0.5 log det(X'WX) (logistf's loglik)",
  ci_profile_penalized_low = pr$ci_low, ci_profile_penalized_high = pr$ci_high,
  pen_lr_chisq = pr$chisq, pen_lr_p = pr$p,
  fitted = unname(fitted(fb)),
  nobs = nrow(endo),
  check = list(rel_diff_brglm2_vs_own_firth = rel_brglm_vs_own,
               own_pen_score_max_abs = ff$score_max_abs,
               rel_diff_se_brglm2_vs_own = max(abs(se_own - sb[, 2]) / sb[, 2]),
               profile_max_abs_residual = pr$check_max_abs_residual,
               brglm_iterations = fb$iter))

## 1b. endometrial: plain glm (MLE does not exist: NV quasi-separates HG) ----------------
fg <- suppressWarnings(glm(HG ~ NV + PI + EH, family = binomial, data = endo))
sg <- summary(fg)$coefficients
out$endometrial_glm <- list(
  data = "endometrial", formula_r = "HG ~ NV + PI + EH", formula_py = "HG ~ NV + PI + EH",
  coef_names_py = ord_en,
  method_r = "glm(HG ~ NV + PI + EH, binomial) with DEFAULT glm.control (epsilon = 1e-8, maxit = 25)",
  note = paste("No finite MLE: NV quasi-separates HG (all NV == 1 have HG == 1). These numbers",
               "are where R's IRLS stopped, NOT an MLE; only NV's coef/se being huge is meaningful."),
  coef = to_py(sg[, 1], map_en, ord_en), se = to_py(sg[, 2], map_en, ord_en),
  converged = fg$converged, iterations = fg$iter,
  deviance = deviance(fg),
  separation_note = paste("NV quasi-separates HG: crosstab NV x HG =",
    paste(table(endo$NV, endo$HG), collapse = ","), "(NV=0/HG=0, NV=1/HG=0, NV=0/HG=1, NV=1/HG=1);",
    "detectseparation is not installable and brglm2 0.9 removed detect_separation."),
  nv_hg_table = list(nv0_hg0 = sum(endo$NV == 0 & endo$HG == 0), nv1_hg0 = sum(endo$NV == 1 & endo$HG == 0),
                     nv0_hg1 = sum(endo$NV == 0 & endo$HG == 1), nv1_hg1 = sum(endo$NV == 1 & endo$HG == 1)))

## 2. complete separation example --------------------------------------------------
dsep <- data.frame(x = c(1, 2, 3, 4, 5, 6), y = c(0, 0, 0, 1, 1, 1))
fs <- glm(y ~ x, family = binomial, data = dsep, method = "brglmFit", type = "AS_mean",
          epsilon = 1e-12, maxit = 1000)
fs <- glm(y ~ x, family = binomial, data = dsep, method = "brglmFit", type = "AS_mean",
          epsilon = 1e-12, maxit = 1000, start = coef(fs))
ss <- summary(fs)$coefficients
Xs <- model.matrix(~ x, dsep)
ffs <- firth_fit(Xs, dsep$y)
stopifnot(max(abs(ffs$coef - coef(fs)) / abs(ffs$coef)) < 1e-8)
prs <- firth_profile(Xs, dsep$y, ffs)
out$separation_toy_firth <- list(
  data = "inline", data_inline = list(x = dsep$x, y = dsep$y),
  formula_r = "y ~ x", formula_py = "y ~ x", coef_names_py = c("Intercept", "x"),
  method_r = "glm(y ~ x, binomial, method = brglm2::brglmFit, type = 'AS_mean', epsilon = 1e-12, maxit = 1000)",
  coef = unname(ss[, 1]), se = unname(ss[, 2]), z = unname(ss[, 3]), p = unname(ss[, 4]),
  cov = mat_rows(unname(vcov(fs))),
  pen_loglik = ffs$pen_loglik,
  ci_profile_penalized_low = prs$ci_low, ci_profile_penalized_high = prs$ci_high,
  pen_lr_chisq = prs$chisq, pen_lr_p = prs$p,
  separation_note = "complete separation: y = 1 exactly when x > 3.5; the plain MLE does not exist",
  check = list(rel_diff_brglm2_vs_own_firth = max(abs(ffs$coef - coef(fs)) / abs(ffs$coef)),
               own_pen_score_max_abs = ffs$score_max_abs,
               profile_max_abs_residual = prs$check_max_abs_residual))

write_ref(out, "firth.json")

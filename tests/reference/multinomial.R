## Reference values for multinomial (baseline-category) logit (issue: multinomial).
## Run: cd tests/reference && Rscript multinomial.R   -> multinomial.json
source("_helpers.R")
suppressPackageStartupMessages({ library(VGAM); library(nnet) })

anes96 <- read_data("anes96")
modechoice <- read_data("modechoice")

VGLM_CTRL <- vglm.control(epsilon = 1e-14, maxit = 100, criterion = "coefficients")

## Fit one multinomial model with VGAM, verify / polish it with an exact Newton
## in R, and return everything (in patsy order, outcome-major).
##   yvar: response column; ref: reference level; rhs: R right-hand side (string);
##   map: R column name -> patsy name; py_terms: patsy names in order.
mnl_fit <- function(data, yvar, ref, rhs, map, py_terms, weights = NULL) {
  data$.y <- factor(as.character(data[[yvar]]))          # sorted level order
  levs <- levels(data$.y)
  outs <- setdiff(levs, ref)
  data$.w <- if (is.null(weights)) rep(1, nrow(data)) else weights
  fml <- as.formula(paste(".y ~", rhs))
  ## VGAM: eta_k = log(P[Y = outs[k]] / P[Y = ref]), k = 1..M in level order
  f0 <- quiet_halfstep(vglm(fml, multinomial(refLevel = ref), data = data, weights = .w,
             control = VGLM_CTRL))
  fit <- quiet_halfstep(vglm(fml, multinomial(refLevel = ref), data = data, weights = .w,
              control = VGLM_CTRL, coefstart = coef(f0)))
  X <- model.matrix(as.formula(paste("~", rhs)), data)
  p <- ncol(X); K <- length(outs)
  Y <- sapply(c(ref, outs), function(l) as.numeric(data$.y == l))
  cm <- coef(fit, matrix = TRUE)                          # p x K, rows = R terms
  stopifnot(identical(rownames(cm), colnames(X)))
  ## check VGAM's eta ordering against its own fitted probabilities
  Pv <- fitted(fit)[, c(ref, outs)]
  stopifnot(max(abs(Pv - mnl_probs(X, cm))) < 1e-10)
  ## exact Newton from VGAM's estimate
  nw <- mnl_newton(X, Y, data$.w, cm)
  rel_diff_vgam_newton <- max(abs(nw$beta - cm) / pmax(abs(nw$beta), 1e-8))
  score_at_vgam <- max(abs(mnl_grad(X, Y, data$.w, cm)))
  stopifnot(rel_diff_vgam_newton < 1e-8)
  beta <- nw$beta                                         # exact MLE (R order rows)
  info <- mnl_info(X, data$.w, beta)
  V <- solve(info)                                        # outcome-major, R term order
  ## VGAM's covariance, reordered to outcome-major R term order, as cross-check
  vn <- as.vector(outer(colnames(X), seq_len(K), function(a, b) paste0(a, ":", b)))
  Vv <- vcov(fit)[vn, vn]
  rel_diff_vcov <- max(abs(Vv - V)) / max(abs(V))
  stopifnot(rel_diff_vcov < 1e-7)
  ## reorder terms to patsy order
  tidx <- match(py_terms, unname(map[colnames(X)]))
  stopifnot(!anyNA(tidx))
  pidx <- as.vector(sapply(seq_len(K), function(k) (k - 1) * p + tidx))
  B <- beta[tidx, , drop = FALSE]
  cf <- as.vector(B)
  V <- V[pidx, pidx]
  se <- sqrt(diag(V))
  z <- cf / se
  q <- qnorm(0.975)
  llf <- mnl_loglik(X, Y, data$.w, beta)
  ## null model: intercept only (closed form and fitted)
  f_null <- quiet_halfstep(vglm(.y ~ 1, multinomial(refLevel = ref), data = data, weights = .w,
                 control = VGLM_CTRL))
  nj <- colSums(data$.w * Y)
  llnull <- sum(nj * log(nj / sum(nj)))
  stopifnot(abs(llnull - logLik(f_null)) < 1e-8)
  stopifnot(abs(llf - logLik(fit)) < 1e-8)
  k <- length(cf)
  n <- sum(data$.w != 0)
  P <- mnl_probs(X, beta)                                  # columns c(ref, outs)
  P <- P[, match(levs, c(ref, outs)), drop = FALSE]        # all levels, sorted order
  ## nnet cross-check (reference = first level of the factor -> relevel)
  data$.yn <- relevel(data$.y, ref = ref)
  nn <- multinom(as.formula(paste(".yn ~", rhs)), data = data, weights = .w,
                 reltol = 1e-12, maxit = 1000, trace = FALSE)
  nc <- coef(nn); if (is.null(dim(nc))) nc <- matrix(nc, nrow = 1, dimnames = list(outs[1], names(nc)))
  nn_cf <- as.vector(t(nc[outs, colnames(X)[tidx], drop = FALSE]))
  list(fit = fit, beta_r = beta, X = X, Y = Y, w = data$.w, levs = levs, outs = outs,
       tidx = tidx, pidx = pidx, V = V, llf = llf, llnull = llnull,
       case = list(
    formula_r = paste(yvar, "~", rhs),
    reference = ref,
    outcomes = outs,
    levels = levs,
    terms_py = py_terms,
    coef_names_py = as.vector(outer(py_terms, outs, function(t, o) paste0(t, "[", o, "]"))),
    coef_names_note = "flattened outcome-major: all terms_py for outcomes[1], then outcomes[2], ...; names are term[outcome]",
    coef = cf, se = se, z = z, p = 2 * pnorm(-abs(z)),
    ci_wald_low = cf - q * se, ci_wald_high = cf + q * se,
    coef_nested = lapply(seq_len(K), function(j) unname(B[, j])),
    se_nested = lapply(seq_len(K), function(j) unname(se[(j - 1) * p + 1:p])),
    cov = mat_rows(unname(V)),
    llf = llf, llnull = llnull,
    deviance = -2 * llf,
    deviance_vgam = deviance(fit),
    null_deviance = -2 * llnull,
    lr_stat = 2 * (llf - llnull),
    df_model = k - K,
    lr_pvalue = pchisq(2 * (llf - llnull), k - K, lower.tail = FALSE),
    mcfadden_r2 = 1 - llf / llnull,
    aic = -2 * llf + 2 * k,
    bic = -2 * llf + log(n) * k,
    aic_vgam = AIC(fit), bic_vgam = BIC(fit),
    nobs = n,
    n_params = k,
    df_resid = n - k,
    fitted_first5 = lapply(1:5, function(i) unname(P[i, ])),
    nnet_coef = nn_cf,
    check = list(score_max_abs_at_vgam = score_at_vgam,
                 score_max_abs_at_reported = max(abs(nw$grad)),
                 rel_diff_vgam_vs_newton_coef = rel_diff_vgam_newton,
                 rel_diff_vgam_vs_newton_cov = rel_diff_vcov,
                 vgam_iterations = fit@iter,
                 nnet_max_abs_diff = max(abs(nn_cf - cf)))
  ))
}

out <- list(meta = c(meta_entry(c("stats", "VGAM", "nnet", "jsonlite")), list(
  notes = paste(
    "VGAM::vglm(multinomial(refLevel=ref), control=vglm.control(epsilon=1e-14, maxit=100,",
    "criterion='coefficients')), refitted from its own estimate, then polished by an exact",
    "Newton iteration in R (score ~1e-12); coef/se/cov are from that exact MLE (observed",
    "information = expected information for the multinomial logit) and agree with",
    "VGAM's coef/vcov (see each case's check). Vectors are flattened outcome-major in",
    "patsy term order. deviance = -2*llf (ungrouped data). aic = -2 llf + 2k,",
    "bic = -2 llf + log(nobs) k, k = number of parameters = length(coef)."),
  anes96_party_note = paste(
    "The requested formula party ~ C(educ) + age + income + selfLR is quasi-separated:",
    "no respondent with educ == 1 is 'Ind' (crosstab cell 0), so the Ind intercept -> -Inf",
    "and all C(educ)[T.k] for Ind -> +Inf; no finite MLE exists. anes96_party uses",
    "C(ClinLR) (all 7 x 3 cells non-empty) instead of C(educ)."))))

## 1. anes96_pid: PID (0..6) as factor, reference "0" ----------------------------
map_pid <- c("(Intercept)" = "Intercept", logpopul = "logpopul", selfLR = "selfLR",
             age = "age", educ = "educ", income = "income")
terms_pid <- c("Intercept", "logpopul", "selfLR", "age", "educ", "income")
r <- mnl_fit(anes96, "PID", "0", "logpopul + selfLR + age + educ + income", map_pid, terms_pid)
out$anes96_pid <- c(list(data = "anes96",
  formula_py = "C(PID) ~ logpopul + selfLR + age + educ + income",
  response_note = "PID (integer 0..6) treated as categorical, levels as strings '0'..'6'"), r$case)

## 2. anes96_party: string outcome + categorical predictor, reference "Dem" -------------
map_pa <- c("(Intercept)" = "Intercept",
            setNames(paste0("C(ClinLR)[T.", 2:7, "]"), paste0("factor(ClinLR)", 2:7)),
            age = "age", income = "income", selfLR = "selfLR")
terms_pa <- c("Intercept", paste0("C(ClinLR)[T.", 2:7, "]"), "age", "income", "selfLR")
r <- mnl_fit(anes96, "party", "Dem", "factor(ClinLR) + age + income + selfLR", map_pa, terms_pa)
out$anes96_party <- c(list(data = "anes96",
  formula_py = "party ~ C(ClinLR) + age + income + selfLR"), r$case)

## 3. modechoice, reference "air" and reference "car" -------------------------------
map_mc <- c("(Intercept)" = "Intercept", hinc = "hinc", psize = "psize")
terms_mc <- c("Intercept", "hinc", "psize")
r <- mnl_fit(modechoice, "mode", "air", "hinc + psize", map_mc, terms_mc)
out$modechoice <- c(list(data = "modechoice", formula_py = "mode ~ hinc + psize"), r$case)
r <- mnl_fit(modechoice, "mode", "car", "hinc + psize", map_mc, terms_mc)
out$modechoice_ref_car <- c(list(data = "modechoice", formula_py = "mode ~ hinc + psize"), r$case)

## 4. anes96_party_weighted: weights w = (row %% 4) + 1 ----------------------------------
w4 <- (seq_len(nrow(anes96)) %% 4) + 1
map_pw <- c("(Intercept)" = "Intercept", age = "age", income = "income", selfLR = "selfLR")
terms_pw <- c("Intercept", "age", "income", "selfLR")
r <- mnl_fit(anes96, "party", "Dem", "age + income + selfLR", map_pw, terms_pw, weights = w4)
anes_exp <- anes96[rep(seq_len(nrow(anes96)), w4), ]
rx <- mnl_fit(anes_exp, "party", "Dem", "age + income + selfLR", map_pw, terms_pw)
stopifnot(max(abs(r$case$coef - rx$case$coef) / abs(rx$case$coef)) < 1e-9,
          max(abs(r$case$se - rx$case$se) / rx$case$se) < 1e-9,
          abs(r$llf - rx$llf) < 1e-8)
out$anes96_party_weighted <- c(list(data = "anes96",
  formula_py = "party ~ age + income + selfLR",
  weights = w4,
  weights_rule = "w = (row_number %% 4) + 1, row_number 1-based in file order"),
  r$case,
  list(nobs_expanded = rx$case$nobs, bic_expanded = rx$case$bic, aic_expanded = rx$case$aic,
       df_resid_expanded = rx$case$df_resid, llf_expanded = rx$llf,
       llnull_expanded = rx$llnull, se_expanded = rx$case$se, coef_expanded = rx$case$coef,
       bic_vgam_expanded = rx$case$bic_vgam,
       note_nobs = "nobs/bic/df_resid count rows with non-zero weight (as R's glm nobs); *_expanded are from the row-replicated data"))

write_ref(out, "multinomial.json")

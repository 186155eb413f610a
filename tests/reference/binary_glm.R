## Reference values for binary logistic regression (issue: binary foundation).
## Run: cd tests/reference && Rscript binary_glm.R   -> binary_glm.json
source("_helpers.R")

spector <- read_data("spector")
affairs <- read_data("affairs")
anes96  <- read_data("anes96")

## Fit with tight epsilon, then refit from its own estimate (covariance at the MLE).
fit_exact <- function(formula, data, weights = NULL) {
  data$.w <- if (is.null(weights)) rep(1, nrow(data)) else weights
  f0 <- glm(formula, family = binomial, data = data, weights = .w, control = GLM_CTRL)
  f1 <- glm(formula, family = binomial, data = data, weights = .w, control = GLM_CTRL,
            start = coef(f0))
  stopifnot(f1$converged)
  f1
}

glm_case <- function(fit, data_name, formula_r, formula_py, map, py_order,
                     llnull = NULL, extra = list()) {
  s <- summary(fit)$coefficients
  cf <- s[, 1]; se <- s[, 2]; z <- s[, 3]; p <- s[, 4]
  q <- qnorm(0.975)
  ci <- confint.default(fit)
  stopifnot(max(abs(ci[, 1] - (cf - q * se))) < 1e-12)
  llf <- as.numeric(logLik(fit))
  if (is.null(llnull)) llnull <- -fit$null.deviance / 2   # 0/1 response: saturated ll = 0
  c(list(
    data = data_name,
    formula_r = formula_r,
    formula_py = formula_py,
    coef_names_py = py_order,
    coef = to_py(cf, map, py_order),
    se = to_py(se, map, py_order),
    z = to_py(z, map, py_order),
    p = to_py(p, map, py_order),
    ci_wald_low = to_py(cf - q * se, map, py_order),
    ci_wald_high = to_py(cf + q * se, map, py_order),
    cov = mat_rows(to_py_mat(vcov(fit), map, py_order)),
    llf = llf,
    llnull = llnull,
    deviance = fit$deviance,
    null_deviance = fit$null.deviance,
    aic = AIC(fit),
    bic = BIC(fit),
    nobs = nobs(fit),
    df_model = length(cf) - 1,
    df_resid = fit$df.residual,
    df_null = fit$df.null,
    lr_stat = fit$null.deviance - fit$deviance,
    lr_pvalue = pchisq(fit$null.deviance - fit$deviance, length(cf) - 1, lower.tail = FALSE),
    mcfadden_r2 = 1 - llf / llnull,
    converged = fit$converged,
    iterations = fit$iter,
    max_abs_score = glm_score_max(fit),
    fitted = unname(fitted(fit))
  ), extra)
}

out <- list(meta = c(meta_entry(c("stats", "jsonlite")), list(
  notes = paste("glm(family=binomial, control=glm.control(epsilon=1e-14, maxit=100)),",
                "refitted once with start=coef(fit). Vectors are in patsy column order",
                "(coef_names_py). cov is the row-major model covariance in the same order."))))

## 1. spector -----------------------------------------------------------------
map_sp <- c("(Intercept)" = "Intercept", GPA = "GPA", TUCE = "TUCE", PSI = "PSI")
ord_sp <- c("Intercept", "GPA", "TUCE", "PSI")
f_sp <- GRADE ~ GPA + TUCE + PSI
fit_sp <- fit_exact(f_sp, spector)
out$spector <- glm_case(fit_sp, "spector", "GRADE ~ GPA + TUCE + PSI",
                        "GRADE ~ GPA + TUCE + PSI", map_sp, ord_sp)

## 2. affairs -----------------------------------------------------------------
map_af <- c("(Intercept)" = "Intercept",
            "factor(rate_marriage)2" = "C(rate_marriage)[T.2]",
            "factor(rate_marriage)3" = "C(rate_marriage)[T.3]",
            "factor(rate_marriage)4" = "C(rate_marriage)[T.4]",
            "factor(rate_marriage)5" = "C(rate_marriage)[T.5]",
            "age" = "age", "log(yrs_married)" = "np.log(yrs_married)",
            "factor(religious)2" = "C(religious)[T.2]",
            "factor(religious)3" = "C(religious)[T.3]",
            "factor(religious)4" = "C(religious)[T.4]",
            "educ" = "educ")
ord_af <- c("Intercept", "C(rate_marriage)[T.2]", "C(rate_marriage)[T.3]",
            "C(rate_marriage)[T.4]", "C(rate_marriage)[T.5]", "C(religious)[T.2]",
            "C(religious)[T.3]", "C(religious)[T.4]", "age", "np.log(yrs_married)", "educ")
f_af <- had_affair ~ factor(rate_marriage) + age + log(yrs_married) + factor(religious) + educ
fit_af <- fit_exact(f_af, affairs)
out$affairs <- glm_case(fit_af, "affairs",
  "had_affair ~ factor(rate_marriage) + age + log(yrs_married) + factor(religious) + educ",
  "had_affair ~ C(rate_marriage) + age + np.log(yrs_married) + C(religious) + educ",
  map_af, ord_af)

## 3. anes96_vote ---------------------------------------------------------------
map_av <- c("(Intercept)" = "Intercept", logpopul = "logpopul", selfLR = "selfLR",
            "factor(educ)2" = "C(educ)[T.2]", "factor(educ)3" = "C(educ)[T.3]",
            "factor(educ)4" = "C(educ)[T.4]", "factor(educ)5" = "C(educ)[T.5]",
            "factor(educ)6" = "C(educ)[T.6]", "factor(educ)7" = "C(educ)[T.7]",
            age = "age", "I(age^2)" = "I(age ** 2)")
ord_av <- c("Intercept", "C(educ)[T.2]", "C(educ)[T.3]", "C(educ)[T.4]", "C(educ)[T.5]",
            "C(educ)[T.6]", "C(educ)[T.7]", "logpopul", "selfLR", "age", "I(age ** 2)")
f_av <- vote ~ logpopul + selfLR + factor(educ) + age + I(age^2)
fit_av <- fit_exact(f_av, anes96)
out$anes96_vote <- glm_case(fit_av, "anes96",
  "vote ~ logpopul + selfLR + factor(educ) + age + I(age^2)",
  "vote ~ logpopul + selfLR + C(educ) + age + I(age**2)", map_av, ord_av)

## 4. spector_weighted: frequency weights w = (row %% 3) + 1 ------------------------
w_sp <- (seq_len(nrow(spector)) %% 3) + 1
fit_spw <- fit_exact(f_sp, spector, weights = w_sp)
spector_exp <- spector[rep(seq_len(nrow(spector)), w_sp), ]
fit_spx <- fit_exact(f_sp, spector_exp)
stopifnot(max(abs(coef(fit_spw) - coef(fit_spx)) / abs(coef(fit_spx))) < 1e-9,
          max(abs(sqrt(diag(vcov(fit_spw))) - sqrt(diag(vcov(fit_spx))))) < 1e-9,
          abs(logLik(fit_spw) - logLik(fit_spx)) < 1e-9)
out$spector_weighted <- glm_case(fit_spw, "spector", "GRADE ~ GPA + TUCE + PSI",
  "GRADE ~ GPA + TUCE + PSI", map_sp, ord_sp,
  extra = list(
    weights = w_sp,
    weights_rule = "w = (row_number %% 3) + 1, row_number 1-based in file order",
    nobs_expanded = nobs(fit_spx),
    bic_expanded = BIC(fit_spx),
    aic_expanded = AIC(fit_spx),
    df_resid_expanded = fit_spx$df.residual,
    df_null_expanded = fit_spx$df.null,
    llf_expanded = as.numeric(logLik(fit_spx)),
    llnull_expanded = -fit_spx$null.deviance / 2,
    se_expanded = to_py(sqrt(diag(vcov(fit_spx))), map_sp, ord_sp),
    coef_expanded = to_py(coef(fit_spx), map_sp, ord_sp),
    note_nobs = "nobs/bic/df_resid/df_null are R's (rows with non-zero weight); *_expanded are from the row-replicated data"))

## 5. spector_offset: offset off = 0.1 * TUCE ------------------------------------
spector$off <- 0.1 * spector$TUCE
f_so <- GRADE ~ GPA + PSI + offset(off)
fit_so <- fit_exact(f_so, spector)
fit_so0 <- fit_exact(GRADE ~ 1 + offset(off), spector)
stopifnot(abs(fit_so0$deviance - fit_so$null.deviance) < 1e-10)
map_so <- c("(Intercept)" = "Intercept", GPA = "GPA", PSI = "PSI")
ord_so <- c("Intercept", "GPA", "PSI")
out$spector_offset <- glm_case(fit_so, "spector", "GRADE ~ GPA + PSI + offset(off)",
  "GRADE ~ GPA + PSI", map_so, ord_so,
  llnull = as.numeric(logLik(fit_so0)),
  extra = list(offset_column = "off", offset_definition = "off = 0.1 * TUCE",
               offset = spector$off,
               null_model = "glm(GRADE ~ 1 + offset(off), binomial)",
               null_coef = unname(coef(fit_so0))))

write_ref(out, "binary_glm.json")

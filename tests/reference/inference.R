## Reference values for full inference (issue: full inference): exact profile-likelihood
## CIs, sandwich covariances, car::Anova, AUC/DeLong, Hosmer-Lemeshow, fit statistics.
## Run: cd tests/reference && Rscript inference.R   -> inference.json
source("_helpers.R")
suppressPackageStartupMessages({
  library(MASS); library(sandwich); library(car); library(pROC); library(VGAM)
})
options(contrasts = c("contr.treatment", "contr.poly"))

spector <- read_data("spector")
affairs <- read_data("affairs")
anes96 <- read_data("anes96")
modechoice <- read_data("modechoice")

spector$g <- ((seq_len(nrow(spector)) - 1) %/% 4) + 1   # 8 clusters of 4 consecutive rows
w_sp <- (seq_len(nrow(spector)) %% 3) + 1
spector_exp <- spector[rep(seq_len(nrow(spector)), w_sp), ]

## Exact fits at top level (so that car / sandwich can re-evaluate calls) ------------
f_sp <- GRADE ~ GPA + TUCE + PSI
f_af <- had_affair ~ factor(rate_marriage) + age + log(yrs_married) + factor(religious) + educ
fit_sp <- glm(f_sp, family = binomial, data = spector, control = GLM_CTRL)
fit_sp <- glm(f_sp, family = binomial, data = spector, control = GLM_CTRL, start = coef(fit_sp))
fit_af <- glm(f_af, family = binomial, data = affairs, control = GLM_CTRL)
fit_af <- glm(f_af, family = binomial, data = affairs, control = GLM_CTRL, start = coef(fit_af))
fit_spx <- glm(f_sp, family = binomial, data = spector_exp, control = GLM_CTRL)
fit_spx <- glm(f_sp, family = binomial, data = spector_exp, control = GLM_CTRL,
               start = coef(fit_spx))

map_sp <- c("(Intercept)" = "Intercept", GPA = "GPA", TUCE = "TUCE", PSI = "PSI")
ord_sp <- c("Intercept", "GPA", "TUCE", "PSI")
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
term_map_af <- c("(Intercept)" = "Intercept", "factor(rate_marriage)" = "C(rate_marriage)",
                 "age" = "age", "log(yrs_married)" = "np.log(yrs_married)",
                 "factor(religious)" = "C(religious)", "educ" = "educ")

FORM <- list(
  spector = list(data = "spector", formula_r = "GRADE ~ GPA + TUCE + PSI",
                 formula_py = "GRADE ~ GPA + TUCE + PSI"),
  affairs = list(data = "affairs",
    formula_r = "had_affair ~ factor(rate_marriage) + age + log(yrs_married) + factor(religious) + educ",
    formula_py = "had_affair ~ C(rate_marriage) + age + np.log(yrs_married) + C(religious) + educ"))

Q95 <- qchisq(0.95, 1)

## Find both roots of f(b) = 0 around bhat (f(bhat) < 0), bracketing by expansion.
two_roots <- function(f, bhat, scale, tol) {
  bound <- function(dir) {
    lo <- bhat; hi <- bhat + dir * scale
    while (f(hi) < 0) { lo <- hi; hi <- bhat + 2 * (hi - bhat) }
    uniroot(f, sort(c(lo, hi)), tol = tol, maxiter = 1000)$root
  }
  c(bound(-1), bound(+1))
}

## ===================================================================================
## 1. Exact profile-likelihood CIs
## ===================================================================================
glm_dev_fixed <- function(X, y, j, b, offset0 = 0) {
  off <- offset0 + b * X[, j]
  f0 <- glm.fit(X[, -j, drop = FALSE], y, offset = off, family = binomial(), control = GLM_CTRL)
  f1 <- glm.fit(X[, -j, drop = FALSE], y, offset = off, family = binomial(), control = GLM_CTRL,
                start = f0$coefficients)
  f1$deviance
}
profile_glm <- function(fit, map, ord) {
  X <- model.matrix(fit); y <- fit$y
  cf <- coef(fit); se <- sqrt(diag(vcov(fit))); dev <- deviance(fit)
  ci <- t(sapply(seq_along(cf), function(j) {
    f <- function(b) glm_dev_fixed(X, y, j, b) - dev - Q95
    two_roots(f, cf[j], 2 * se[j], 1e-12)
  }))
  rownames(ci) <- names(cf)
  ## check: profile deviance at the bounds
  chk <- max(abs(sapply(seq_along(cf), function(j)
    sapply(1:2, function(s) glm_dev_fixed(X, y, j, ci[j, s]) - dev - Q95))))
  mass <- suppressMessages(confint(fit))   # MASS:::confint.glm (interpolated profile)
  list(ci_profile_low = to_py(ci[, 1], map, ord), ci_profile_high = to_py(ci[, 2], map, ord),
       ci_profile_mass_low = to_py(mass[, 1], map, ord),
       ci_profile_mass_high = to_py(mass[, 2], map, ord),
       check_max_abs_dev_residual_at_bounds = chk)
}

prof <- list()
prof$spector <- c(FORM$spector, list(coef_names_py = ord_sp, coef = to_py(coef(fit_sp), map_sp, ord_sp),
  level = 0.95, crit = Q95), profile_glm(fit_sp, map_sp, ord_sp))
prof$affairs <- c(FORM$affairs, list(coef_names_py = ord_af, coef = to_py(coef(fit_af), map_af, ord_af),
  level = 0.95, crit = Q95), profile_glm(fit_af, map_af, ord_af))

## multinomial modechoice: mode ~ hinc + psize, reference air ---------------------------
mc_y <- factor(modechoice$mode)
mc_levs <- levels(mc_y); mc_ref <- "air"; mc_outs <- setdiff(mc_levs, mc_ref)
mc_X <- model.matrix(~ hinc + psize, modechoice)   # Intercept, hinc, psize = patsy order
mc_Y <- sapply(c(mc_ref, mc_outs), function(l) as.numeric(mc_y == l))
mc_w <- rep(1, nrow(mc_X))
vf <- quiet_halfstep(vglm(mc_y ~ hinc + psize, multinomial(refLevel = mc_ref), data = modechoice,
           control = vglm.control(epsilon = 1e-14, maxit = 100, criterion = "coefficients")))
mc_fit <- mnl_newton(mc_X, mc_Y, mc_w, coef(vf, matrix = TRUE))
mc_beta <- mc_fit$beta; mc_ll <- mc_fit$loglik
mc_se <- sqrt(diag(solve(mnl_info(mc_X, mc_w, mc_beta))))

## max loglik with parameter j (outcome-major index) fixed at b: exact damped Newton
mnl_ll_fixed <- function(j, b, start) {
  theta <- as.vector(start); theta[j] <- b
  free <- setdiff(seq_along(theta), j)
  B <- function(th) matrix(th, nrow(mc_beta))
  ll <- mnl_loglik(mc_X, mc_Y, mc_w, B(theta))
  for (it in 1:200) {
    g <- mnl_grad(mc_X, mc_Y, mc_w, B(theta))[free]
    H <- mnl_info(mc_X, mc_w, B(theta))[free, free]
    step <- solve(H, g)
    t <- 1
    repeat {
      nt <- theta; nt[free] <- theta[free] + t * step
      nll <- mnl_loglik(mc_X, mc_Y, mc_w, B(nt))
      if (nll >= ll - 1e-12 * abs(ll) || t < 1e-10) break
      t <- t / 2
    }
    theta <- nt; ll <- nll
    if (max(abs(step)) < 1e-13) break
  }
  g <- mnl_grad(mc_X, mc_Y, mc_w, B(theta))[free]
  list(ll = ll, theta = theta, gmax = max(abs(g)))
}
mc_theta <- as.vector(mc_beta)
mc_ci <- t(sapply(seq_along(mc_theta), function(j) {
  f <- function(b) 2 * (mc_ll - mnl_ll_fixed(j, b, mc_theta)$ll) - Q95
  two_roots(f, mc_theta[j], 2 * mc_se[j], 1e-12)
}))
mc_chk <- max(sapply(seq_along(mc_theta), function(j) sapply(1:2, function(s) {
  r <- mnl_ll_fixed(j, mc_ci[j, s], mc_theta)
  max(abs(2 * (mc_ll - r$ll) - Q95), r$gmax)
})))
mc_terms <- c("Intercept", "hinc", "psize")
prof$modechoice <- list(data = "modechoice", formula_r = "mode ~ hinc + psize",
  formula_py = "mode ~ hinc + psize", reference = mc_ref, outcomes = mc_outs, terms_py = mc_terms,
  coef_names_py = as.vector(outer(mc_terms, mc_outs, function(t, o) paste0(t, "[", o, "]"))),
  coef = mc_theta, se = mc_se, llf = mc_ll, level = 0.95, crit = Q95,
  ci_profile_low = mc_ci[, 1], ci_profile_high = mc_ci[, 2],
  method = paste("for each parameter (outcome-major), the two roots of",
                 "2*(llf - max_{others} ll(b_j = b)) = qchisq(0.95, 1) by uniroot(tol=1e-12);",
                 "inner maximisation by exact damped Newton in R (score < 1e-9)"),
  check_max_abs_residual_at_bounds = mc_chk)

## ===================================================================================
## 2. Sandwich covariances
## ===================================================================================
sw_case <- function(fit, map, ord, cluster, cluster_name) {
  hc0 <- sandwich::sandwich(fit)
  hc1 <- sandwich::vcovHC(fit, type = "HC1")
  cl <- sandwich::vcovCL(fit, cluster = cluster, type = "HC1")
  list(coef_names_py = ord,
       cov_hc0 = mat_rows(to_py_mat(hc0, map, ord)), se_hc0 = to_py(sqrt(diag(hc0)), map, ord),
       cov_hc1 = mat_rows(to_py_mat(hc1, map, ord)), se_hc1 = to_py(sqrt(diag(hc1)), map, ord),
       cov_cluster = mat_rows(to_py_mat(cl, map, ord)), se_cluster = to_py(sqrt(diag(cl)), map, ord),
       cluster_column = cluster_name, n_clusters = length(unique(cluster)),
       cov_nonrobust = mat_rows(to_py_mat(vcov(fit), map, ord)))
}
sand <- list()
sand$spector <- c(FORM$spector, sw_case(fit_sp, map_sp, ord_sp, spector$g, "g"),
  list(cluster_rule = "g = ((row_number - 1) %/% 4) + 1, row_number 1-based in file order (8 clusters of 4 rows)",
       cluster_values = spector$g))
sand$affairs <- c(FORM$affairs, sw_case(fit_af, map_af, ord_af, affairs$occupation, "occupation"))
## cross-check the formula interface once
stopifnot(max(abs(vcovCL(fit_af, cluster = ~occupation, type = "HC1") -
                  vcovCL(fit_af, cluster = affairs$occupation, type = "HC1"))) < 1e-15)
hc0x <- sandwich::sandwich(fit_spx); hc1x <- sandwich::vcovHC(fit_spx, type = "HC1")
sand$spector_weighted <- c(FORM$spector, list(
  weights = w_sp, weights_rule = "w = (row_number %% 3) + 1",
  coef_names_py = ord_sp,
  note = "computed on the row-expanded data (rows replicated w times): n = sum(w)",
  n_expanded = nrow(spector_exp),
  cov_hc0 = mat_rows(to_py_mat(hc0x, map_sp, ord_sp)), se_hc0 = to_py(sqrt(diag(hc0x)), map_sp, ord_sp),
  cov_hc1 = mat_rows(to_py_mat(hc1x, map_sp, ord_sp)), se_hc1 = to_py(sqrt(diag(hc1x)), map_sp, ord_sp)))

## multinomial sandwich for anes96_party (party ~ C(ClinLR) + age + income + selfLR, ref Dem)
pa_y <- factor(anes96$party); pa_ref <- "Dem"; pa_outs <- setdiff(levels(pa_y), pa_ref)
pa_X <- model.matrix(~ factor(ClinLR) + age + income + selfLR, anes96)  # same order as patsy here
pa_terms <- c("Intercept", paste0("C(ClinLR)[T.", 2:7, "]"), "age", "income", "selfLR")
pa_Y <- sapply(c(pa_ref, pa_outs), function(l) as.numeric(pa_y == l))
pa_w <- rep(1, nrow(pa_X))
vf_pa <- quiet_halfstep(vglm(pa_y ~ factor(ClinLR) + age + income + selfLR, multinomial(refLevel = pa_ref),
              data = anes96, control = vglm.control(epsilon = 1e-14, maxit = 100, criterion = "coefficients")))
pa_fit <- mnl_newton(pa_X, pa_Y, pa_w, coef(vf_pa, matrix = TRUE))
pa_beta <- pa_fit$beta
pa_A <- mnl_info(pa_X, pa_w, pa_beta)
pa_Ainv <- solve(pa_A)
pa_P <- mnl_probs(pa_X, pa_beta)
pa_R <- (pa_Y - pa_P)[, -1, drop = FALSE]
## per-observation scores, outcome-major: s_i[(k-1)p + t] = x_it (y_ik - p_ik)
pa_S <- do.call(cbind, lapply(seq_along(pa_outs), function(k) pa_X * pa_R[, k]))
n <- nrow(pa_X); k <- ncol(pa_S)
pa_hc0 <- pa_Ainv %*% crossprod(pa_S) %*% pa_Ainv
pa_hc1 <- pa_hc0 * n / (n - k)
cl <- anes96$educ; G <- length(unique(cl))
pa_Sg <- rowsum(pa_S, cl)
pa_cl <- (G / (G - 1)) * ((n - 1) / (n - k)) * pa_Ainv %*% crossprod(pa_Sg) %*% pa_Ainv
sand$anes96_party <- list(data = "anes96",
  formula_r = "party ~ factor(ClinLR) + age + income + selfLR",
  formula_py = "party ~ C(ClinLR) + age + income + selfLR",
  formula_note = "C(ClinLR) replaces the requested C(educ): with C(educ) the MLE does not exist (no 'Ind' with educ == 1); see multinomial.json meta",
  reference = pa_ref, outcomes = pa_outs, terms_py = pa_terms,
  coef_names_py = as.vector(outer(pa_terms, pa_outs, function(t, o) paste0(t, "[", o, "]"))),
  coef = as.vector(pa_beta),
  cov_nonrobust = mat_rows(unname(pa_Ainv)), se_nonrobust = sqrt(diag(pa_Ainv)),
  cov_hc0 = mat_rows(unname(pa_hc0)), se_hc0 = sqrt(diag(pa_hc0)),
  cov_hc1 = mat_rows(unname(pa_hc1)), se_hc1 = sqrt(diag(pa_hc1)),
  cov_cluster = mat_rows(unname(pa_cl)), se_cluster = sqrt(diag(pa_cl)),
  cluster_column = "educ", n_clusters = G, nobs = n, n_params = k,
  formulas = paste("A = observed information (sum over rows); s_i = (y_i - p_i)[non-ref] (x) x_i, outcome-major;",
    "HC0 = A^-1 (sum_i s_i s_i') A^-1; HC1 = HC0 * n/(n-k); cluster = G/(G-1) * (n-1)/(n-k) *",
    "A^-1 (sum_g S_g S_g') A^-1 with S_g = sum_{i in g} s_i; k = total number of parameters"))

## ===================================================================================
## 3. car::Anova
## ===================================================================================
anova_rows <- function(a, term_map) {
  rn <- rownames(a)
  st <- if ("LR Chisq" %in% names(a)) a[["LR Chisq"]] else a[["Chisq"]]
  lapply(seq_along(rn), function(i) list(term_r = rn[i], term_py = unname(term_map[rn[i]]),
    df = a$Df[i], statistic = st[i], p = a[["Pr(>Chisq)"]][i]))
}
an <- list(affairs = c(FORM$affairs, list(
  contrasts = "options(contrasts = c('contr.treatment', 'contr.poly')) (R default)",
  type2_lr = anova_rows(Anova(fit_af, type = 2, test.statistic = "LR"), term_map_af),
  type2_wald = anova_rows(Anova(fit_af, type = 2, test.statistic = "Wald"), term_map_af),
  type3_lr = anova_rows(Anova(fit_af, type = 3, test.statistic = "LR"), term_map_af),
  type3_wald = anova_rows(Anova(fit_af, type = 3, test.statistic = "Wald"), term_map_af),
  note = "type3_wald includes an (Intercept) row (term_py 'Intercept'); type3_lr does not")))
## exact-refit cross-check of type-2 LR (main-effects model: drop each term)
Xaf <- model.matrix(fit_af); asg <- attr(Xaf, "assign")
my_lr <- sapply(1:5, function(t) {
  f0 <- glm.fit(Xaf[, asg != t], fit_af$y, family = binomial(), control = GLM_CTRL)
  f1 <- glm.fit(Xaf[, asg != t], fit_af$y, family = binomial(), control = GLM_CTRL, start = f0$coefficients)
  f1$deviance - deviance(fit_af)
})
car_lr <- sapply(an$affairs$type2_lr, `[[`, "statistic")
stopifnot(max(abs(my_lr - car_lr) / car_lr) < 1e-9)

## multinomial type-2 LR for anes96_party by exact refits
pa_asg <- attr(pa_X, "assign")
pa_term_r <- c("factor(ClinLR)", "age", "income", "selfLR")
pa_term_py <- c("C(ClinLR)", "age", "income", "selfLR")
pa_rows <- lapply(seq_along(pa_term_r), function(t) {
  Xr <- pa_X[, pa_asg != t, drop = FALSE]
  b0 <- matrix(0, ncol(Xr), length(pa_outs))
  r <- mnl_newton(Xr, pa_Y, pa_w, b0)
  stat <- 2 * (pa_fit$loglik - r$loglik)
  df <- sum(pa_asg == t) * length(pa_outs)
  list(term_r = pa_term_r[t], term_py = pa_term_py[t], df = df, statistic = stat,
       p = pchisq(stat, df, lower.tail = FALSE), llf_reduced = r$loglik,
       score_max_abs_reduced = max(abs(r$grad)))
})
an$anes96_party <- list(data = "anes96",
  formula_r = "party ~ factor(ClinLR) + age + income + selfLR",
  formula_py = "party ~ C(ClinLR) + age + income + selfLR", reference = pa_ref,
  outcomes = pa_outs, terms_py = pa_terms,
  coef_names_py = as.vector(outer(pa_terms, pa_outs, function(t, o) paste0(t, "[", o, "]"))),
  coef = as.vector(pa_beta), llf = pa_fit$loglik,
  type2_lr = pa_rows,
  method = "LR = 2*(llf_full - llf_without_term), exact Newton refits; df = (#columns of term) * (#outcomes)")

## ===================================================================================
## 4. AUC and DeLong CI (pROC)
## ===================================================================================
auc_case <- function(fit) {
  r <- pROC::roc(fit$y, fitted(fit), direction = "<", levels = c(0, 1), quiet = TRUE)
  ci <- pROC::ci.auc(r, method = "delong", conf.level = 0.95)
  list(auc = as.numeric(pROC::auc(r)), ci_low = ci[1], ci_high = ci[3],
       var_delong = var(r, method = "delong"),
       method = "pROC::roc(y, fitted, direction='<', levels=c(0,1)); ci.auc(method='delong'); var(roc, method='delong')")
}
auc <- list(spector = c(FORM$spector, auc_case(fit_sp)),
            affairs = c(FORM$affairs, auc_case(fit_af)))

## ===================================================================================
## 5. Hosmer-Lemeshow (ResourceSelection::hoslem.test formula), affairs, g = 10
## ===================================================================================
hoslem <- function(y, yhat, g = 10) {
  qq <- unique(quantile(yhat, probs = seq(0, 1, 1 / g)))      # type 7 quantiles
  cuts <- cut(yhat, breaks = qq, include.lowest = TRUE)        # right-closed, first closed
  obs1 <- tapply(y, cuts, sum); exp1 <- tapply(yhat, cuts, sum)
  nn <- tapply(y, cuts, length)
  obs0 <- nn - obs1; exp0 <- nn - exp1
  chisq <- sum((obs1 - exp1)^2 / exp1) + sum((obs0 - exp0)^2 / exp0)
  df <- g - 2
  groups <- lapply(seq_along(nn), function(i) list(interval = names(nn)[i], n = unname(nn[i]),
    observed_1 = unname(obs1[i]), expected_1 = unname(exp1[i]),
    observed_0 = unname(obs0[i]), expected_0 = unname(exp0[i])))
  list(g = g, breaks = unname(qq), n_groups = length(nn), groups = groups,
       statistic = chisq, df = df, p = pchisq(chisq, df, lower.tail = FALSE))
}
hl <- list(affairs = c(FORM$affairs, hoslem(fit_af$y, fitted(fit_af), 10)))

## ===================================================================================
## 6. Pearson chi-square and pseudo R^2
## ===================================================================================
gof_case <- function(fit) {
  y <- fit$y; mu <- fitted(fit); n <- length(y)
  llf <- as.numeric(logLik(fit)); lln <- -fit$null.deviance / 2
  cs <- 1 - exp(2 * (lln - llf) / n)
  pr <- residuals(fit, type = "pearson")
  list(pearson_chi2 = sum(pr^2), df_resid = fit$df.residual, llf = llf, llnull = lln, nobs = n,
       r2_mcfadden = 1 - llf / lln,
       r2_cox_snell = cs, r2_nagelkerke = cs / (1 - exp(2 * lln / n)),
       r2_tjur = mean(mu[y == 1]) - mean(mu[y == 0]))
}
gof <- list(spector = c(FORM$spector, gof_case(fit_sp)),
            affairs = c(FORM$affairs, gof_case(fit_af)))

## Flatten to top-level case ids "<section>_<case>"; every case carries data, formulas,
## coef_names_py and coef.
base_coef <- list(
  spector = list(coef_names_py = ord_sp, coef = to_py(coef(fit_sp), map_sp, ord_sp)),
  affairs = list(coef_names_py = ord_af, coef = to_py(coef(fit_af), map_af, ord_af)),
  spector_weighted = list(coef_names_py = ord_sp, coef = to_py(coef(fit_spx), map_sp, ord_sp)))
sections <- list(profile_ci = prof, sandwich = sand, anova = an, auc = auc,
                 hosmer_lemeshow = hl, gof = gof)
out <- list(
  meta = c(meta_entry(c("stats", "MASS", "sandwich", "car", "pROC", "VGAM", "jsonlite")),
           list(notes = paste("Top-level case ids are <section>_<case>, sections: profile_ci,",
             "sandwich, anova, auc, hosmer_lemeshow, gof. Vectors in patsy order (coef_names_py);",
             "multinomial vectors flattened outcome-major."))))
for (sec in names(sections)) for (cid in names(sections[[sec]])) {
  x <- sections[[sec]][[cid]]
  if (is.null(x$coef_names_py)) x <- c(x, base_coef[[cid]])
  stopifnot(!is.null(x$coef_names_py), !is.null(x$coef), !is.null(x$data),
            !is.null(x$formula_r), !is.null(x$formula_py), !anyDuplicated(names(x)))
  out[[paste0(sec, "_", cid)]] <- c(list(section = sec), x)
}
write_ref(out, "inference.json")

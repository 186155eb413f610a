## Effects through the formula (issue 16): slopes, comparisons, grid predictions, emmeans
## marginal means and pairwise odds ratios, residuals and influence. Writes effects.json.
## marginaleffects is not installable here, so its numbers are computed by hand:
##   AME  = mean over rows of dP/dx, with the exact derivative of the formula (checked
##          against numDeriv::grad of mean(predict(data with x + h)) at h = 0, Richardson);
##   comparisons = functions of mean(predict(data with x set)), as avg_comparisons;
##   SEs  = delta method, sqrt(J V J'), J = numDeriv::jacobian of the estimate in the
##          coefficients (Richardson extrapolation, relative error about 1e-10).
source("_helpers.R")
suppressPackageStartupMessages({
  library(numDeriv)
  library(emmeans)
  library(MASS)
})

affairs <- read_data("affairs")
spector <- read_data("spector")
modechoice <- read_data("modechoice")
out <- list(meta = meta_entry(c("jsonlite", "numDeriv", "emmeans", "MASS")))

fit_glm <- function(f, d, w = NULL) {
  d$.w <- if (is.null(w)) rep(1, nrow(d)) else w
  glm_exact(function(s) glm(f, binomial, data = d, weights = .w, start = s, control = GLM_CTRL))
}
## P(event) for coefficient vector b on data d, through the training terms and levels
prob_fun <- function(fit) {
  tt <- delete.response(terms(fit))
  function(b, d) {
    X <- model.matrix(tt, model.frame(tt, d, xlev = fit$xlevels))
    plogis(drop(X %*% b))
  }
}
delta <- function(fn, b, V) {
  J <- jacobian(fn, b)
  list(est = fn(b), se = sqrt(diag(J %*% V %*% t(J))))
}

## 1. AMEs through an interaction, a log and a square (the issue's example) ----------------
f_a <- had_affair ~ age * educ + log(yrs_married) + I(age^2)
fit_a <- fit_glm(f_a, affairs)
b <- coef(fit_a)
stopifnot(identical(names(b), c("(Intercept)", "age", "educ", "log(yrs_married)", "I(age^2)",
                                "age:educ")))
ame_exact <- function(b, d = affairs) {
  eta <- b[1] + b[2] * d$age + b[3] * d$educ + b[4] * log(d$yrs_married) + b[5] * d$age^2 +
    b[6] * d$age * d$educ
  v <- plogis(eta) * (1 - plogis(eta))
  c(mean(v * (b[2] + 2 * b[5] * d$age + b[6] * d$educ)),
    mean(v * (b[3] + b[6] * d$age)),
    mean(v * b[4] / d$yrs_married))
}
pa <- prob_fun(fit_a)
ame_num <- sapply(c("age", "educ", "yrs_married"), function(x)
  grad(function(h) { d <- affairs; d[[x]] <- d[[x]] + h; mean(pa(b, d)) }, 0))
stopifnot(max(abs(ame_num - ame_exact(b))) < 1e-9)
mem_exact <- function(b) {
  m <- colMeans(affairs[, c("age", "educ", "yrs_married")])
  eta <- b[1] + b[2] * m[1] + b[3] * m[2] + b[4] * log(m[3]) + b[5] * m[1]^2 + b[6] * m[1] * m[2]
  v <- plogis(eta) * (1 - plogis(eta))
  unname(c(v * (b[2] + 2 * b[5] * m[1] + b[6] * m[2]), v * (b[3] + b[6] * m[1]),
           v * b[4] / m[3]))
}
ame <- delta(ame_exact, b, vcov(fit_a))
mem <- delta(mem_exact, b, vcov(fit_a))
out$slopes_affairs <- list(
  data = "affairs", formula_r = deparse(f_a),
  formula_py = "had_affair ~ age*educ + np.log(yrs_married) + I(age**2)",
  variables = c("age", "educ", "yrs_married"),
  ame = unname(ame$est), ame_se = unname(ame$se), ame_numderiv = unname(ame_num),
  mem = mem$est, mem_se = mem$se)

## 2. Factor and numeric comparisons (difference, ratio, log odds ratio) ---------------------
f_c <- had_affair ~ factor(rate_marriage) + age + educ + factor(religious)
fit_c <- fit_glm(f_c, affairs)
pc <- prob_fun(fit_c)
bc <- coef(fit_c)
avg_at <- function(b, x, value, shift = FALSE) {
  d <- affairs
  d[[x]] <- if (shift) d[[x]] + value else value
  mean(pc(b, d))
}
cmp <- function(b, kind) {
  m0 <- avg_at(b, "rate_marriage", 1)
  m <- sapply(2:5, function(l) avg_at(b, "rate_marriage", l))
  a0 <- avg_at(b, "age", 0, TRUE); a1 <- avg_at(b, "age", 1, TRUE)
  f <- switch(kind, difference = function(m1, m0) m1 - m0, ratio = function(m1, m0) m1 / m0,
              lnor = function(m1, m0) qlogis(m1) - qlogis(m0))
  c(f(m, m0), f(a1, a0))
}
cases <- lapply(c(difference = "difference", ratio = "ratio", lnor = "lnor"), function(k) {
  r <- delta(function(b) cmp(b, k), bc, vcov(fit_c))
  list(estimate = r$est, std_error = r$se)
})
out$comparisons_affairs <- c(list(
  data = "affairs", formula_r = deparse(f_c),
  formula_py = "had_affair ~ C(rate_marriage) + age + educ + C(religious)",
  rows = c("rate_marriage 2 - 1", "rate_marriage 3 - 1", "rate_marriage 4 - 1",
           "rate_marriage 5 - 1", "age +1")), cases)

## 3. Grid predictions, emmeans marginal means and pairwise odds ratios ----------------------
mode_of <- function(x) { t <- table(x); as.numeric(names(t)[which.max(t)]) }
grid <- data.frame(rate_marriage = 1:5, age = mean(affairs$age), educ = mean(affairs$educ),
                   religious = mode_of(affairs$religious))
pr <- predict(fit_c, newdata = grid, type = "link", se.fit = TRUE)
q <- qnorm(0.975)
emm <- emmeans(fit_c, ~ rate_marriage, type = "response", data = cbind(affairs, .w = 1))
es <- as.data.frame(summary(emm))
pw <- lapply(c(tukey = "tukey", holm = "holm", bonferroni = "bonferroni", none = "none"),
             function(a) {
  s <- as.data.frame(summary(pairs(emm, adjust = a)))
  list(contrast = as.character(s$contrast), odds_ratio = s$odds.ratio, se = s$SE,
       z = s$z.ratio, p = s$p.value)
})
out$grid_affairs <- list(
  data = "affairs", formula_py = out$comparisons_affairs$formula_py,
  grid_rate_marriage = grid$rate_marriage, grid_age = grid$age, grid_educ = grid$educ,
  grid_religious = grid$religious,
  prob = unname(plogis(pr$fit)), se_link = unname(pr$se.fit),
  conf_low = unname(plogis(pr$fit - q * pr$se.fit)),
  conf_high = unname(plogis(pr$fit + q * pr$se.fit)),
  emmeans_prob = es$prob, emmeans_se = es$SE, emmeans_low = es$asymp.LCL,
  emmeans_high = es$asymp.UCL, emmeans_weights = "equal", pairs = pw)

## 4. Residuals and influence (spector, spector weighted, birthwt) ---------------------------
infl_case <- function(fit, data, formula_py, extra = list()) {
  c(list(data = data, formula_py = formula_py,
         resid_deviance = unname(residuals(fit, "deviance")),
         resid_pearson = unname(residuals(fit, "pearson")),
         resid_response = unname(residuals(fit, "response")),
         resid_working = unname(residuals(fit, "working")),
         hat = unname(hatvalues(fit)), cooks_d = unname(cooks.distance(fit)),
         rstandard = unname(rstandard(fit)), rstudent = unname(rstudent(fit))), extra)
}
fit_s <- fit_glm(GRADE ~ GPA + TUCE + PSI, spector)
out$influence_spector <- infl_case(fit_s, "spector", "GRADE ~ GPA + TUCE + PSI")
w_sp <- (seq_len(nrow(spector)) %% 3) + 1
fit_sw <- fit_glm(GRADE ~ GPA + TUCE + PSI, spector, w_sp)
out$influence_spector_weighted <- infl_case(fit_sw, "spector", "GRADE ~ GPA + TUCE + PSI",
                                            list(weights = w_sp))
bw <- MASS::birthwt[, c("low", "age", "lwt", "race", "smoke")]
fit_b <- fit_glm(low ~ age + lwt + factor(race) + smoke, bw)
out$influence_birthwt <- infl_case(fit_b, "inline", "low ~ age + lwt + C(race) + smoke",
                                   list(data_inline = as.list(bw)))

## 5. Multinomial AMEs through a square: mode ~ hinc + I(hinc^2) + psize, reference air ------
lev <- sort(unique(modechoice$mode))
X <- model.matrix(~ hinc + I(hinc^2) + psize, modechoice)
Y <- sapply(lev, function(l) as.numeric(modechoice$mode == l))
beta <- mnl_newton(X, Y, rep(1, nrow(X)), matrix(0, ncol(X), length(lev) - 1))
if (is.list(beta)) beta <- beta$beta
bm <- as.vector(beta)
Vm <- solve(mnl_info(X, rep(1, nrow(X)), matrix(bm, ncol(X))))
stopifnot(max(abs(mnl_grad(X, Y, rep(1, nrow(X)), matrix(bm, ncol(X))))) < 1e-8)
mame <- function(bv) {
  B <- cbind(0, matrix(bv, ncol(X)))
  P <- mnl_probs(X, matrix(bv, ncol(X)))
  D <- outer(rep(1, nrow(X)), B[2, ]) + 2 * outer(modechoice$hinc, B[3, ])
  colMeans(P * (D - rowSums(P * D)))
}
mm <- delta(mame, bm, Vm)
out$slopes_modechoice <- list(
  data = "modechoice", formula_py = "mode ~ hinc + I(hinc**2) + psize", reference = "air",
  levels = lev, variable = "hinc", ame = mm$est, ame_se = mm$se)

write_ref(out, "effects.json")

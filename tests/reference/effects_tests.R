## Joint tests of a term's coefficients and nonlinear functions of coefficients (issue 16, item 4).
## Writes effects_tests.json.  Run: cd tests/reference && Rscript effects_tests.R
##   term tests  = car::linearHypothesis(..., test = "Chisq") on every coefficient of the term;
##   nonlinear   = car::deltaMethod (symbolic derivative with D(), so the SE is exact) and the
##                 Wald statistic (g / se)^2 of one restriction.
## Binary fits are exact glm fits (epsilon 1e-14, refitted from their own estimate); the
## multinomial coefficients and covariance are those of multinomial.json (exact Newton there).
source("_helpers.R")
suppressPackageStartupMessages({
  library(car)
})

spector <- read_data("spector")
affairs <- read_data("affairs")
out <- list(meta = meta_entry(c("jsonlite", "car")))

fit_glm <- function(f, d) {
  glm_exact(function(s) glm(f, binomial, data = d, start = s, control = GLM_CTRL))
}
lh <- function(...) {
  t <- linearHypothesis(..., test = "Chisq")
  list(statistic = t$Chisq[2], df = t$Df[2], p_value = t[["Pr(>Chisq)"]][2])
}
dm <- function(obj, g, ...) {
  d <- deltaMethod(obj, g, ...)
  list(expression_r = g, estimate = d$Estimate, std_error = d$SE,
       statistic = (d$Estimate / d$SE)^2,
       p_value = pchisq((d$Estimate / d$SE)^2, 1, lower.tail = FALSE))
}

## 1. spector: nonlinear functions --------------------------------------------------------
fit_s <- fit_glm(GRADE ~ GPA + TUCE + PSI, spector)
out$nonlinear_spector <- list(
  data = "spector", formula_r = "GRADE ~ GPA + TUCE + PSI",
  formula_py = "GRADE ~ GPA + TUCE + PSI",
  expressions_py = c("exp(GPA) - exp(TUCE)", "GPA / TUCE", "plogis(Intercept + 3*GPA + 20*TUCE)",
                     "sqrt(GPA) * log(PSI + 2) = 1"),
  results = list(
    dm(fit_s, "exp(GPA) - exp(TUCE)"),
    dm(fit_s, "GPA / TUCE"),
    dm(fit_s, "1 / (1 + exp(-(b0 + 3*b1 + 20*b2)))", parameterNames = c("b0", "b1", "b2", "b3")),
    dm(fit_s, "sqrt(GPA) * log(PSI + 2) - 1")
  )
)

## 2. affairs: a factor term jointly, and a ratio of two of its coefficients ----------------
fit_a <- fit_glm(had_affair ~ factor(rate_marriage) + age + yrs_married, affairs)
rm_names <- grep("^factor\\(rate_marriage\\)", names(coef(fit_a)), value = TRUE)
stopifnot(length(rm_names) == 4)
out$term_affairs <- list(
  data = "affairs", formula_r = "had_affair ~ factor(rate_marriage) + age + yrs_married",
  formula_py = "had_affair ~ C(rate_marriage) + age + yrs_married",
  term_py = "C(rate_marriage)",
  joint = lh(fit_a, rm_names),
  joint_with_age_py = "C(rate_marriage), age = 0",
  joint_with_age = lh(fit_a, c(rm_names, "age")),
  ratio_py = "`C(rate_marriage)[T.5]` / `C(rate_marriage)[T.4]`",
  ## b0 = (Intercept), b1..b4 = rate_marriage levels 2..5, b5 = age, b6 = yrs_married
  ratio = dm(fit_a, "b4 / b3", parameterNames = paste0("b", 0:6)),
  ratio_names_r = names(coef(fit_a))
)

## 3. modechoice multinomial (reference air): a term in every outcome, in one outcome, and a
##    nonlinear function across outcomes -------------------------------------------------------
mn <- fromJSON("multinomial.json")$modechoice
b <- setNames(mn$coef, gsub("\\[|\\]", "_", mn$coef_names_py))
V <- matrix(unlist(mn$cov), length(b), byrow = TRUE, dimnames = list(names(b), names(b)))
stopifnot(max(abs(V - t(V))) < 1e-12)
hinc <- grep("^hinc_", names(b), value = TRUE)
## linearHypothesis.default needs a model only for its df.residual (unused by test = "Chisq")
mn_model <- list(df.residual = Inf)
out$term_modechoice <- list(
  data = "modechoice", formula_py = "mode ~ hinc + psize", reference = "air",
  source = "coef and cov of multinomial.json$modechoice (exact Newton)",
  term_py = "hinc", joint = lh(mn_model, hinc, coef. = b, vcov. = V),
  term_outcome_py = "psize[bus]",
  joint_outcome = lh(mn_model, "psize_bus_", coef. = b, vcov. = V),
  nonlinear_py = "exp(`hinc[bus]`) - exp(`hinc[car]`)",
  nonlinear = dm(b, "exp(hinc_bus_) - exp(hinc_car_)", vcov. = V)
)

write_ref(out, "effects_tests.json")

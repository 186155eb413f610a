## Reference values for per-term tests with interactions (issue: full inference):
## car::Anova types II and III, LR and Wald, where type II must respect marginality
## (a main effect is tested after the terms that do not contain it; the Wald version uses
## car's conjugate-complement hypothesis).
## Run: cd tests/reference && Rscript anova_interactions.R   -> anova_interactions.json
source("_helpers.R")
suppressPackageStartupMessages(library(car))
options(contrasts = c("contr.treatment", "contr.poly"))

spector <- read_data("spector")
affairs <- read_data("affairs")

exact <- function(formula, data) {
  f0 <- glm(formula, family = binomial, data = data, control = GLM_CTRL)
  f1 <- glm(formula, family = binomial, data = data, control = GLM_CTRL, start = coef(f0))
  stopifnot(f1$converged)
  f1
}
rows <- function(a, term_map) {
  rn <- rownames(a)
  st <- if ("LR Chisq" %in% names(a)) a[["LR Chisq"]] else a[["Chisq"]]
  keep <- rn != "(Intercept)"
  lapply(which(keep), function(i) list(term_r = rn[i], term_py = unname(term_map[rn[i]]),
    df = a$Df[i], statistic = st[i], p = a[["Pr(>Chisq)"]][i]))
}
case <- function(fit, data_name, formula_r, formula_py, term_map) {
  list(data = data_name, formula_r = formula_r, formula_py = formula_py,
       contrasts = "contr.treatment (R default)",
       coef_r = names(coef(fit)), coef = unname(coef(fit)),
       type2_lr = rows(Anova(fit, type = 2, test.statistic = "LR"), term_map),
       type2_wald = rows(Anova(fit, type = 2, test.statistic = "Wald"), term_map),
       type3_lr = rows(Anova(fit, type = 3, test.statistic = "LR"), term_map),
       type3_wald = rows(Anova(fit, type = 3, test.statistic = "Wald"), term_map),
       note = "rows in R's term order; the (Intercept) row of type-III Wald is left out")
}

fit_sp <- exact(GRADE ~ GPA * PSI + TUCE, spector)
fit_af <- exact(had_affair ~ factor(religious) * age + educ, affairs)
out <- list(
  meta = c(meta_entry(c("stats", "car", "jsonlite")), list(notes = paste(
    "car::Anova on exact glm fits with interactions; term_py is the patsy term name.",
    "Coefficients are listed in R's order (coef_r) for reference only."))),
  spector_interaction = case(fit_sp, "spector", "GRADE ~ GPA * PSI + TUCE",
    "GRADE ~ GPA * PSI + TUCE",
    c(GPA = "GPA", PSI = "PSI", TUCE = "TUCE", "GPA:PSI" = "GPA:PSI")),
  affairs_factor_interaction = case(fit_af, "affairs",
    "had_affair ~ factor(religious) * age + educ", "had_affair ~ C(religious) * age + educ",
    c("factor(religious)" = "C(religious)", age = "age", educ = "educ",
      "factor(religious):age" = "C(religious):age")))
write_ref(out, "anova_interactions.json")

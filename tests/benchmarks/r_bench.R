# One R benchmark case: Rscript tests/benchmarks/r_bench.R <kind> <n> <p> <K> <seed>
# Data as in cases.py (same distribution, drawn by R's generator): p standard-normal columns,
# a 10-level string factor g, outcome from the model. Timed end to end: model frame + fit +
# coefficients, SEs, z, p, Wald CIs and odds ratios (glm: summary + confint.default;
# multinom: summary, which computes the Hessian). Prints one JSON object.
# Peak memory beyond the data: /proc/self/clear_refs reset (VmHWM), then VmHWM - VmRSS.
# Task kinds (binary data): "firth" times brglm2::brglm_fit (type "AS_mean") + summary (an error
# object when brglm2 is not installed); "predict" fits glm on min(n, 1e5) rows and times
# predict(fit, newdata, type = "response") on n new rows.
suppressPackageStartupMessages({
  library(nnet)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
kind <- args[1]
n <- as.integer(as.numeric(args[2]))
p <- as.integer(args[3])
K <- as.integer(args[4])
set.seed(as.integer(args[5]))

status <- function(key) {
  s <- readLines("/proc/self/status")
  line <- s[startsWith(s, paste0(key, ":"))]
  as.numeric(strsplit(trimws(sub(".*:", "", line)), " +")[[1]][1]) * 1024
}

task <- kind
if (kind %in% c("firth", "predict")) kind <- "binary"
if (task == "firth" && !requireNamespace("brglm2", quietly = TRUE)) {
  cat(toJSON(list(error = "brglm2 is not installed"), auto_unbox = TRUE), "\n")
  quit(status = 0)
}
n_new <- n
if (task == "predict") n <- min(n, 100000L)
X <- matrix(rnorm(n * p), n, p)
colnames(X) <- paste0("x", seq_len(p) - 1L)
gi <- sample.int(10L, n, replace = TRUE) - 1L
d <- as.data.frame(X)
d$g <- paste0("g", gi)
if (kind == "binary") {
  beta <- rnorm(p, 0, 1 / sqrt(p))
  eta <- drop(X %*% beta) + 0.08 * (gi - 4.5) - 0.3
  d$y <- as.integer(runif(n) < plogis(eta))
} else {
  B <- matrix(rnorm(p * K, 0, 1 / sqrt(p)), p, K)
  B[, 1] <- 0
  eta <- X %*% B + 0.05 * outer(gi - 4.5, 0:(K - 1))
  pr <- exp(eta - apply(eta, 1, max))
  pr <- pr / rowSums(pr)
  u <- runif(n)
  codes <- pmin(rowSums(u > t(apply(pr, 1, cumsum))), K - 1)
  d$y <- paste0("c", codes)
}
rm(X, eta)
f <- as.formula(paste("y ~", paste(c(paste0("x", seq_len(p) - 1L), "g"), collapse = " + ")))
invisible(gc())
base <- status("VmRSS")
try(writeLines("5", "/proc/self/clear_refs"), silent = TRUE)
if (task == "predict") {
  fit <- glm(f, family = binomial(), data = d)
  Xn <- matrix(rnorm(n_new * p), n_new, p)
  colnames(Xn) <- colnames(d)[seq_len(p)]
  new <- as.data.frame(Xn)
  new$g <- paste0("g", sample.int(10L, n_new, replace = TRUE) - 1L)
  rm(Xn)
  t0 <- proc.time()[["elapsed"]]
  pr <- predict(fit, newdata = new, type = "response")
  elapsed <- proc.time()[["elapsed"]] - t0
  cat(toJSON(list(end_to_end = elapsed), auto_unbox = TRUE, digits = NA), "\n")
  quit(status = 0)
}
t0 <- proc.time()[["elapsed"]]
if (task == "firth") {
  fit <- glm(f, family = binomial(), data = d, method = brglm2::brglm_fit, type = "AS_mean")
  s <- summary(fit)
  n_iter <- fit$iter
  llf <- as.numeric(logLik(fit))
} else if (kind == "binary") {
  fit <- glm(f, family = binomial(), data = d)
  s <- summary(fit)
  ci <- confint.default(fit)
  or <- exp(cbind(coef(fit), ci))
  n_iter <- fit$iter
  llf <- as.numeric(logLik(fit))
} else {
  fit <- multinom(f, data = d, trace = FALSE, maxit = 1000)
  s <- summary(fit)
  z <- s$coefficients / s$standard.errors
  pv <- 2 * pnorm(-abs(z))
  rr <- exp(coef(fit))
  n_iter <- NA
  llf <- as.numeric(logLik(fit))
}
elapsed <- proc.time()[["elapsed"]] - t0
peak <- status("VmHWM") - base
cat(toJSON(list(end_to_end = elapsed, peak_extra = peak, n_iter = n_iter, llf = llf),
           auto_unbox = TRUE, digits = NA), "\n")

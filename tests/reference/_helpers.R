## Shared helpers for the reference scripts (sourced by binary_glm.R, multinomial.R,
## inference.R, firth.R). Not a topic script itself: it writes nothing.
suppressPackageStartupMessages({
  library(jsonlite)
})

DATA_DIR <- "../../logitstats/datasets/data"
read_data <- function(stem) read.csv(file.path(DATA_DIR, paste0(stem, ".csv")),
                                     stringsAsFactors = FALSE)

GLM_CTRL <- glm.control(epsilon = 1e-14, maxit = 100)

meta_entry <- function(pkgs) {
  list(
    r_version = R.version.string,
    packages = setNames(lapply(pkgs, function(p) as.character(packageVersion(p))), pkgs),
    generated_by = "tests/reference (see README.md)",
    date = format(Sys.time(), "%Y-%m-%d")
  )
}

write_ref <- function(x, path) {
  jsonlite::write_json(x, path, digits = NA, auto_unbox = TRUE, pretty = TRUE)
  cat("wrote", path, "\n")
}

## Reorder a vector given in R's order (names = R names) to patsy order.
## `map` is a named character vector: R name -> patsy name. `py_order` the patsy names.
to_py <- function(v, map, py_order) {
  stopifnot(setequal(names(v), names(map)), setequal(unname(map), py_order))
  pyn <- unname(map[names(v)])
  out <- v[match(py_order, pyn)]
  stopifnot(!anyNA(out))
  unname(out)
}
to_py_mat <- function(m, map, py_order) {
  pyn <- unname(map[rownames(m)])
  idx <- match(py_order, pyn)
  stopifnot(!anyNA(idx))
  unname(m[idx, idx, drop = FALSE])
}
mat_rows <- function(m) lapply(seq_len(nrow(m)), function(i) unname(m[i, ]))

## Exact binary glm: tight epsilon, then refit once starting from its own estimate.
## `...` are passed as-is (weights/offset must be columns of `data` referenced by name).
glm_exact <- function(expr_fun) {
  f0 <- expr_fun(NULL)
  f1 <- expr_fun(coef(f0))
  stopifnot(f1$converged)
  f1
}

## Binary log-likelihood score at the fit (max |X'W(y-mu)|), a convergence check.
glm_score_max <- function(fit) {
  X <- model.matrix(fit)
  w <- weights(fit, "prior")
  max(abs(crossprod(X, w * (fit$y - fitted(fit)))))
}

## ---------------------------------------------------------------------------
## Multinomial (baseline-category) logit: exact Newton in R, used to verify /
## polish VGAM and for profile likelihood / sandwich.
## X: n x p design; Y: n x J indicator matrix of ALL levels, column 1 = reference;
## w: frequency weights. beta: p x (J-1) matrix (column k = outcome k+1 vs ref).
## Parameter vector is outcome-major: c(beta[,1], beta[,2], ...).
mnl_probs <- function(X, beta, offset = NULL) {
  eta <- X %*% beta
  if (!is.null(offset)) eta <- eta + offset
  eta <- cbind(0, eta)
  m <- apply(eta, 1, max)
  e <- exp(eta - m)
  e / rowSums(e)
}
mnl_loglik <- function(X, Y, w, beta, offset = NULL) {
  P <- mnl_probs(X, beta, offset)
  sum(w * rowSums(Y * log(P)))
}
mnl_grad <- function(X, Y, w, beta, offset = NULL) {
  P <- mnl_probs(X, beta, offset)
  R <- (Y - P)[, -1, drop = FALSE]
  as.vector(crossprod(X, w * R))   # p x (J-1) -> outcome-major
}
mnl_info <- function(X, w, beta, offset = NULL) {
  P <- mnl_probs(X, beta, offset)[, -1, drop = FALSE]
  K <- ncol(P); p <- ncol(X)
  H <- matrix(0, p * K, p * K)
  for (a in 1:K) for (b in 1:K) {
    s <- if (a == b) P[, a] * (1 - P[, a]) else -P[, a] * P[, b]
    H[(a - 1) * p + 1:p, (b - 1) * p + 1:p] <- crossprod(X, w * s * X)
  }
  H
}
mnl_newton <- function(X, Y, w, beta0, offset = NULL, tol = 1e-13, maxit = 200) {
  beta <- beta0
  ll <- mnl_loglik(X, Y, w, beta, offset)
  for (it in 1:maxit) {
    g <- mnl_grad(X, Y, w, beta, offset)
    H <- mnl_info(X, w, beta, offset)
    step <- solve(H, g)
    t <- 1
    repeat {
      nb <- beta + matrix(t * step, nrow(beta))
      nll <- mnl_loglik(X, Y, w, nb, offset)
      if (nll >= ll - 1e-12 * abs(ll) || t < 1e-8) break
      t <- t / 2
    }
    beta <- nb; ll <- nll
    if (max(abs(step)) < tol) break
  }
  ## one more step to land exactly on the root
  g <- mnl_grad(X, Y, w, beta, offset)
  beta <- beta + matrix(solve(mnl_info(X, w, beta, offset), g), nrow(beta))
  list(beta = beta, loglik = mnl_loglik(X, Y, w, beta, offset),
       grad = mnl_grad(X, Y, w, beta, offset), iter = it)
}

## VGAM warns "iterations terminated because half-step sizes are very small" when a
## fit started at (or already at) the optimum cannot improve the criterion at
## epsilon = 1e-14. That is expected here (estimates are then polished and verified
## by the exact Newton above), so only that warning is muffled.
quiet_halfstep <- function(expr) withCallingHandlers(expr, warning = function(w) {
  if (grepl("half-step", conditionMessage(w))) invokeRestart("muffleWarning")
})

## Reference for logitstats.numerics.rank.aliased_columns: R's pivoted QR (LINPACK dqrdc2, the
## QR behind lm/glm, tol = 1e-7) on small constructed matrices. For each case: the matrix (rows),
## optional frequency weights (the QR is of sqrt(w) * X, as in lm.wfit/glm.fit), R's rank and
## pivot, the aliased columns (0-based, in column order) and, for each aliased column, its
## coefficients on the kept columns (qr.coef). Run: Rscript rank.R  (-> rank.json)
source("_helpers.R")

i <- 1:12
x1 <- sin(i)
x2 <- cos(i)
g <- rep(c(1, 2, 3), 4)
cases <- list(
  multiple = cbind(1, x1, 2 * x1),
  combination = cbind(1, x1, x2, 2 * x1 - 3 * x2),
  dummy_trap = cbind(1, g == 2, g == 3, g == 1, x1),
  zero_column = cbind(1, 0, x1, x2),
  first_kept = cbind(1, 0.5 * x1, x1, x2),
  near_kept = cbind(1, x1, x1 + 1e-5 * x2),        # relative residual ~ 1e-5 > tol: kept
  near_aliased = cbind(1, x1, x1 + 1e-9 * x2),     # relative residual ~ 1e-9 < tol: aliased
  wide = cbind(1, x1[1:3], x2[1:3], (x1 * x2)[1:3], (x1^2)[1:3]),  # n = 3 < p = 5
  full_rank = cbind(1, x1, x2, x1 * x2)
)
weights <- list(weighted = c(3, 1, 2, 1, 1, 4, 1, 2, 1, 1, 5, 1))
cases$weighted <- cbind(1, x1, x2, x1 + x2)

out <- list(meta = c(meta_entry(c("stats", "jsonlite")), list(
  rule = "qr(sqrt(w) * X, tol = 1e-7, LAPACK = FALSE): dqrdc2 column pivoting"
)))
for (name in names(cases)) {
  X <- unname(cases[[name]]) * 1.0
  w <- if (is.null(weights[[name]])) rep(1, nrow(X)) else weights[[name]]
  q <- qr(sqrt(w) * X, tol = 1e-7)
  p <- ncol(X)
  aliased <- if (q$rank < p) sort(q$pivot[(q$rank + 1):p]) else integer(0)
  kept <- setdiff(seq_len(p), aliased)
  comb <- lapply(aliased, function(j) {
    if (all(X[, j] == 0)) return(numeric(0))
    unname(qr.coef(qr(sqrt(w) * X[, kept, drop = FALSE]), sqrt(w) * X[, j]))
  })
  out[[name]] <- list(
    X = lapply(seq_len(nrow(X)), function(r) X[r, ]),
    weights = w,
    rank = q$rank,
    pivot = q$pivot - 1L,
    aliased = I(aliased - 1L),
    kept = I(kept - 1L),
    combination = setNames(lapply(comb, I), as.character(aliased - 1L))
  )
}
write_ref(out, "rank.json")

"""Inference on ndarrays: covariance estimators, intervals, tests (no pandas, no patsy)."""

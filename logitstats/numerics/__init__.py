"""Leaf kernels on numpy arrays: softmax/sigmoid (:mod:`.softmax`), the aliasing rule
(:mod:`.rank`) and row chunks shared over threads (:mod:`.parallel`). Imports nothing above it."""

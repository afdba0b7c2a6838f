"""Benchmarks: synthetic agencies of PRODUCT.md section 7's sizes and the scripts that time the engine."""

"""Benchmarks: synthetic agencies of PRODUCT.md section 7's sizes and the scripts that time the engine."""

from datetime import date

AS_OF = date(2026, 11, 23)  # the as-of date every benchmark run recalculates at

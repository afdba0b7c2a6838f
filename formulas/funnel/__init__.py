"""The funnel as of a date (PRODUCT.md section 4): stage metrics, the month-end forecast and signals."""

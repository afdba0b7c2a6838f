"""Premia's pure core: parse raw spreadsheet cells, validate them, compute pay, funnel and signals.

Nothing here does I/O. Adapters in ``sheets_sync`` hand in a :class:`formulas.raw.RawWorkbook`
and render the :class:`formulas.report.Report` that comes back.
"""

"""The backend-neutral report: result tabs built from pay, funnel and issues, and the drill-down of a cell.

:mod:`.model` is what adapters render; every other module builds one or two result tabs from it.
"""

"""The local-workbook adapter: an ``.xlsx`` file read into raw tabs and written back atomically."""

from sheets_sync.local.adapter import LocalWorkbook

__all__ = ["LocalWorkbook"]

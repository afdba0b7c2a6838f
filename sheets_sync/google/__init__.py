"""The Google Sheets adapter: two reads and one atomic ``batchUpdate`` through gspread's HTTP session."""

from sheets_sync.google.adapter import GoogleSpreadsheet, connect, setup_spreadsheet

__all__ = ["GoogleSpreadsheet", "connect", "setup_spreadsheet"]

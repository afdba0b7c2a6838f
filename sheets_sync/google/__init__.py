"""The Google Sheets adapter: two reads and one atomic ``batchUpdate`` through gspread's HTTP session."""

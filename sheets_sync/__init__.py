"""Adapters: read a spreadsheet into formulas raw tabs and render a formulas report back."""

"""The local-workbook adapter: an ``.xlsx`` file read into raw tabs and written back atomically."""

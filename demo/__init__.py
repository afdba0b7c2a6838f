"""The demo agency: a realistic, seeded workbook in English or Russian (:func:`demo.workbook.write_demo`)."""

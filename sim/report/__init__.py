"""Meeting pack: standalone HTML report, Excel workbook, written summary."""

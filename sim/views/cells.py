"""Text in workbooks stays text: a scenario name such as ``=HYPERLINK("http://...", "Open")`` is a name.

openpyxl stores any text that starts with ``=`` as a formula, which Excel then evaluates (a live link, a
call to another program through DDE). The app writes no formulas, so every workbook passes through
:func:`plain_text_cells` just before it is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook


def plain_text_cells(wb: Workbook) -> Workbook:
    """Mark every cell openpyxl took for a formula as the text it was given; returns ``wb``."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return wb

"""A tiny hand-made .xlsx writer for the local adapter's tests, and a check that the adapter reads it.

openpyxl cannot write what real files hold (``1E+999``, a formula's cached result, Excel's escaped
``\\r``), so the fuzz test writes its workbooks here, as Excel does: text in a shared table in some tabs
and inline in others, dates as serial numbers in a date style, formulas with their cached values.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sheets_sync.local.write import read_workbook
from tests.builders import HEADERS, OPTIONAL_HEADERS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
STYLES = (f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
          '<fonts count="1"><font><sz val="10"/><name val="Arial"/></font></fonts><fills count="2"><fill>'
          '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


@dataclass(frozen=True)
class Cell:
    """A cell as stored: its value (or a formula's cached value), style index, formula, error flag."""

    value: Any
    style: int = 0
    formula: str | None = None
    error: bool = False


def _escape(text: str) -> str:
    """Text as Excel stores it: XML-escaped, the carriage return as ``_x000D_``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "_x000D_")


def _number(value: float | int) -> str:
    """A number as Excel writes it; infinities as 1E+999 (what testers found in real files)."""
    if isinstance(value, float) and math.isinf(value):
        return "1E+999" if value > 0 else "-1E+999"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"  # Excel never writes it; other programs do
    return repr(value) if isinstance(value, float) else str(value)


def _cell(ref: str, cell: Cell, shared: list[str] | None) -> str:
    """One ``<c>`` element; text goes to ``shared`` when given, else inline."""
    value, style = cell.value, f' s="{cell.style}"' if cell.style else ""
    formula = f"<f>{_escape(cell.formula)}</f>" if cell.formula else ""
    if cell.error:
        return f'<c r="{ref}"{style} t="e">{formula}<v>{_escape(value)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b">{formula}<v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{style}>{formula}<v>{_number(value)}</v></c>'
    if formula:
        return f'<c r="{ref}"{style} t="str">{formula}<v>{_escape(value)}</v></c>'
    if shared is not None:
        shared.append(value)
        return f'<c r="{ref}"{style} t="s"><v>{len(shared) - 1}</v></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{_escape(value)}</t></is></c>'


def _sheet(rows: list[list[Any]], shared: list[str] | None) -> str:
    """A worksheet part of rows of plain values or :class:`Cell` (None = no cell)."""
    lines = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{chr(65 + col)}{number}", value if isinstance(value, Cell) else Cell(value), shared)
                        for col, value in enumerate(row) if value is not None)
        lines.append(f'<row r="{number}">{cells}</row>')
    return f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(lines)}</sheetData></worksheet>'


def write_xlsx(path: Path, tabs: dict[str, list[list[Any]]]) -> Path:
    """Write tabs (titles from :data:`tests.builders.HEADERS`, whose header row is added) as a workbook.

    Tabs at odd positions keep their text in the shared strings table, the others inline.
    """
    shared: list[str] = []
    headers = HEADERS | OPTIONAL_HEADERS
    sheets = {f"xl/worksheets/sheet{index}.xml": _sheet([headers.get(title, []), *rows], shared if index % 2 else None)
              for index, (title, rows) in enumerate(tabs.items(), start=1)}
    entries = "".join(f'<sheet name="{title}" sheetId="{index}" r:id="rId{index}"/>'
                      for index, title in enumerate(tabs, start=1))
    book_rels = "".join(f'<Relationship Id="rId{index}" Type="{REL}/worksheet" Target="worksheets/sheet{index}.xml"/>'
                        for index in range(1, len(tabs) + 1))
    book_rels += (f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>'
                  f'<Relationship Id="rIdT" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
    overrides = "".join(f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-officedocument.'
                        'spreadsheetml.worksheet+xml"/>' for name in sheets)
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"'
        '/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        f'spreadsheetml.sharedStrings+xml"/>{overrides}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><bookViews><workbookView/></bookViews>'
                           f"<sheets>{entries}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE_REL}">{book_rels}</Relationships>',
        "xl/styles.xml": STYLES,
        **sheets,
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">'
        + "".join(f'<si><t xml:space="preserve">{_escape(text)}</t></si>' for text in shared) + "</sst>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return path


def test_the_adapter_reads_what_this_writer_wrote(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {
        "Team": [["Anna", "a\r\nb", Cell(46082, 1), Cell(0.05, 2), Cell(float("inf"))]],
        "Deals": [[Cell("x", formula='"x"'), Cell("#N/A", formula="NA()", error=True), True, "",
                   Cell(7, formula="3+4")]],
    })
    team, deals = read_workbook(path).tabs
    assert team.values[1][:4] == ["Anna", "a\r\nb", datetime(2026, 3, 1), 0.05] and math.isinf(team.values[1][4])
    assert team.is_percent(1, 3)
    assert deals.values[1][:5] == ["x", "#N/A", True, "", 7]

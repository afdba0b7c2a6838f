"""Merge a report into a user's workbook package, keeping every part that is not Premia's byte for byte.

The result tabs are rendered by openpyxl into a package of their own (:mod:`.render`); their parts are
copied into the user's package under fresh names, with their cell styles appended to the user's
stylesheet (:mod:`.styles`). What changes in the user's package, and nothing else (PRODUCT.md section 3,
"Untouched"):

* each result tab's sheet part, rewritten whole at its position (new tabs appended), with its own
  drawings, charts and notes; the old ones are deleted when nothing else uses them (:mod:`.closure`);
* the records tab (:mod:`.records`) when the report carries records;
* the workbook's tab list, relationships and content types, only the entries those tabs need
  (:mod:`.manifest`), each result tab's print titles (its header rows repeated on printed pages), and
  ``styles.xml``, only appended entries;
* on input tabs, Premia's own conditional-format rules (:mod:`.highlights`);
* ``calcChain.xml`` is dropped if it lists cells of a rewritten tab (Excel rebuilds it; a chain naming
  cells that no longer hold formulas makes Excel repair the file).
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET

from formulas.report.model import Highlight, Report
from sheets_sync.local import manifest
from sheets_sync.local.book import Book, Sheet, read_book
from sheets_sync.local.closure import Names, dead_parts
from sheets_sync.local.guard import WorkbookDamaged, WorkbookNotSupported, refuse_macros, refuse_tab
from sheets_sync.local.highlights import replace_highlights
from sheets_sync.local.package import CONTENT_TYPES, Package, relative, rels_path
from sheets_sync.local.records import STATE, TITLE, is_records_sheet, records_sheet_xml
from sheets_sync.local.render import render_tabs
from sheets_sync.local.styles import StyleMerger
from sheets_sync.local.xmlscan import escape

_STYLE_REF = re.compile(rb'(<(?:c|row)\b[^>]*?\ss=")(\d+)(")')
_COLUMN_STYLE = re.compile(rb'(<col\b[^>]*?\sstyle=")(\d+)(")')
_DXF_REF = re.compile(rb'(<cfRule\b[^>]*?\sdxfId=")(\d+)(")')
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def merge_report(original: Package, report: Report, input_titles: list[str]) -> Package:
    """The user's package with the report written into it (see the module docstring for what changes)."""
    refuse_macros(list(original.parts))
    book = read_book(original)
    if book.strict:
        raise WorkbookNotSupported("The workbook is saved as Strict Open XML, which Premia does not write. Save it "
                                   "as an ordinary Excel Workbook (.xlsx), then run Premia again.")
    check_titles(report, input_titles)
    targets = [_target(book, tab.title) for tab in report.tabs]
    records = None
    if report.properties is not None:
        records = next((sheet for sheet in book.sheets if is_records_sheet(sheet)), None)
        if records is None and book.sheet(TITLE) is not None:
            refuse_tab(TITLE, "is visible, and Premia keeps its records in a hidden tab of that name",
                       "If it is yours, rename it; if it holds Premia's records (someone showed it), hide it "
                       "again. Then run Premia again.")
        if records is not None and records.part is None:
            refuse_tab(TITLE, "(Premia's hidden records) is missing from the file, which is damaged",
                       "Open the file in Excel or LibreOffice, save it again, then run Premia again.")
    rendered = render_tabs(report.tabs)
    drawn = read_book(rendered).sheets[:len(report.tabs)]
    try:
        merger = _Merger(original, book, rendered, [s for s in (*targets, records) if s is not None])
        for tab, target, sheet in zip(report.tabs, targets, drawn, strict=True):
            merger.put_tab(tab.title, target, rendered_part=sheet.part)
            merger.print_titles[tab.title] = tab.header_row
        if report.properties is not None:
            merger.put_tab(TITLE, records, xml=records_sheet_xml(report.properties), state=STATE)
        if report.input_highlights is not None:  # None: a write that leaves the input tabs as they are
            for title in input_titles:
                merger.highlight(title, [h for h in report.input_highlights if h.tab == title])
        return merger.finish()
    except (ValueError, ET.ParseError) as error:  # the workbook's own lists (tabs, relationships…) are broken
        raise WorkbookDamaged(f"the workbook's structure is damaged ({error}); open it in Excel or LibreOffice, "
                              "save it again, then run Premia again") from None


def check_titles(report: Report, inputs: list[str]) -> None:
    """Reject a report whose result tabs collide with each other or with input tabs (a bug upstream)."""
    titles = [tab.title.casefold() for tab in report.tabs]
    if len(set(titles)) != len(titles):
        raise ValueError(f"two result tabs share a title: {[tab.title for tab in report.tabs]}")
    clash = set(titles) & {title.casefold() for title in inputs}
    if clash:
        raise ValueError(f"result tabs would overwrite input tabs: {sorted(clash)}")
    for highlight in report.input_highlights or []:
        if highlight.tab not in inputs:
            raise ValueError(f"input highlight on {highlight.tab!r}, which is not an input tab")


def _target(book: Book, title: str) -> Sheet | None:
    """The tab a result tab replaces (matched case-insensitively, as Excel does), None for a new one."""
    sheet = next((s for s in book.sheets if s.title.casefold() == title.casefold() and not is_records_sheet(s)), None)
    if sheet is not None and sheet.kind != "worksheet":
        refuse_tab(sheet.title, f"is a {sheet.kind or 'damaged tab'}, and Premia writes its result tab of that name "
                   "there", "Rename that tab, then run Premia again.")
    if sheet is not None and sheet.part is None:
        refuse_tab(sheet.title, "is missing from the file, which is damaged",
                   "Open the file in Excel or LibreOffice, save it again, then run Premia again.")
    return sheet


class _Merger:
    """The output package under construction: the user's parts, with Premia's edits applied."""

    def __init__(self, original: Package, book: Book, rendered: Package, replaced: list[Sheet]) -> None:
        self.original, self.book, self.rendered = original, book, rendered
        self.parts = dict(original.parts)
        self.workbook = original.parts[book.part]
        self.relations = original.read(rels_path(book.part))
        self.types = original.read(CONTENT_TYPES) or b""
        self.replaced_ids = {sheet.sheet_id for sheet in replaced}
        self.names = Names(list(self.parts))
        styles = book.related("styles")
        try:
            self.styles = StyleMerger(original.read(styles) if styles else None,
                                      rendered.read("xl/styles.xml") or b"")
        except (ET.ParseError, ValueError, StopIteration) as error:
            raise WorkbookDamaged(f"the workbook's styles are damaged ({error}); open it in Excel or LibreOffice, "
                                  "save it again, then run Premia again") from None
        rewritten = [sheet.part for sheet in replaced if sheet.part]
        dead = dead_parts(original, rewritten) | {rels_path(part) for part in rewritten}
        dead |= {rels_path(part) for part in dead}
        for name in dead:
            stored = original.name_of(name)
            if stored is not None:
                del self.parts[stored]
                self.names.release(stored)
        # Overrides of deleted parts go now; a reused name gets its override back when its part is copied.
        self.types = manifest.remove_overrides(self.types, dead)
        self.copied: dict[str, str] = {}
        self.print_titles: dict[str, int] = {}  # result tab title -> header rows repeated on printed pages

    def put_tab(self, title: str, target: Sheet | None, rendered_part: str | None = None, xml: bytes | None = None,
                state: str = "") -> None:
        """Write one tab: over ``target`` in place, or as a new tab at the end of the workbook."""
        if target is not None and target.part is not None:
            part = target.part
            if target.title != title:
                self.workbook = manifest.set_sheet(self.workbook, target.rel_id, "name", title)
            if state and target.state != state:  # LibreOffice saves a very hidden tab as merely hidden
                self.workbook = manifest.set_sheet(self.workbook, target.rel_id, "state", state)
        else:
            folder = posixpath.join(posixpath.dirname(self.book.part), "worksheets")
            part = self.names.fresh(posixpath.join(folder, "sheet1.xml"))
            taken = {rel.id for rel in self.book.relationships} | set(re.findall(r'Id="([^"]+)"',
                                                                                 (self.relations or b"").decode()))
            rel_id = manifest.free_id(taken)
            self.relations = manifest.add_relationship(self.relations, rel_id, manifest.WORKSHEET,
                                                       relative(self.book.part, part))
            used = [sheet.sheet_id for sheet in self.book.sheets] + [int(n) for n in re.findall(
                rb'sheetId="(\d+)"', self.workbook)]
            self.workbook = manifest.add_sheet(self.workbook, title, max(used, default=0) + 1, rel_id, state)
        self.types = manifest.add_override(self.types, part, manifest.WORKSHEET_TYPE)
        if rendered_part is not None:
            xml = self._restyled(self.rendered.parts[rendered_part])
            self._copy_relationships(rendered_part, part)
        self.parts[part] = xml or b""

    def highlight(self, title: str, highlights: list[Highlight]) -> None:
        """Replace Premia's rules on one input tab (a tab the file lacks has none to replace)."""
        sheet = self.book.sheet(title)
        if sheet is None or sheet.part is None or sheet.kind != "worksheet":
            return
        fills = [(h, self.styles.fill_dxf("FF" + h.color)) for h in highlights]
        try:
            self.parts[sheet.part] = replace_highlights(self.parts[sheet.part], fills)
        except ValueError as error:
            raise WorkbookDamaged(f"Tab '{title}' is damaged in the file ({error}); open it in Excel or LibreOffice, "
                                  "save it again, then run Premia again") from None

    def finish(self) -> Package:
        """The output package: styles, calculation chain and bookkeeping parts settled, parts in order."""
        styles = self.styles.merged()
        if styles is not None:
            self._put_styles(styles)
        self._drop_stale_calc_chain()
        for title, rows in self.print_titles.items():
            self.workbook = manifest.set_print_titles(self.workbook, title, rows)
        self.parts[self.book.part] = self.workbook
        if self.relations is not None:
            self.parts[rels_path(self.book.part)] = self.relations
        self.parts[CONTENT_TYPES] = self.types
        # Parts the user's file had keep their place in the zip; new ones follow in the order made, so a
        # second run (whose "original" is the first run's output) lists every part in the same order.
        ordered = {name: self.parts[name] for name in self.original.parts if name in self.parts}
        ordered.update((name, data) for name, data in self.parts.items() if name not in ordered)
        return Package(ordered)

    def _restyled(self, xml: bytes) -> bytes:
        """A rendered sheet with style indices mapped into the user's stylesheet and no tab selected."""
        xml = _STYLE_REF.sub(lambda m: m[1] + str(self.styles.cell_style(int(m[2]))).encode() + m[3], xml)
        xml = _COLUMN_STYLE.sub(lambda m: m[1] + str(self.styles.cell_style(int(m[2]))).encode() + m[3], xml)
        xml = _DXF_REF.sub(lambda m: m[1] + str(self.styles.dxf(int(m[2]))).encode() + m[3], xml)
        # A second selected tab would open the workbook with two tabs grouped, where edits go to both.
        return xml.replace(b' tabSelected="1"', b"")

    def _copy_relationships(self, source: str, part: str) -> None:
        """Copy the parts a rendered part relates to (drawings, charts, notes) under fresh names."""
        entries = []
        for rel in self.rendered.relationships(source):
            if rel.external:
                entries.append((rel.id, rel.type, rel.target, True))
                continue
            if rel.target not in self.copied:
                name = self.copied[rel.target] = self.names.fresh(rel.target)
                self.parts[name] = self.rendered.parts[rel.target]
                kind = manifest.content_type(self.rendered, rel.target)
                if kind:
                    self.types = manifest.add_override(self.types, name, kind)
                self._copy_relationships(rel.target, name)
            entries.append((rel.id, rel.type, relative(part, self.copied[rel.target]), False))
        if entries:
            self.parts[rels_path(part)] = _relationships_xml(entries)

    def _put_styles(self, styles: bytes) -> None:
        """Store the stylesheet: over the user's, at the name its relationship gives when the part is missing,
        or as a new part when the workbook has none."""
        existing = self.book.related("styles")
        if existing is not None:
            name = self.original.name_of(existing) or existing
            self.parts[name] = styles
            if self.original.name_of(existing) is None:
                self.types = manifest.add_override(self.types, name, manifest.STYLES_TYPE)
            return
        name = self.names.fresh(posixpath.join(posixpath.dirname(self.book.part), "styles1.xml"))
        self.parts[name] = styles
        taken = set(re.findall(r'Id="([^"]+)"', (self.relations or b"").decode()))
        self.relations = manifest.add_relationship(self.relations, manifest.free_id(taken), manifest.STYLES,
                                                   relative(self.book.part, name))
        self.types = manifest.add_override(self.types, name, manifest.STYLES_TYPE)

    def _drop_stale_calc_chain(self) -> None:
        """Drop the calculation chain when it lists a cell of a tab Premia rewrote."""
        rel = next((r for r in self.book.relationships if r.kind == "calcChain" and not r.external), None)
        stored = self.original.name_of(rel.target) if rel else None
        if rel is None or stored is None or not self.replaced_ids:
            return
        try:
            sheet, stale = 0, False
            for node in ET.fromstring(self.original.parts[stored]):
                sheet = int(node.get("i", sheet))  # a cell without "i" is on the previous cell's tab
                stale = stale or sheet in self.replaced_ids
        except (ET.ParseError, ValueError):
            stale = True  # a chain Premia cannot read is one Excel can rebuild
        if stale:
            del self.parts[stored]
            self.types = manifest.remove_overrides(self.types, {stored})
            if self.relations is not None:
                self.relations = manifest.remove_relationship(self.relations, rel.id)


def _relationships_xml(entries: list[tuple[str, str, str, bool]]) -> bytes:
    """A relationships part Premia writes for one of its own parts."""
    body = "".join(f'<Relationship Id="{escape(rid, True)}" Type="{escape(kind, True)}" Target="{escape(target, True)}"'
                   + (' TargetMode="External"' if external else "") + "/>"
                   for rid, kind, target, external in entries)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_REL}">'
            f"{body}</Relationships>").encode()

"""Real-world-shaped workbooks for the local adapter's tests, and checks that they are what they claim.

:func:`real_world_workbook` starts from a workbook openpyxl writes and hand-edits its XML the way Excel
writes features openpyxl cannot carry through a load and save: a dynamic-array formula, a threaded
comment, a form button, a picture, a picture in a cell, a header picture, a cell checkbox, a protected
range, a print area of whole rows, ignored-error marks, printer settings, custom XML, a dangling drawing
relationship, a part name in another letter case, ``\\r\\n`` text, empty-string cells, ``1E+999`` and
date-formatted 10 000 000 and 1e-9. Other test modules import the builder; the tests here pin down the fixture itself.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

from sheets_sync.local.write import create_workbook
from tests.builders import HEADERS

AS_OF = date(2026, 3, 31)
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
INPUT_TABS = ("Team", "Deals", "Payments", "Rules")
USER_TAB = "My notes"


def read_parts(path: Path) -> dict[str, bytes]:
    """Every entry of a zip, in order."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> None:
    """Write entries as a new zip, in order."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _patch(parts: dict[str, bytes], name: str, old: str, new: str) -> None:
    """Replace text once inside a part, failing loudly if the text is not there."""
    assert old.encode() in parts[name], (name, old)
    parts[name] = parts[name].replace(old.encode(), new.encode(), 1)


def _rels(*entries: tuple[str, str, str]) -> bytes:
    """A relationships part of (id, type suffix or full type, target)."""
    body = "".join(f'<Relationship Id="{rid}" Type="{kind if "://" in kind else R + "/" + kind}" Target="{target}"/>'
                   for rid, kind, target in entries)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            f'"http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>').encode()


def _cell(parts: dict[str, bytes], sheet: str, ref: str, xml: str) -> None:
    """Replace the XML of cell ``ref`` (as openpyxl wrote it) by ``xml``."""
    text = parts[sheet].decode()
    match = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', text)
    assert match, (sheet, ref)
    parts[sheet] = (text[:match.start()] + xml + text[match.end():]).encode()


def base_workbook(path: Path) -> Path:
    """A small valid agency plus a user's tab, as openpyxl writes it (sheet1 = Team … sheet5 = My notes)."""
    create_workbook(path, [
        ("Team", [HEADERS["Team"], ["Anna", "sales", 30000, "2026-01-01", None],
                  ["Boris", "sales", 25000, "2026-01-01", None]]),
        ("Deals", [HEADERS["Deals"], ["D1", "2026-03-02", "Anna", "Acme", 100000, "outbound", None, None, None],
                   ["D2", "2026-03-03", "Boris", "CLIENT-CRLF", 2000, None, None, None, None],
                   ["D3", "2026-03-04", "Anna", "Beta", "AMOUNT-INF", None, None, None, None],
                   ["D4", "2026-03-05", "Boris", "Gamma", 500, None, None, None, None]]),
        ("Payments", [HEADERS["Payments"], ["D1", "PAID-HUGE", 1000, 1, None], ["D1", "PAID-TINY", 1000, 2, None],
                      ["D4", "2026-03-10", 500, 1, "EMPTY-STRING"]]),
        ("Rules", [HEADERS["Rules"], ["2026-01", "*", "deal_percent", None, 5, ""]]),
        (USER_TAB, [["my own tab", "checked"], ["FORMULA", "CHECKBOX"]]),
    ], {("Payments", 1, 1): "yyyy-mm-dd", ("Payments", 2, 1): "yyyy-mm-dd"})
    return path


DEALS, PAYMENTS, NOTES = "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml", "xl/worksheets/sheet5.xml"


def real_world_workbook(path: Path) -> Path:
    """The base workbook, hand-edited as Excel writes the features openpyxl drops or breaks."""
    parts = read_parts(base_workbook(path))
    _odd_values(parts)
    _dynamic_array_and_checkbox(parts)
    _picture_in_cell(parts)
    _deals_page_features(parts)
    _notes_objects(parts)
    _workbook_parts(parts)
    # The user's tab is stored under another letter case than its relationship names (Excel does not care).
    parts = {("xl/worksheets/Sheet5.xml" if name == NOTES else name): data for name, data in parts.items()}
    write_parts(path, parts)
    return path


def _odd_values(parts: dict[str, bytes]) -> None:
    """Odd values in input cells: \\r\\n (Excel escapes the CR), 1E+999, date cells out of range, ""."""
    deals, payments = DEALS, PAYMENTS
    _cell(parts, deals, "D3", '<c r="D3" t="inlineStr"><is><t>Acme_x000D_\nEast</t></is></c>')
    _cell(parts, deals, "E4", '<c r="E4"><v>1E+999</v></c>')
    date_style = re.search(rb'<c r="B2" s="(\d+)"', parts[payments])  # formatted yyyy-mm-dd by base_workbook
    assert date_style is not None
    _cell(parts, payments, "B2", f'<c r="B2" s="{date_style[1].decode()}"><v>10000000</v></c>')
    _cell(parts, payments, "B3", f'<c r="B3" s="{date_style[1].decode()}"><v>1E-9</v></c>')
    _cell(parts, payments, "E4", '<c r="E4" t="inlineStr"><is><t></t></is></c>')
    # Excel keeps text in a shared table: a client with \r\n and an empty Source, both shared strings.
    _cell(parts, deals, "D5", '<c r="D5" t="s"><v>0</v></c>')
    _cell(parts, deals, "F2", '<c r="F2" t="s"><v>1</v></c>')
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t xml:space="preserve">Gamma_x000D_\nWest</t></si>'
        b"<si><t/></si></sst>")


def _dynamic_array_and_checkbox(parts: dict[str, bytes]) -> None:
    """A dynamic-array formula and a cell checkbox on the user's tab, with their workbook-level parts."""
    notes = NOTES
    # A dynamic-array formula with its cached result and cell metadata (openpyxl drops cm=).
    _cell(parts, notes, "A2", '<c r="A2" cm="1"><f t="array" ref="A2">_xlfn.UNIQUE(Deals!C2:C5)</f><v>2</v></c>')
    parts["xl/metadata.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<metadata xmlns="http://schemas.openxmlformats.org'
        b'/spreadsheetml/2006/main" xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
        b'<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1" '
        b'pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1" assign="1" '
        b'coerce="1" cellMeta="1"/></metadataTypes><futureMetadata name="XLDAPR" count="1"><bk><extLst><ext '
        b'uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/>'
        b'</ext></extLst></bk></futureMetadata><cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata>'
        b"</metadata>")
    # A cell checkbox (Excel 2024): a style whose extension points at a feature property bag.
    _cell(parts, notes, "B2", '<c r="B2" s="CHECKBOX" t="b"><v>1</v></c>')
    styles = parts["xl/styles.xml"].decode()
    xfs = re.search(r'<cellXfs count="(\d+)">', styles)
    assert xfs is not None
    checkbox = int(xfs[1])
    styles = styles.replace(xfs[0], f'<cellXfs count="{checkbox + 1}">').replace(
        "</cellXfs>", '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"><extLst><ext '
        'uri="{C7286773-470A-42A8-94C5-96B5CB345126}" xmlns:xfpb="http://schemas.microsoft.com/office/spreadsheetml/'
        '2022/featurepropertybag"><xfpb:xfComplement i="0"/></ext></extLst></xf></cellXfs>')
    parts["xl/styles.xml"] = styles.encode()
    parts[notes] = parts[notes].replace(b"CHECKBOX", str(checkbox).encode())
    parts["xl/featurePropertyBag/featurePropertyBag.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<FeaturePropertyBags xmlns="http://schemas.'
        b'microsoft.com/office/spreadsheetml/2022/featurepropertybag"><bag type="Checkbox"/><bag type="XFControls">'
        b'<bagId k="CellControl">0</bagId></bag><bag type="XFComplement"><bagId k="XFControls">1</bagId></bag>'
        b'<bag type="XFComplements" extRef="XFComplementsMapperExtRef"><a k="MappedFeaturePropertyBags"><bagId>2'
        b"</bagId></a></bag></FeaturePropertyBags>")


RICH = "http://schemas.microsoft.com/office/spreadsheetml/2017/richdata"


def _picture_in_cell(parts: dict[str, bytes]) -> None:
    """A picture placed in a cell (Excel 365's "Place in cell") on the user's tab: the cell's value metadata
    points at a rich value whose relationship names the image (openpyxl drops all of it)."""
    text = parts[NOTES].decode()
    checkbox = re.search(r'<c r="B2"[^>]*>.*?</c>', text)
    assert checkbox is not None
    parts[NOTES] = (text[:checkbox.end()] + '<c r="C2" t="e" vm="1"><v>#VALUE!</v></c>'
                    + text[checkbox.end():]).encode()
    _patch(parts, "xl/metadata.xml", '<metadataTypes count="1">', '<metadataTypes count="2">')
    _patch(parts, "xl/metadata.xml", "</metadataTypes>", (
        '<metadataType name="XLRICHVALUE" minSupportedVersion="120000" copy="1" pasteAll="1" pasteValues="1" '
        'merge="1" splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1" assign="1" coerce="1"/>'
        "</metadataTypes>"))
    _patch(parts, "xl/metadata.xml", "<cellMetadata", (
        f'<futureMetadata name="XLRICHVALUE" count="1"><bk><extLst><ext uri="{{3e2802c4-a4d2-4d8b-9148-e3be6c30e623}}"'
        f' xmlns:xlrd="{RICH}"><xlrd:rvb i="0"/></ext></extLst></bk></futureMetadata><cellMetadata'))
    _patch(parts, "xl/metadata.xml", "</metadata>",
           '<valueMetadata count="1"><bk><rc t="2" v="0"/></bk></valueMetadata></metadata>')
    parts["xl/richData/rdrichvalue.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<rvData xmlns="{RICH}" count="1"><rv s="0">'
        "<v>0</v><v>5</v></rv></rvData>").encode()
    parts["xl/richData/rdrichvaluestructure.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<rvStructures xmlns="{RICH}" count="1">'
        '<s t="_localImage"><k n="_rvRel:LocalImageIdentifier" t="i"/><k n="CalcOrigin" t="i"/></s></rvStructures>'
    ).encode()
    parts["xl/richData/richValueRel.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<richValueRels xmlns="http://schemas.microsoft.com/'
        f'office/spreadsheetml/2022/richvaluerel" xmlns:r="{R}"><rel r:id="rId1"/></richValueRels>').encode()
    parts["xl/richData/_rels/richValueRel.xml.rels"] = _rels(("rId1", "image", "../media/image3.png"))
    parts["xl/media/image3.png"] = PNG


def _deals_page_features(parts: dict[str, bytes]) -> None:
    """Deals gets a protected range, ignored-error marks, printer settings and a header picture."""
    deals = DEALS
    # A protected range, ignored-error marks, printer settings and a header picture on Deals.
    _patch(parts, deals, "<pageMargins", '<protectedRanges><protectedRange sqref="A2:A5" name="IDs"/></protectedRanges>'
           "<pageMargins")
    parts[deals] = parts[deals].replace(b"</worksheet>", (
        f'<pageSetup paperSize="9" orientation="portrait" r:id="rIdP" xmlns:r="{R}"/>'
        '<headerFooter><oddHeader>&amp;L&amp;G</oddHeader></headerFooter>'
        '<ignoredErrors><ignoredError sqref="A2:A5" numberStoredAsText="1"/></ignoredErrors>'
        f'<legacyDrawingHF r:id="rIdH" xmlns:r="{R}"/></worksheet>').encode())
    parts["xl/worksheets/_rels/sheet2.xml.rels"] = _rels(
        ("rIdP", "printerSettings", "../printerSettings/printerSettings1.bin"),
        ("rIdH", "vmlDrawing", "../drawings/vmlDrawingHF1.vml"))
    parts["xl/printerSettings/printerSettings1.bin"] = b"\x00\x01printer DEVMODE\xff" * 40
    parts["xl/drawings/vmlDrawingHF1.vml"] = (
        b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><v:shape '
        b'id="LH" o:spid="_x0000_s2049" type="#_x0000_t75" style="width:10pt;height:10pt"><v:imagedata o:relid="rId1" '
        b'o:title="logo"/><o:lock v:ext="edit" rotation="t"/></v:shape></xml>')
    parts["xl/drawings/_rels/vmlDrawingHF1.vml.rels"] = _rels(("rId1", "image", "../media/image2.png"))
    parts["xl/media/image2.png"] = PNG


def _notes_objects(parts: dict[str, bytes]) -> None:
    """The user's tab gets a picture, a form button, a threaded comment and a dangling relationship."""
    notes = NOTES
    # The user's tab: a picture, a form button, a threaded comment, and a drawing relationship whose part
    # is missing (a dangling relationship).
    parts[notes] = parts[notes].replace(b"</worksheet>", (
        f'<drawing r:id="rIdD" xmlns:r="{R}"/><legacyDrawing r:id="rIdV" xmlns:r="{R}"/>'
        f'<controls><control shapeId="1025" r:id="rIdC" name="Button 1" xmlns:r="{R}"/></controls>'
        "</worksheet>").encode())
    parts["xl/worksheets/_rels/sheet5.xml.rels"] = _rels(
        ("rIdD", "drawing", "../drawings/drawing1.xml"), ("rIdV", "vmlDrawing", "../drawings/vmlDrawing1.vml"),
        ("rIdC", "ctrlProp", "../ctrlProps/ctrlProp1.xml"), ("rIdX", "drawing", "../drawings/drawing99.xml"),
        ("rIdT", "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
         "../threadedComments/threadedComment1.xml"), ("rIdN", "comments", "../comments1.xml"))
    parts["xl/drawings/drawing1.xml"] = (
        b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http:'
        b'//schemas.openxmlformats.org/drawingml/2006/main"><xdr:oneCellAnchor><xdr:from><xdr:col>4</xdr:col>'
        b"<xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        b'<xdr:ext cx="95250" cy="95250"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Picture 1"/><xdr:cNvPicPr/>'
        b'</xdr:nvPicPr><xdr:blipFill><a:blip xmlns:r="' + R.encode() + b'" r:embed="rId1"/><a:stretch><a:fillRect/>'
        b'</a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>'
        b"<xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>")
    parts["xl/drawings/_rels/drawing1.xml.rels"] = _rels(("rId1", "image", "../media/image1.png"))
    parts["xl/media/image1.png"] = PNG
    parts["xl/drawings/vmlDrawing1.vml"] = (
        b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x='
        b'"urn:schemas-microsoft-com:office:excel"><v:shape id="_x0000_s1025" type="#_x0000_t201" style="position:'
        b'absolute;width:48pt;height:18pt"><v:textbox><div>Button 1</div></v:textbox><x:ClientData ObjectType="Button">'
        b"<x:Anchor>6, 0, 1, 0, 7, 0, 2, 0</x:Anchor><x:FmlaMacro>[0]!Recalc</x:FmlaMacro></x:ClientData></v:shape>"
        b'<v:shape id="_x0000_s1026" type="#_x0000_t202" style="visibility:hidden"><x:ClientData ObjectType="Note">'
        b"<x:Row>0</x:Row><x:Column>0</x:Column></x:ClientData></v:shape></xml>")
    parts["xl/ctrlProps/ctrlProp1.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<formControlPr '
                                           b'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
                                           b'objectType="Button" lockText="1"/>')
    parts["xl/comments1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="http://schemas.openxmlformats.org'
        b'/spreadsheetml/2006/main"><authors><author>tc={5B2F7C1E-0000-4000-8000-000000000001}</author></authors>'
        b'<commentList><comment ref="A1" authorId="0"><text><t>[Threaded comment] Is this right?</t></text></comment>'
        b"</commentList></comments>")
    parts["xl/threadedComments/threadedComment1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="http://schemas.microsoft.'
        b'com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="A1" dT="2026-03-05T10:00:00.00" '
        b'personId="{6A1E0000-0000-4000-8000-000000000002}" id="{5B2F7C1E-0000-4000-8000-000000000001}"><text>'
        b"Is this right?</text></threadedComment></ThreadedComments>")
    parts["xl/persons/person.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<personList xmlns="http://schemas.microsoft.com/'
        b'office/spreadsheetml/2018/threadedcomments"><person displayName="Anna" id="{6A1E0000-0000-4000-8000-'
        b'000000000002}" userId="anna@example.com" providerId="AD"/></personList>')


def _workbook_parts(parts: dict[str, bytes]) -> None:
    """Workbook-level parts: metadata, feature property bag, persons, custom XML; a whole-rows print area."""
    types, book, book_rels = "[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
    # Workbook-level parts: metadata, feature property bag, persons, custom XML; a print area of whole rows.
    parts[book_rels] = parts[book_rels].replace(b"</Relationships>", _rels(
        ("rIdM", "sheetMetadata", "metadata.xml"), ("rIdSs", "sharedStrings", "sharedStrings.xml"),
        ("rIdF", "http://schemas.microsoft.com/office/2022/11/relationships/FeaturePropertyBag",
         "featurePropertyBag/featurePropertyBag.xml"),
        ("rIdPe", "http://schemas.microsoft.com/office/2017/10/relationships/person", "persons/person.xml"),
        ("rIdCx", "customXml", "../customXml/item1.xml"),
        ("rIdRv", "http://schemas.microsoft.com/office/2017/06/relationships/rdRichValue", "richData/rdrichvalue.xml"),
        ("rIdRs", "http://schemas.microsoft.com/office/2017/06/relationships/rdRichValueStructure",
         "richData/rdrichvaluestructure.xml"),
        ("rIdRr", "http://schemas.microsoft.com/office/2022/10/relationships/richValueRel",
         "richData/richValueRel.xml"))[len(_rels()) - len(b"</Relationships>"):])
    parts["customXml/item1.xml"] = b'<?xml version="1.0"?><premiaTest xmlns="urn:example">keep me</premiaTest>'
    parts["customXml/_rels/item1.xml.rels"] = _rels(("rId1", "customXmlProps", "itemProps1.xml"))
    parts["customXml/itemProps1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem ds:itemID="{11111111-2222-3333-'
        b'4444-555555555555}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>')
    # create_workbook already repeats each tab's header row in print (a print-titles name per tab).
    _patch(parts, book, "</definedNames>", "<definedName name=\"_xlnm.Print_Area\" localSheetId=\"1\">"
           "Deals!$1:$5</definedName></definedNames>")
    overrides = {
        "/xl/sharedStrings.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
        "/xl/metadata.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml",
        "/xl/featurePropertyBag/featurePropertyBag.xml": "application/vnd.ms-excel.featurepropertybag+xml",
        "/xl/persons/person.xml": "application/vnd.ms-excel.person+xml",
        "/xl/threadedComments/threadedComment1.xml": "application/vnd.ms-excel.threadedcomments+xml",
        "/xl/comments1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml",
        "/xl/drawings/drawing1.xml": "application/vnd.openxmlformats-officedocument.drawing+xml",
        "/xl/ctrlProps/ctrlProp1.xml": "application/vnd.ms-excel.controlproperties+xml",
        "/customXml/itemProps1.xml": "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
        "/xl/richData/rdrichvalue.xml": "application/vnd.ms-excel.rdrichvalue+xml",
        "/xl/richData/rdrichvaluestructure.xml": "application/vnd.ms-excel.rdrichvaluestructure+xml",
        "/xl/richData/richValueRel.xml": "application/vnd.ms-excel.richvaluerel+xml",
    }
    defaults = {"png": "image/png",
                "bin": "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"}
    entries = [f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in defaults.items()]
    entries += [f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items()]
    parts[types] = parts[types].replace(b"</Types>", ("".join(entries) + "</Types>").encode())


def test_the_fixture_holds_every_feature_it_claims(tmp_path: Path) -> None:
    parts = read_parts(real_world_workbook(tmp_path / "book.xlsx"))
    every = b"".join(parts.values())
    for marker in (b'cm="1"', b"threadedComment", b"formControlPr", b"xdr:pic", b"legacyDrawingHF", b"xfComplement",
                   b"protectedRange", b"$1:$5", b"ignoredError", b"printerSettings1.bin", b"drawing99.xml",
                   b"_x000D_", b"<si><t/></si>", b"1E+999", b"<v>10000000</v>", b"<v>1E-9</v>", b"<is><t></t></is>",
                   b"keep me", b'vm="1"', b"XLRICHVALUE", b"_localImage", b"richValueRel.xml"):
        assert marker in every, marker
    assert "xl/worksheets/Sheet5.xml" in parts and "xl/drawings/drawing99.xml" not in parts

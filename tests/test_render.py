"""The recalculated demo workbook as a person sees it: printed by LibreOffice, checked page by page.

The demo (as of 2026-11-23), in English and in Russian, is written and recalculated by the local
adapter, then LibreOffice headless prints every sheet to PDF and also saves the workbook again as .xlsx;
poppler turns the PDF into text and 50 dpi PNG pages. The checks: every page is drawn in a sans-serif
font, the Summary, Funnel report and Signals tabs are readable, no page shows ``###`` overflow, the
Summary prints on one landscape page with its headers whole, its funnel block in whole numbers and both
charts below the tables, drawn with both series; Signals' details print whole; and the charts survive
LibreOffice's own .xlsx export with their series named by their own header rows. Each tab prints one
page wide with its header repeated, so the page count stays within bounds; number headers end where
their numbers end (word boxes from ``pdftotext -bbox``); lost reasons and Statements' formula text print
every word.

LibreOffice and poppler come from Debian through ``tests/render/install-libreoffice.sh``; without them
these tests fail (never skip), saying how to install them.
"""

from __future__ import annotations

import html
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pytest

from demo.workbook import write_demo
from entrypoints.jobs import recalculate_spreadsheet
from formulas.engine import Outcome
from formulas.text import say
from sheets_sync.local import LocalWorkbook

pytestmark = pytest.mark.slow

AS_OF = date(2026, 11, 23)
TOOLS = ("soffice", "pdftoppm", "pdftotext", "pdfinfo", "pdffonts")
INSTALL = "install them with `bash tests/render/install-libreoffice.sh` (root, or a user with sudo)"
SOFFICE_TIMEOUT = 120  # seconds; a first run also creates the private profile
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
DOC_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@dataclass(frozen=True)
class Rendered:
    """What one render of the demo produced."""

    outcome: Outcome
    page_count: int  # as pdfinfo reports it
    pages: list[str]  # the text of each PDF page, whitespace collapsed
    pngs: list[Path]  # one 50 dpi PNG per page, in page order
    round_trip: Path  # the workbook saved again by LibreOffice as .xlsx
    sizes: list[tuple[float, float]]  # (width, height) of each page in points
    fonts: list[str]  # the names of the fonts the PDF embeds or refers to
    words: list[list[Word]]  # the words of each page with their boxes


@dataclass(frozen=True)
class Word:
    """One printed word and its box on the page, in points from the top left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def _missing_tools() -> list[str]:
    """The render tools not on PATH."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def _run(args: list[str], timeout: int = 60) -> str:
    """Run a tool and return its stdout; a non-zero exit fails the test with the tool's stderr."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        pytest.fail(f"{args[0]} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def _soffice(source: Path, target: str, outdir: Path, profile: Path) -> Path:
    """Convert ``source`` with LibreOffice headless; a private profile keeps parallel runs apart."""
    _run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
          "--convert-to", target, "--outdir", str(outdir), str(source)], timeout=SOFFICE_TIMEOUT)
    out = outdir / f"{source.stem}.{target}"
    if not out.is_file():  # soffice exits 0 even when a conversion fails
        pytest.fail(f"soffice wrote no {out.name}")
    return out


@pytest.fixture(scope="module", params=["en", "ru"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Write, recalculate and render the demo once per language for every test of this module."""
    if missing := _missing_tools():
        pytest.fail(f"render tools missing: {', '.join(missing)}; {INSTALL}")
    root = tmp_path_factory.mktemp(f"render-{request.param}")
    book = root / "demo.xlsx"
    write_demo(book, AS_OF, request.param)
    outcome = recalculate_spreadsheet(LocalWorkbook(book), AS_OF)
    pdf = _soffice(book, "pdf", root / "pdf", root / "profile")
    round_trip = _soffice(book, "xlsx", root / "xlsx", root / "profile")
    pages_line = re.search(r"^Pages:\s+(\d+)", _run(["pdfinfo", str(pdf)]), re.M)
    assert pages_line, "pdfinfo reports no page count"
    page_count = int(pages_line.group(1))
    info = _run(["pdfinfo", "-f", "1", "-l", str(page_count), str(pdf)])
    sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)]
    fonts = [line.split()[0] for line in _run(["pdffonts", str(pdf)]).splitlines()[2:] if line.strip()]
    text = _run(["pdftotext", "-layout", str(pdf), "-"])
    pages = [" ".join(page.split()) for page in text.split("\f")[:page_count]]
    words = [_words(page) for page in _run(["pdftotext", "-bbox", str(pdf), "-"]).split("</page>")[:page_count]]
    (root / "png").mkdir()
    _run(["pdftoppm", "-png", "-r", "50", str(pdf), str(root / "png" / "page")], timeout=300)
    pngs = sorted((root / "png").glob("page-*.png"))
    return Rendered(outcome, page_count, pages, pngs, round_trip, sizes, fonts, words)


def _words(page: str) -> list[Word]:
    """The words of one page of ``pdftotext -bbox`` output, with their boxes in points."""
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)
    return [Word(html.unescape(text), float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, text in found]


def _png_rgb_rows(path: Path) -> Iterator[bytes]:
    """The pixel rows of an 8-bit RGB, non-interlaced PNG (what pdftoppm writes), top to bottom.

    A generator, so a caller looking for the first drawn row decodes no further than that.
    """
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    pos, idat, header = 8, [], b""
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + size]
        header = body if kind == b"IHDR" else header
        idat += [body] if kind == b"IDAT" else []
        pos += size + 12
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour, interlace) == (8, 2, 0), f"{path.name}: unexpected PNG layout"
    raw, stride, prev = zlib.decompress(b"".join(idat)), width * 3, bytes(width * 3)
    for y in range(height):
        start = y * (stride + 1)
        prev = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), prev)
        yield prev


def _unfilter(kind: int, line: bytearray, prev: bytes) -> bytes:
    """Undo one row's PNG filter (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth) against the row above."""
    if kind == 2:
        return bytes((a + b) & 255 for a, b in zip(line, prev, strict=True))
    for i in range(len(line) if kind else 0):
        left = line[i - 3] if i >= 3 else 0
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 3:
            line[i] = (line[i] + (left + prev[i]) // 2) & 255
        else:
            up, corner = prev[i], prev[i - 3] if i >= 3 else 0
            guess = left + up - corner
            dl, du, dc = abs(guess - left), abs(guess - up), abs(guess - corner)
            line[i] = (line[i] + (left if dl <= du and dl <= dc else up if du <= dc else corner)) & 255
    return bytes(line)


def _pixels(rows: Iterable[bytes]) -> list[tuple[int, int, int]]:
    """All pixels of a decoded page as (r, g, b)."""
    return [(row[i], row[i + 1], row[i + 2]) for row in rows for i in range(0, len(row), 3)]


def _start_page(rendered: Rendered, key: str) -> int:
    """The index of the first page of a result tab: the first page opening with its title line or its
    first headers (every page of a tab repeats them; the first is where the tab starts)."""
    tab = rendered.outcome.report.tab(key)
    header = tab.title_line or " ".join(col.header for col in tab.columns[:4])
    # Wrapped headers print their upper lines first, so the first headers may follow a few words.
    starts = [i for i, page in enumerate(rendered.pages) if header in page[:len(header) + 120]]
    assert starts, f"no page starts with the {key} header {header!r}"
    return starts[0]


def test_render_tools_are_installed() -> None:
    """LibreOffice and poppler are on PATH (a missing tool fails here with the install hint)."""
    assert not _missing_tools(), f"render tools missing: {', '.join(_missing_tools())}; {INSTALL}"


def test_every_pdf_page_has_a_png_that_is_not_blank(rendered: Rendered) -> None:
    """Every sheet printed: pages exist, one PNG per page, and each PNG has drawn pixels."""
    assert rendered.page_count > 0
    assert len(rendered.pngs) == rendered.page_count
    for png in rendered.pngs:
        assert any(row.count(255) < len(row) for row in _png_rgb_rows(png)), f"{png.name} is blank"


def test_pdf_text_shows_summary_funnel_report_and_signals(rendered: Rendered) -> None:
    """Tab titles are not printed, so each tab is recognised by its own headers and contents. Headers
    wrap at their spaces inside their column, so each word of every shown header must print."""
    printed = set(" ".join(rendered.pages).split())
    report = rendered.outcome.report
    summary, signals = report.tab("summary"), report.tab("signals")
    expected = [col.header for tab in (summary, report.tab("funnel_report"), signals) for col in tab.columns
                if not col.hidden]
    expected += [chart.title for chart in summary.charts]
    expected += sorted({str(row[2]) for row in signals.rows})  # the signal codes, e.g. stuck_client
    lang = rendered.outcome.inputs.lang
    assert {say("chart.plan_fact", lang), say("chart.funnel", lang), say("funnel.col.median_days", lang),
            "stuck_client"} <= set(expected)
    assert [text for text in expected if not set(text.split()) <= printed] == []


def test_no_page_shows_hash_overflow(rendered: Rendered) -> None:
    """No cell prints as ###: result tabs have their widths, and the demo's input tabs are as wide as
    their values (dates included)."""
    assert [i + 1 for i, page in enumerate(rendered.pages) if "###" in page] == []


def test_every_page_prints_in_a_sans_serif_font(rendered: Rendered) -> None:
    """Every cell names its font: a font without a name (a bold header) printed in DejaVu Serif."""
    assert rendered.fonts, "pdffonts lists no font"
    assert [font for font in rendered.fonts if "serif" in font.lower() and "sans" not in font.lower()] == []


def test_summary_prints_on_one_landscape_page_with_the_charts_below_the_tables(rendered: Rendered) -> None:
    """All of Summary, its table, funnel block and both charts, is one page wide and one page high."""
    report = rendered.outcome.report
    summary = report.tab("summary")
    first = _start_page(rendered, "summary")
    page = rendered.pages[first]
    width, height = rendered.sizes[first]
    assert width > height, "Summary is not printed landscape"
    assert rendered.pages[first + 1].startswith(report.tab("statements").columns[0].header)
    last_label = str(summary.rows[-1][0])  # the funnel block's last stage, the table's lowest cell
    assert last_label.startswith("7. ")
    titles = [chart.title for chart in summary.charts]
    assert [title for title in titles if title not in page] == []
    assert page.index(last_label) < min(page.index(title) for title in titles), "a chart is not below"
    assert page.index(titles[0]) < page.index(titles[1])  # one under the other


def test_every_summary_header_prints_whole(rendered: Rendered) -> None:
    """Readable component headers wrap inside their column: every word of every shown header prints
    (hidden components do not), and none is cut inside a word: each column is as wide as its longest word."""
    summary = rendered.outcome.report.tab("summary")
    shown = [col for col in summary.columns if not col.hidden]
    assert all(max(map(len, col.header.split())) + 2 <= col.width for col in shown)
    printed = [word.text for word in rendered.words[_start_page(rendered, "summary")]]
    assert [w for col in shown for w in col.header.split() if w not in printed] == []


def test_the_summary_funnel_block_prints_whole_numbers(rendered: Rendered) -> None:
    """The block's counts sit in money columns but print as counts: "419", never "419.00"."""
    summary = rendered.outcome.report.tab("summary")
    page = rendered.pages[_start_page(rendered, "summary")]
    block = summary.rows[-7:]
    assert [str(row[0])[:2] for row in block] == [f"{stage}." for stage in range(1, 8)]
    for label, in_work, reached in block:
        assert re.search(rf"{re.escape(str(label))} {in_work} {reached}(?![\d.,])", page), label


def test_signal_details_print_whole(rendered: Rendered) -> None:
    """Long details wrap inside their column: every word of every signal prints, in order."""
    signals = rendered.outcome.report.tab("signals")
    text = " ".join(rendered.pages[_start_page(rendered, "signals"):_start_page(rendered, "input_issues")])
    printed = iter(text.split())
    wanted = [word for row in signals.rows for word in str(row[3]).split()]
    # Each word is looked for after the previous one; a word cut off at a page or cell edge is missing.
    missing = [word for word in wanted if word not in printed]
    assert missing == []


def test_summary_charts_are_drawn_with_both_series(rendered: Rendered) -> None:
    """The pages that carry the chart titles show bars in both series colours (blue and red)."""
    titles = [chart.title for chart in rendered.outcome.report.tab("summary").charts]
    chart_pages = [i for i, page in enumerate(rendered.pages) if any(t in page for t in titles)]
    assert chart_pages, "no page shows a chart title"
    pixels = [p for i in range(chart_pages[0], chart_pages[-1] + 1) for p in _pixels(_png_rgb_rows(rendered.pngs[i]))]
    blue = sum(1 for r, _, b in pixels if b - r > 50)
    red = sum(1 for r, g, _ in pixels if r - g > 80)  # highlight pinks and yellows stay below this
    assert blue > 100 and red > 100, (blue, red)


def _part_targets(book: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    """The zip paths of ``part``'s relationships of type ``kind`` (e.g. "drawing", "chart")."""
    folder = PurePosixPath(part).parent
    rels = folder / "_rels" / f"{PurePosixPath(part).name}.rels"
    root = ElementTree.fromstring(book.read(str(rels)))
    return [_resolve(folder, rel.get("Target", "")) for rel in root.iter(REL)
            if rel.get("Type", "").endswith(f"/{kind}")]


def _resolve(folder: PurePosixPath, target: str) -> str:
    """A relationship target as a zip path ('..' segments folded, leading '/' = package root)."""
    parts: list[str] = [] if target.startswith("/") else list(folder.parts)
    for piece in target.lstrip("/").split("/"):
        parts = parts[:-1] if piece == ".." else [*parts, piece]
    return "/".join(parts)


def _round_trip_charts(rendered: Rendered) -> list[str]:
    """The chart parts of Summary's drawing in the workbook LibreOffice saved again."""
    title = rendered.outcome.report.tab("summary").title
    with zipfile.ZipFile(rendered.round_trip) as book:
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        rel_id = next(s.get(DOC_REL_ID) for s in workbook.iter(f"{MAIN}sheet") if s.get("name") == title)
        drawings = _part_targets(book, _sheet_target(book, rel_id), "drawing")
        assert len(drawings) == 1
        return [book.read(path).decode() for path in _part_targets(book, drawings[0], "chart")]


def test_summary_charts_survive_a_libreoffice_xlsx_round_trip(rendered: Rendered) -> None:
    """Saved again by LibreOffice, Summary's drawing still holds both charts over Summary's cells."""
    summary = rendered.outcome.report.tab("summary")
    charts = _round_trip_charts(rendered)
    assert len(charts) == len(summary.charts) == 2
    for spec in summary.charts:
        assert [chart for chart in charts if spec.title in chart] != [], f"chart {spec.title!r} lost"
    for chart in charts:
        sheet_ref = rf"<c:f>'?{re.escape(summary.title)}'?!\$"
        assert re.search(sheet_ref, chart), "a chart's series no longer read Summary's cells"


def _header_text(rendered: Rendered, row: int, col: int) -> str:
    """The Summary cell on sheet ``row`` that names a series: a column header on the header row."""
    summary = rendered.outcome.report.tab("summary")
    return summary.columns[col].header if row == summary.header_row else str(summary.rows[row - summary.first_row][col])


def test_round_tripped_series_are_named_by_their_charts_own_header_rows(rendered: Rendered) -> None:
    """Series names come from the row just above each chart's data, not from the tab's row 1; the
    funnel runs stage 1 at the top and the value axes show whole numbers."""
    summary = rendered.outcome.report.tab("summary")
    charts = {spec.title: ElementTree.fromstring(next(xml for xml in _round_trip_charts(rendered) if spec.title in xml))
              for spec in summary.charts}
    names = {title: [ser.findtext(f"{CHART}tx//{CHART}v") for ser in root.iter(f"{CHART}ser")]
             for title, root in charts.items()}
    expected = {spec.title: [_header_text(rendered, spec.rows[0] - 1, col) for col in spec.value_cols]
                for spec in summary.charts}
    lang = rendered.outcome.inputs.lang
    assert names == expected == {say("chart.plan_fact", lang): [say("header.plan", lang), say("header.fact", lang)],
                                 say("chart.funnel", lang): [say("chart.in_work", lang), say("chart.reached", lang)]}
    funnel = charts[say("chart.funnel", lang)]
    assert funnel.find(f".//{CHART}catAx/{CHART}scaling/{CHART}orientation").get("val") == "maxMin"
    for root in charts.values():
        assert root.find(f".//{CHART}valAx/{CHART}numFmt").get("formatCode") == "#,##0"


def _sheet_target(book: zipfile.ZipFile, rel_id: str | None) -> str:
    """The zip path of the workbook relationship ``rel_id``."""
    root = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = next(rel.get("Target", "") for rel in root.iter(REL) if rel.get("Id") == rel_id)
    return _resolve(PurePosixPath("xl"), target)


def test_page_counts_stay_within_bounds(rendered: Rendered) -> None:
    """Every tab prints one page wide with its header repeated: the demo's input tabs take about 80 pages
    (they were 100 before they had a print setup), the result tabs under 20, Summary exactly one."""
    summary = _start_page(rendered, "summary")
    assert summary <= 85, f"the input tabs print on {summary} pages"
    assert rendered.page_count - summary <= 20, f"the result tabs print on {rendered.page_count - summary} pages"
    assert rendered.pages[summary + 1].startswith(rendered.outcome.report.tab("statements").columns[0].header)


def _line(words: list[Word], first: str, below: float = 0.0) -> list[Word]:
    """The words on the printed line of the first word ``first`` found below ``below`` points."""
    anchor = next(word for word in words if word.text == first and word.y0 > below)
    return [word for word in words if abs(word.y1 - anchor.y1) < 2]


@pytest.mark.parametrize("key", ["funnel_report", "statements", "summary"])
def test_headers_sit_right_above_the_numbers_of_their_column(rendered: Rendered, key: str) -> None:
    """A number column's header ends where the column's numbers end (right-aligned over right-aligned
    figures), so no figure sits under its neighbour's header."""
    tab = rendered.outcome.report.tab(key)
    words = rendered.words[_start_page(rendered, key)]
    header = _line(words, tab.columns[0].header.split()[-1])
    row = tab.rows[0]
    data = _line(words, str(row[0]).split()[0], below=header[0].y1)
    checked = 0
    for col, spec in enumerate(tab.columns):
        if not spec.numeric or spec.hidden or col >= len(row) or not isinstance(row[col], int | float):
            continue
        last = [word for word in header if word.text == spec.header.split()[-1]]
        assert last, f"{spec.header!r} is not on the header line"
        right = min(last, key=lambda word: abs(word.x1 - _column_right(header, data, word)))
        nearest = min(data, key=lambda word: abs(word.x1 - right.x1))
        assert abs(nearest.x1 - right.x1) < 2.5, (spec.header, nearest.text, nearest.x1, right.x1)
        checked += 1
    assert checked >= 3


def _column_right(header: list[Word], data: list[Word], word: Word) -> float:
    """The right edge of the data word nearest to a header word (to tell apart repeated header words)."""
    return min((d.x1 for d in data), key=lambda x1: abs(x1 - word.x1))


def _printed_in_order(rendered: Rendered, first: str, last: str, texts: list[str]) -> list[str]:
    """The words of ``texts`` not found, in order, in the pages from result tab ``first`` to ``last``."""
    pages = rendered.pages[_start_page(rendered, first):_start_page(rendered, last)]
    printed = iter(" ".join(pages).split())
    return [word for text in texts for word in text.split() if word not in printed]


def test_lost_reasons_and_formulas_print_whole(rendered: Rendered) -> None:
    """Lost reasons wrap inside their column and Statements' formula text inside its own: every word of
    each prints, in order (a cut or overwritten word is missing)."""
    report = rendered.outcome.report
    funnel = report.tab("funnel_report")
    reasons = [str(row[1]) for row in funnel.rows if len(row) == 3 and isinstance(row[2], int)
               and isinstance(row[1], str) and not re.fullmatch(r"\d{4}-\d{2}", row[1])]
    assert reasons
    assert _printed_in_order(rendered, "funnel_report", "signals", reasons) == []
    statements = report.tab("statements")
    formulas = [str(row[statements.column("formula")]) for row in statements.rows]
    assert _printed_in_order(rendered, "statements", "explain", formulas) == []

"""Save an openpyxl workbook atomically and reproducibly.

Atomic: the package is written to a temporary file in the target's folder, flushed to disk, given the
target's permissions and moved over it with ``os.replace``; if anything fails the target is untouched
and the temporary file is removed (PRODUCT.md section 7: a failed run leaves the spreadsheet as it was).

Reproducible: the same workbook saves to the same bytes. openpyxl's ``save`` stamps
``docProps/core.xml`` with the current time and every zip entry with the current clock, so the writer is
driven directly: document properties are written as loaded, and entries carry a fixed timestamp.
While writing, cached formula results are put back into kept tabs (:mod:`sheets_sync.local.cache`).
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell import _writer as openpyxl_cell_writer
from openpyxl.writer.excel import ExcelWriter

from sheets_sync.local.cache import Cached, restore

# The earliest time a zip entry can carry; any fixed value makes the bytes repeatable.
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


class _StableZip(ZipFile):
    """A zip being written whose entries get a fixed timestamp and, for worksheets, cached values."""

    def __init__(self, file: IO[bytes], cached_by_part: dict[str, dict[bytes, Cached]]) -> None:
        super().__init__(file, "w", ZIP_DEFLATED, allowZip64=True)
        self._cached_by_part = cached_by_part

    def write(
        self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None
    ) -> None:
        """Add a file from disk (openpyxl's worksheets) through :meth:`writestr`, so it is stamped too."""
        self.writestr(arcname or filename, Path(filename).read_bytes())

    def writestr(
        self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None
    ) -> None:
        """Add one entry with the fixed timestamp; worksheets of kept tabs get their cached values back."""
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        payload = data.encode() if isinstance(data, str) else bytes(data)
        cells = self._cached_by_part.get(name)
        if cells:
            payload = restore(payload, cells)
        info = ZipInfo(name, date_time=ENTRY_TIME)
        info.compress_type = ZIP_DEFLATED
        info.external_attr = 0o600 << 16  # what ZipFile gives entries added by name
        super().writestr(info, payload)


def _worksheet_parts(wb: Workbook, cached: dict[str, dict[bytes, Cached]]) -> dict[str, dict[bytes, Cached]]:
    """Map cached values from tab titles to the part names openpyxl's writer will use.

    openpyxl 3.1 numbers worksheets (chartsheets excluded) in workbook order: sheet1.xml, sheet2.xml...
    """
    return {
        f"xl/worksheets/sheet{index}.xml": cached[ws.title]
        for index, ws in enumerate(wb.worksheets, start=1)
        if ws.title in cached
    }


def save_atomically(wb: Workbook, path: Path, cached: dict[str, dict[bytes, Cached]] | None = None) -> None:
    """Replace ``path`` with ``wb`` in one step; on failure the old file stays and no temp file is left."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            # The zip is closed here even when openpyxl fails midway, so it never closes on a dead file.
            with _StableZip(handle, _worksheet_parts(wb, cached or {})) as archive, _exact_numbers():
                ExcelWriter(wb, archive).write_data()
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)


@contextlib.contextmanager
def _exact_numbers() -> Iterator[None]:
    """Write every number with all the digits it has, so a kept tab's numbers survive a rewrite.

    openpyxl formats floats with ``%.16g``, so a value Excel stored with 17 digits
    (0.30000000000000004) would come back as 0.3 after Premia rewrote the workbook: a change to
    what users typed. ``repr`` is Python's shortest text that reads back as exactly the same float.
    """
    original = openpyxl_cell_writer.safe_string

    def exact(value: Any) -> str:
        if isinstance(value, float) and math.isfinite(value):
            return repr(float(value))  # float(): numpy floats repr as "np.float64(…)"
        return original(value)

    openpyxl_cell_writer.safe_string = exact
    try:
        yield
    finally:
        openpyxl_cell_writer.safe_string = original


def _mode_for(path: Path) -> int:
    """The permissions the file should keep: its own, or ``rw-r--r--`` for a new file.

    mkstemp creates ``rw-------``; a new file gets the usual default instead (reading the umask would
    change it for every thread of the process for a moment).
    """
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    return 0o644


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk where the platform allows opening a folder (not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""Replace a workbook file with new bytes only if it is still exactly the file that was read.

A run reads the file (:func:`snapshot`), computes for a while, then writes. Meanwhile a person may save
an edit, or another run may write its results. :func:`replace_if_unchanged` compares the file with the
snapshot (same file, same SHA-256) immediately before replacing it, under an advisory lock on the file
that every Premia run takes for its compare-and-replace, so of concurrent runs that read the same
generation of the file at most one replaces it; the others get :class:`SpreadsheetChanged` and the job
reads again (:mod:`entrypoints.jobs`).

Where Linux offers it, the replace is an atomic *exchange* (``renameat2(RENAME_EXCHANGE)``): afterwards
the old file sits at the temporary name and is checked once more, so an edit saved in the instant
between the check and the exchange (in place, or by a program that saves through a rename) is detected
and put back, never lost. Elsewhere ``os.replace`` is used after the check.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sheets_sync.local.save import same_file, sync_folder, temporary_beside, try_lock
from sheets_sync.protocol import SpreadsheetChanged

_AT_FDCWD, _RENAME_EXCHANGE = -100, 2
try:
    _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
except (AttributeError, OSError):  # not glibc/Linux
    _renameat2 = None


@dataclass(frozen=True)
class Snapshot:
    """A workbook file as one run read it: its bytes, their SHA-256 and which file it was."""

    data: bytes
    digest: str
    identity: tuple[int, int]  # (device, inode): a file saved over by a rename is another file
    mode: int


def snapshot(path: Path) -> Snapshot:
    """Read the whole file once, noting which file it was."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        data = handle.read()
    return Snapshot(data, hashlib.sha256(data).hexdigest(), (info.st_dev, info.st_ino), stat.S_IMODE(info.st_mode))


def replace_if_unchanged(path: Path, data: bytes, expected: Snapshot) -> Snapshot:
    """Replace ``path`` by ``data`` if it is still the file of ``expected``; the snapshot of the new file.

    Raises :class:`SpreadsheetChanged` (the file left as it is) when it changed since it was read.
    A failure leaves the file as it was and no temporary file behind.
    """
    path = Path(os.path.realpath(path))  # replace the file a link points at, not the link
    with temporary_beside(path, data, expected.mode) as temporary:
        fd = _open_locked(path)
        try:
            _check(path, fd, expected)
            swapped = _exchange(temporary, path)
            if not swapped:
                os.replace(temporary, path)
            elif not (same_file(fd, temporary) and _digest(fd) == expected.digest):
                # Someone saved in the instant between the check and the exchange: put their file back.
                _exchange(temporary, path)
                raise _changed(path)
            written = os.stat(path)
        finally:
            os.close(fd)
    sync_folder(path.parent)
    return Snapshot(data, hashlib.sha256(data).hexdigest(), (written.st_dev, written.st_ino), expected.mode)


def _open_locked(path: Path) -> int:
    """The workbook open for reading, with Premia's advisory lock on it held."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise _changed(path, "was moved or deleted") from None
    try:
        try_lock(fd, blocking=True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check(path: Path, fd: int, expected: Snapshot) -> None:
    """Raise unless the locked file is still at ``path`` and holds exactly what was read."""
    info = os.fstat(fd)
    if (info.st_dev, info.st_ino) != expected.identity or not same_file(fd, path) or _digest(fd) != expected.digest:
        raise _changed(path)


def _digest(fd: int) -> str:
    """The SHA-256 of an open file's whole content."""
    digest = hashlib.sha256()
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        digest.update(chunk)
        offset += len(chunk)
    return digest.hexdigest()


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names atomically; False where the system or the file system cannot."""
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not supported here
        return False
    raise OSError(error, os.strerror(error), str(second))


def _changed(path: Path, how: str = "changed") -> SpreadsheetChanged:
    """The error a job retries on, in words a person understands if it reaches them."""
    return SpreadsheetChanged(f"{path.name} {how} while Premia was calculating (someone saved it, or another "
                              "Premia run wrote it); nothing was written. Run Premia again.")

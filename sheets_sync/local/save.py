"""Temporary files beside a workbook: written and flushed under a lock, and swept up after a killed run.

A write goes to ``.<name>.XXXXXXXX.tmp`` in the workbook's folder (the rename that replaces the workbook
must stay on one file system). The writing process holds an advisory lock (``flock``) on its temporary
file for as long as it exists, so the next run can tell a file left by a killed run (unlocked: removed)
from one being written right now (locked: left alone). Only names of exactly that pattern are touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sheets_sync.local.guard import WorkbookBusy

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; temporaries of killed runs are then left alone
    fcntl = None  # type: ignore[assignment]


def temporary_pattern(path: Path) -> re.Pattern[str]:
    """The names Premia gives temporary files of ``path``: mkstemp's 8 random characters in between."""
    return re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp\Z")


def try_lock(fd: int, blocking: bool = False) -> bool:
    """Take an exclusive advisory lock on an open file; False when another process holds it.

    Without advisory locks (Windows) a blocking lock is taken as granted and a non-blocking one as refused,
    so nothing is ever swept up there.
    """
    if fcntl is None:
        return blocking
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def same_file(fd: int, name: Path) -> bool:
    """True when ``name`` still names the file open as ``fd`` (not deleted, not replaced)."""
    try:
        here, there = os.fstat(fd), os.stat(name, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


@contextlib.contextmanager
def temporary_beside(path: Path, data: bytes, mode: int) -> Iterator[Path]:
    """A flushed temporary file holding ``data`` next to ``path``, locked while the block runs.

    The file is removed on the way out unless the block moved it away (or swapped it with the
    workbook: whatever then sits at the temporary name is the old workbook, removed too).
    """
    for _ in range(5):
        try:
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except PermissionError:
            raise WorkbookBusy(f"Premia cannot create files in the folder of {path.name}, so it cannot replace the "
                               "file safely. Make the folder writable, then run Premia again.") from None
        # A sweeping run may have taken the file for a killed run's between mkstemp and the lock: then the
        # name no longer points at this file, and another name is tried.
        if try_lock(fd, blocking=True) and same_file(fd, Path(name)):
            break
        os.close(fd)
    else:
        raise OSError(f"could not create a temporary file beside {path.name}")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        yield temporary
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        os.close(fd)  # releases the lock


def remove_stale_temporaries(path: Path) -> list[str]:
    """Remove temporary files a killed run left beside ``path``; return their names.

    A file is removed only when it matches Premia's pattern for this workbook, is a regular file and no
    process holds its lock; a file being written by a live run is left alone.
    """
    if fcntl is None:
        return []
    pattern, removed = temporary_pattern(path), []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:  # an unlistable folder: nothing to sweep, and the write itself will say what is wrong
        return removed
    for entry in entries:
        if not pattern.match(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            if try_lock(fd) and same_file(fd, Path(entry.path)):
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            pass  # gone meanwhile, or not ours to remove: leave it
        finally:
            os.close(fd)
    return removed


def sync_folder(folder: Path) -> None:
    """Flush a rename to disk where the platform allows opening a folder (not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""Writing the files the commands produce: whole or not at all, several together or none.

Each file is written to a temporary file beside it and renamed over the target, so a reader never
sees half a file and a failed write (a full disk, a read-only directory) leaves the old one in
place. Several files are renamed one after another; if a later rename fails the earlier ones are
put back, so ``connect`` never leaves a ``config.json`` without its ``bundle.json``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .input_error import InputError


class WriteError(InputError):
    """A file could not be written: one line naming it and why; nothing was changed."""


def _why(error: OSError) -> str:
    return error.strerror or type(error).__name__


def ensure_directory(directory: Path, *, mode: int = 0o777, flag: str = "--out-dir") -> None:
    """``directory`` exists (created with ``mode`` if need be) and is a directory."""
    try:
        directory.mkdir(mode=mode, parents=True, exist_ok=True)
    except FileExistsError:
        raise WriteError(f"{flag} {directory}: exists and is not a directory") from None
    except OSError as error:
        raise WriteError(f"{flag} {directory}: cannot create: {_why(error)}") from None
    if not directory.is_dir():
        raise WriteError(f"{flag} {directory}: not a directory")


def check_writable(path: Path) -> None:
    """WriteError now for a target that can never be written (a directory, a missing or file parent),
    so a command fails before its work rather than after."""
    if path.is_dir():
        raise WriteError(f"{path}: is a directory")
    if path.exists() and not path.is_file():
        # A device or a pipe: renaming over it would replace it (as root, even /dev/full).
        raise WriteError(f"{path}: is not a regular file")
    if not path.parent.is_dir():
        raise WriteError(f"{path}: {path.parent} is not a directory")


def _stage(path: Path, text: str, mode: int) -> Path:
    """``text`` in a temporary file beside ``path`` with ``mode``; WriteError if it cannot be written."""
    check_writable(path)
    try:
        # Encoded before any file exists: a lone surrogate (from JSON's "\ud800") cannot be UTF-8.
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise WriteError(f"{path}: not written: character {error.start} is a lone surrogate, not text") from None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {_why(error)}") from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise WriteError(f"{path}: cannot write: {_why(error)}") from None
        raise
    return temporary


def write_together(files: Mapping[Path, str], *, mode: int = 0o644) -> list[Path]:
    """Write every file in ``files`` or none of them (see the module docstring)."""
    staged: dict[Path, Path] = {}
    try:
        for path, text in files.items():
            staged[path] = _stage(path, text, mode)
    except BaseException:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
        raise
    backups: dict[Path, Path | None] = {}
    try:
        for path, temporary in staged.items():
            backups[path] = _backup(path)
            os.replace(temporary, path)
    except OSError as error:
        _roll_back(backups, staged)
        raise WriteError(f"{path}: cannot write: {_why(error)}") from None
    for backup in backups.values():
        if backup is not None:
            backup.unlink(missing_ok=True)
    return list(files)


def _backup(path: Path) -> Path | None:
    """A copy of the current ``path`` (None when there is none), to put back on failure."""
    if not path.exists():
        return None
    backup = path.with_name(f".{path.name}.previous")
    shutil.copy2(path, backup)
    return backup


def _roll_back(backups: Mapping[Path, Path | None], staged: Mapping[Path, Path]) -> None:
    for path, backup in backups.items():
        with contextlib.suppress(OSError):
            if backup is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(backup, path)
    for temporary in staged.values():
        temporary.unlink(missing_ok=True)


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``max_bytes``.

    A FIFO, a device such as /dev/zero or a symlink to one would block or never end: the file is
    opened without blocking, checked with fstat (the file opened, not the name, so a swap between
    check and read cannot slip one in), and read to one byte past the limit. OSError (and
    ValueError for too large or not regular) for the caller to phrase.
    """
    if path.is_dir():
        raise ValueError("is a directory")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise ValueError("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("is not a regular file (a pipe or a device?)")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"over {max_bytes} bytes")
    return data

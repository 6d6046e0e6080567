"""Reading source files safely (regular files only, bounded, in their encoding) and writing them atomically.

A tree handed to db2ndb may hold anything: FIFOs (opening one for reading
blocks until a writer comes), symlinks to files elsewhere, huge generated
files, binary files named ``.py``. Every read here opens the path without
following a symlink and without blocking, checks on the open descriptor that
it is a regular file, and reads at most a bounded number of bytes. A write
replaces the file only if it is still the one that was read.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple, Union

#: Source files larger than this are skipped (hand-written modules are far smaller).
MAX_SOURCE_BYTES = 2 * 1024 * 1024

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class UnsafeFileError(OSError):
    """The path is not a regular file db2ndb may read (FIFO, device, symlink, too large, binary)."""


@dataclass(frozen=True)
class Signature:
    """What identifies the file that was read: a write goes ahead only if it is unchanged."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, status: os.stat_result) -> "Signature":
        """The signature of a stat result."""
        return cls(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def read_bytes(path: Union[str, Path], limit: int = MAX_SOURCE_BYTES) -> Tuple[bytes, Signature]:
    """The contents of the regular file ``path`` (at most ``limit`` bytes) and its signature.

    Raises :class:`UnsafeFileError` for a symlink, a FIFO, a socket, a device
    or a file over ``limit`` bytes, and ``OSError`` when it cannot be opened.
    Never blocks and never follows a symlink (the last path component).
    """
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if os.path.islink(path):
            raise UnsafeFileError(f"symlink: {path}") from None
        raise error
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnsafeFileError(f"not a regular file ({file_kind(status.st_mode)})")
        if status.st_size > limit:
            raise UnsafeFileError(f"larger than {limit} bytes ({status.st_size} bytes)")
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise UnsafeFileError(f"larger than {limit} bytes (grew while read)")
        return data, Signature.of(status)
    finally:
        os.close(descriptor)


def read_head(path: Union[str, Path], size: int = 4096) -> bytes:
    """The first ``size`` bytes of the regular file ``path`` (same safety as :func:`read_bytes`)."""
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnsafeFileError("not a regular file")
        return os.read(descriptor, size)
    finally:
        os.close(descriptor)


def file_kind(mode: int) -> str:
    """``FIFO``, ``socket``, ``device``... for a stat mode that is not a regular file."""
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISLNK(mode):
        return "symlink"
    return "special file"


def decode_source(data: bytes) -> Tuple[str, str]:
    """``(text, encoding)`` of Python source bytes: the coding cookie or BOM decides, UTF-8 otherwise.

    Python 2 sources in Latin-1, GBK or Shift-JIS declare it in a
    ``# -*- coding: ... -*-`` line; the text is written back in the same
    encoding. Raises ``SyntaxError`` (unknown or wrong cookie) or
    ``UnicodeDecodeError`` (bytes that are not in the encoding).
    """
    if b"\0" in data:
        raise UnsafeFileError("binary file (NUL bytes)")
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def read_source(path: Path, limit: int = MAX_SOURCE_BYTES) -> Tuple[str, str]:
    """``(text, encoding)`` of a Python file; line endings are kept as they are."""
    text, encoding, _ = read_source_signed(path, limit)
    return text, encoding


def read_source_signed(path: Path, limit: int = MAX_SOURCE_BYTES) -> Tuple[str, str, Signature]:
    """``(text, encoding, signature)`` of a Python file, read safely (see :func:`read_bytes`)."""
    data, signature = read_bytes(path, limit)
    text, encoding = decode_source(data)
    return text, encoding, signature


def write_atomic(path: Path, text: str, encoding: str, expected: Optional[Signature] = None) -> None:
    """Replace ``path`` with ``text``: a temp file in the same folder, fsync, os.replace.

    The file's permission bits are kept. Readers see either the old or the
    new file, never a half-written one; on error the old file is untouched.
    With ``expected``, the file must still be the regular file that was read
    (not replaced by a symlink, not edited meanwhile), or nothing is written.
    """
    data = text.encode(encoding)
    status = os.lstat(path)
    if not stat.S_ISREG(status.st_mode):
        raise UnsafeFileError(f"no longer a regular file ({file_kind(status.st_mode)}); left untouched")
    if expected is not None and Signature.of(status) != expected:
        raise UnsafeFileError("changed on disk since it was read; left untouched")
    mode = stat.S_IMODE(status.st_mode)
    folder = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".db2ndb", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise

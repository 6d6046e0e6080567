"""Reading source files (keeping their encoding) and writing them atomically."""

from __future__ import annotations

import os
import stat
import tempfile
import tokenize
from pathlib import Path
from typing import Tuple


def read_source(path: Path) -> Tuple[str, str]:
    """``(text, encoding)`` of a Python file; line endings are kept as they are."""
    with open(path, "rb") as handle:
        data = handle.read()
    import io

    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def write_atomic(path: Path, text: str, encoding: str) -> None:
    """Replace ``path`` with ``text``: a temp file in the same folder, fsync, os.replace.

    The file's permission bits are kept. Readers see either the old or the
    new file, never a half-written one; on error the old file is untouched.
    """
    data = text.encode(encoding)
    mode = stat.S_IMODE(os.stat(path).st_mode)
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

"""A one-line progress bar on stderr (shown on a terminal, or when asked for)."""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO


class Progress:
    """``db2ndb [#######.............] 120/500 files`` redrawn in place, at most 10 times a second."""

    def __init__(self, total: int, label: str, enabled: bool, stream: Optional[TextIO] = None) -> None:
        self.total = total
        self.label = label
        self.enabled = enabled and total > 0
        self.stream = stream or sys.stderr
        self.done = 0
        self._last = 0.0

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more files done."""
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and self.done < self.total:
            return
        self._last = now
        width = 30
        filled = int(width * self.done / self.total)
        self.stream.write(f"\rdb2ndb {self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files")
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar."""
        if self.enabled:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()

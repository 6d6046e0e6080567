"""The progress bar on stderr (tqdm; shown on a terminal, or when asked for)."""

from __future__ import annotations

import sys
from typing import Optional, TextIO

from tqdm import tqdm


class Progress:
    """``db2ndb rewriting: 40%|####      | 120/300 [00:02<00:03, files/s]`` on stderr, through tqdm."""

    def __init__(self, total: int, label: str, enabled: bool, stream: Optional[TextIO] = None) -> None:
        self.total = total
        self.label = label
        self.enabled = enabled and total > 0
        self.done = 0
        self._bar = tqdm(total=total, desc=f"db2ndb {label}", unit="files", file=stream or sys.stderr,
                         leave=False, dynamic_ncols=True, mininterval=0.1) if self.enabled else None

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more files done."""
        self.done += count
        if self._bar is not None:
            self._bar.update(count)

    def close(self) -> None:
        """Erase the bar."""
        if self._bar is not None:
            self._bar.close()

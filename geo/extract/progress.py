"""Download progress on stderr: a bar on a terminal, else one line per tenth of the file."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm


def size_text(size: float) -> str:
    """Return a size in bytes for people: ``922 B``, ``14.3 kB``, ``58.1 MB``, ``1.20 GB``."""
    for unit, scale, digits in (("GB", 1e9, 2), ("MB", 1e6, 1), ("kB", 1e3, 1)):
        if size >= scale:
            return f"{size / scale:.{digits}f} {unit}"
    return f"{size:.0f} B"


class DownloadProgress:
    """Shows how much of a download is done, its rate and the time left.

    Parameters
    ----------
    label
        What is downloaded (the server's name), first on the bar or line.
    total
        Bytes of the whole file; None when the server did not say.
    done
        Bytes already there (a resumed download).
    show
        False shows nothing.
    stream
        Where to write (stderr by default); a bar only when it is a terminal.
    """

    def __init__(
        self,
        label: str,
        total: int | None,
        done: int = 0,
        *,
        show: bool = True,
        stream: TextIO | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.label, self.total, self.done, self.show = label, total, done, show
        self.started, self.first = time.monotonic(), done
        self.tenths = self._tenths()
        self.bar: tqdm | None = None
        if show and self.stream.isatty():
            self.bar = tqdm(
                total=total,
                initial=done,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc=label,
                file=self.stream,
                leave=False,
            )

    def update(self, size: int) -> None:
        """Count ``size`` more bytes."""
        self.done += size
        if self.bar is not None:
            self.bar.update(size)
        elif self.show and self.total and self._tenths() > self.tenths:
            self.tenths = self._tenths()
            self.stream.write(self._line() + "\n")
            self.stream.flush()

    def close(self) -> None:
        """Remove the bar (lines stay)."""
        if self.bar is not None:
            self.bar.close()

    def _tenths(self) -> int:
        return self.done * 10 // self.total if self.total else 0

    def _line(self) -> str:
        total = self.total or 1
        seconds = max(time.monotonic() - self.started, 1e-3)
        rate = (self.done - self.first) / seconds
        left = (total - self.done) / rate if rate > 0 else float("inf")
        return (
            f"{self.label}: {self.tenths * 10} % ({size_text(self.done)} of {size_text(total)}, "
            f"{size_text(rate)}/s, {left:.0f} s left)"
        )

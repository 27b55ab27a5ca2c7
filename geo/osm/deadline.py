"""One wall-clock budget shared by every request a command sends (no signals: any platform)."""

from __future__ import annotations

import time


class Deadline:
    """A budget of seconds that starts with the first request and is shared by all that follow.

    Parameters
    ----------
    seconds
        The whole budget, waits and retries included.

    Examples
    --------
    >>> deadline = Deadline(600)
    >>> deadline.remaining_s
    600.0
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = float(seconds)
        self._started: float | None = None

    def start(self) -> None:
        """Start the clock, unless it is already running."""
        if self._started is None:
            self._started = time.monotonic()

    @property
    def used_s(self) -> float:
        """Seconds since the clock started (0 before)."""
        return 0.0 if self._started is None else time.monotonic() - self._started

    @property
    def remaining_s(self) -> float:
        """Seconds left, never below 0."""
        return max(self.seconds - self.used_s, 0.0)

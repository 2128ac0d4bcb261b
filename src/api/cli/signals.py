"""Ending a following command cleanly on Ctrl-C or SIGTERM (after its current batch)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType


def stop_on_signals(stop: threading.Event, wake: Callable[[], None]) -> None:
    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()
        wake()

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)

"""Lets helper processes end themselves when the process that started them dies."""

from __future__ import annotations

import os
import threading
import time

CHECK_SECONDS = 0.5


def exit_when_orphaned(parent: int) -> None:
    """Start a watchdog: when `parent` is gone (even killed with SIGKILL, even halfway through
    sending us a message, which would leave a read blocked for ever), leave at once."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="orphan-watchdog", daemon=True).start()

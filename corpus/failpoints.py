"""Named points where a test can have the process killed, to prove crash safety.

`FUNDSCOPE_KILL_AT=name:n` makes the n-th pass (1-based) through `reach(name)` kill the
process with SIGKILL, as a power cut or the OOM killer would. Unset, `reach` costs one
dictionary look-up.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

_passes: Counter = Counter()


def reach(name: str) -> None:
    """Pass the failpoint `name`; die here if FUNDSCOPE_KILL_AT says so."""
    target = os.environ.get("FUNDSCOPE_KILL_AT")
    if not target:
        return
    point, _, nth = target.partition(":")
    if point != name:
        return
    _passes[name] += 1
    if _passes[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)

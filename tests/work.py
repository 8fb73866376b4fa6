"""How much work a call does, counted in function calls: a measure of growth a busy machine cannot blur."""
from __future__ import annotations

import sys
from typing import Any, Callable


def calls(function: Callable[..., Any], *args: Any) -> int:
    """The Python and built-in function calls made while `function(*args)` runs."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return count

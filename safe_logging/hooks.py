"""Where the cleaning is hooked in: the log record factory and the uncaught-exception hooks."""
from __future__ import annotations

import logging
import sys
import threading
import warnings
from typing import Any, Callable, Optional

from safe_logging.redact import clean_exception, redact, redact_json_line

_lock = threading.Lock()
_previous_factory: Optional[Callable[..., logging.LogRecord]] = None
_previous_showwarning: Optional[Callable[..., None]] = None


def clean_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message and exception cleaned (in place; returned for chaining)."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed format must not break logging
        message = str(record.msg)
    record.msg = redact_json_line(message) or redact(message)
    record.args = ()
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = clean_exception(*record.exc_info)
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    return record


def installed() -> bool:
    return _previous_factory is not None


def install() -> None:
    """Clean every log record from now on, warnings (Rasa's quote the message they are about)
    and tracebacks of uncaught exceptions (idempotent)."""
    global _previous_factory, _previous_showwarning
    with _lock:
        if _previous_factory is not None:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return clean_record(previous(*args, **kwargs))

        _previous_factory = previous
        logging.setLogRecordFactory(factory)
        _previous_showwarning = warnings.showwarning
        warnings.showwarning = _showwarning
        sys.excepthook = _excepthook
        threading.excepthook = _thread_excepthook


def uninstall() -> None:
    """Back to the factory and hooks that were there before (tests)."""
    global _previous_factory
    with _lock:
        if _previous_factory is None:
            return
        logging.setLogRecordFactory(_previous_factory)
        if _previous_showwarning is not None:
            warnings.showwarning = _previous_showwarning
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__
        _previous_factory = None


def _showwarning(message, category, filename, lineno, file=None, line=None) -> None:
    show = _previous_showwarning or warnings._showwarning_orig  # type: ignore[attr-defined]
    show(redact(str(message)), category, filename, lineno, file, line)


def _excepthook(exc_type, exc, tb) -> None:
    sys.stderr.write(clean_exception(exc_type, exc, tb) + "\n")


def _thread_excepthook(args) -> None:
    if args.exc_type is SystemExit:
        return
    sys.stderr.write(f"Exception in thread {getattr(args.thread, 'name', '?')}:\n"
                     + clean_exception(args.exc_type, args.exc_value, args.exc_traceback) + "\n")

"""Logs without personal data, in both processes.

Citizens' messages, names, phone numbers, verification digits and dossier
details must never reach a log, whoever writes the line: the project's code,
Rasa, rasa_sdk, Sanic or aiohttp. Rasa in particular logs an action server's
error response inside the exception it raises (`ClientResponseError` holds the
body, which rasa_sdk fills with the whole tracker, escaped as \\uXXXX), and
its debug lines quote messages, entities and slot values.

`install()` replaces the log record factory, so every record is cleaned when
it is made, before any handler (present or added later) sees it:

- the message is formatted, then passed through `redact`;
- an attached exception becomes its traceback frames and exception types,
  each exception's message passed through `redact` too (the record's
  `exc_info` is cleared and the cleaned text put in `exc_text`);
- Rasa's structured (JSON) lines keep their keys and plain values, and lose
  nested structures.

It also cleans tracebacks of uncaught exceptions (`sys.excepthook`,
`threading.excepthook`). Idempotent; nothing happens at import time. The
Rasa server installs it when it creates the project's channels, the action
server in its start-up hook (rasa_sdk_plugins).
"""
from __future__ import annotations

from safe_logging.hooks import install, installed
from safe_logging.redact import clean_exception, redact

__all__ = ["clean_exception", "install", "installed", "redact"]

"""One log line per event as `message key=value ...`, values quoted and escaped.

Feed text reaches logs (titles, errors); quoting and escaping control characters keeps
every event on exactly one line whatever a feed sends.
"""

from __future__ import annotations

import logging
import sys
from typing import Any


def _value(value: Any) -> str:
    text = str(value)
    if text and all(c.isalnum() or c in "-_./:@+<>" for c in text):
        return text
    escaped = text.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return f'"{escaped[:500]}"'


def kv(message: str, **fields: Any) -> str:
    parts = [message] + [f"{key}={_value(v)}" for key, v in fields.items() if v is not None]
    return " ".join(parts)


class OneLineFormatter(logging.Formatter):
    """Tracebacks folded into one escaped field so journald keeps one record per event."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage().replace("\r", "\\r").replace("\n", "\\n")
        line = f"level={record.levelname.lower()} logger={record.name} msg={message}"
        if record.exc_info:
            line += " exc=" + _value(self.formatException(record.exc_info))
        return line


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic narrates every migration plugin at INFO; only its problems matter here.
    logging.getLogger("alembic").setLevel(logging.WARNING)

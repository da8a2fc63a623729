"""Log filters: a secret that travels in a URL never reaches the logs.

A calendar feed's address is its only credential (gestures.views.calendar), and Django logs
the path of every refused or failed request ("Not Found: /calendar/<token>.ics"), as does
the development server for every request. The filter sits on those loggers, so it covers
every way a path gets there.
"""

from __future__ import annotations

import logging
import re

SECRET_PATH = re.compile(r"(/calendar/)[^/]+(\.ics)")
REDACTED = r"\1…\2"


def _redacted(value: object) -> object:
    return SECRET_PATH.sub(REDACTED, value) if isinstance(value, str) else value


class RedactSecretPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        return True

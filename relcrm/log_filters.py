"""Log filters: a secret that travels in a URL never reaches the logs.

A calendar feed's address is its only credential (gestures.views.calendar), and Django logs
the path of every refused or failed request ("Not Found: /calendar/<token>.ics"), as does
the development server for every request. The filter sits on those loggers, so it covers
every way a path gets there.
"""

from __future__ import annotations

import logging
import re

# Whatever follows /calendar/ but the page's own actions: a token, a wrong one, or one
# written with percent-escapes, and any query after it.
SECRET_PATH = re.compile(r"(/calendar/)(?!(?:create|revoke)/)[^/#\s\"]+")
REDACTED = r"\1….ics"


def redacted(value: object) -> object:
    """`value` with any calendar token in it replaced by an ellipsis."""
    return SECRET_PATH.sub(REDACTED, value) if isinstance(value, str) else value


class RedactSecretPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redacted(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redacted(arg) for arg in record.args)
        return True

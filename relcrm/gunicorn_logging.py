"""gunicorn's access log without calendar tokens.

The feed's address is its credential, and the access log would write it for every
subscribed calendar's poll. Every atom of the log line (request line, path, query,
referer, headers, environ) goes through the same redaction as Django's request loggers.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from .log_filters import redacted


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redacted(value) for key, value in atoms.items()}

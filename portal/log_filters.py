"""Logging filters, attached in ``settings.LOGGING``.

A refusal (403) is an ordinary answer: a Viewer who opens an Admin page, a form posted without
its CSRF token. Django logs ``PermissionDenied`` through ``django.request`` with the whole
traceback (58 of them in one session of normal clicking), which buries real errors. This
filter turns every 403 record of ``django.request`` and ``django.security.csrf`` into one line
at WARNING, without traceback: the method, the path, who (user id or anonymous) and the reason.
Server errors (5xx) and everything else pass unchanged, tracebacks included.
"""

from __future__ import annotations

import logging
from http import HTTPStatus


def _one_line(value: object) -> str:
    """Newlines and other control characters escaped, so a path or reason cannot forge lines."""
    return str(value).encode("unicode_escape").decode("ascii")


def _who(request) -> str:
    user = getattr(request, "user", None)
    try:
        if user is not None and user.is_authenticated:
            return f"user {user.pk}"
    except Exception:  # a log line must never fail the request it describes
        return "unknown"
    return "anonymous"


def _reason(record: logging.LogRecord) -> str:
    if record.exc_info and record.exc_info[1] is not None:
        return str(record.exc_info[1]) or "permission denied"
    if record.name == "django.security.csrf" and record.args:
        # Django's CSRF refusal: "Forbidden (%s): %s" % (reason, path).
        return str(record.args[0])
    return "forbidden"


class RefusalFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != HTTPStatus.FORBIDDEN:
            return True
        request = getattr(record, "request", None)
        record.msg = "Refused %s %s for %s: %s"
        record.args = (
            _one_line(getattr(request, "method", "") or "-"),
            _one_line(getattr(request, "path", "") or "-"),
            _who(request),
            _one_line(_reason(record)),
        )
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True

"""Structured logs that never hold an applicant's answers, a secret or an address.

- Application logs are JSON lines on stderr (one object per record).
- Each request is logged once, by its URL *rule* (``/press/<slug>``), method,
  status and duration: never the real path, the query string, form data or the
  client's address.
- Werkzeug's own access line (development server: address and full path with
  query string) is dropped, and so is Flask's "Exception on <path>" line, which
  we replace with one naming the rule.
- SQL logging stays off even when the root level is DEBUG. If someone turns it
  on anyway (``sqlalchemy.engine`` at DEBUG, ``SQLALCHEMY_ECHO="debug"``), the
  statements show no values (``hide_parameters``) and the fetched rows, which
  SQLAlchemy logs *after* decryption, are replaced by a placeholder at the
  source logger, so no handler (ours or anyone's) receives them.
- A redacting filter removes known secret shapes (addresses, e-mail addresses,
  Fernet tokens, ``password=…``, query strings) from every record as a last
  line of defence: it is not a licence to log personal data.
"""

import json
import logging
import re
import sys
import time
from datetime import UTC, datetime

from flask import Flask, g, request
from flask.logging import default_handler

request_log = logging.getLogger("intake.request")

REDACTIONS = (
    # Fernet tokens (encrypted answers) before anything else can split them.
    (re.compile(r"gAAAAA[A-Za-z0-9_\-=]{20,}"), "[token]"),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), "[ip]"),
    # IPv6: eight groups, or a compressed form with "::" (not "12:30:45").
    (
        re.compile(
            r"\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b"
            r"|(?:\b[0-9a-fA-F]{1,4})?(?::[0-9a-fA-F]{1,4}){0,6}::(?:[0-9a-fA-F]{1,4}\b)?"
            r"(?::[0-9a-fA-F]{1,4}\b)*"
        ),
        "[ip]",
    ),
    (
        re.compile(
            r"(?i)\b(password|passwd|secret|token|totp|code|otp|csrf_token|key)"
            r"(\s*[=:]\s*)[^\s&,;]+"
        ),
        r"\1\2[redacted]",
    ),
    # A query string anywhere in a message: keep the path, drop the rest.
    (re.compile(r"(/[^\s?\"']*)\?[^\s\"']*"), r"\1?[redacted]"),
)
# Werkzeug's access and error lines start with the client address.
WERKZEUG_REQUEST_LINE = re.compile(r"^\S+ - - \[")
STANDARD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def redact(text: str) -> str:
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites the record's message (and text extras) with ``redact``."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Our loggers and our handler both carry this filter: once is enough.
        if getattr(record, "_redacted", False):
            return True
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        for name, value in list(record.__dict__.items()):
            if name not in STANDARD_ATTRS and isinstance(value, str):
                setattr(record, name, redact(value))
        record._redacted = True
        return True


class HideSqlRows(logging.Filter):
    """SQLAlchemy's DEBUG "Row (...)" lines hold the values as loaded: for an
    ``Encrypted`` column, the decrypted answer."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("Row "):
            record.msg, record.args = "Row [values hidden]", None
        return True


class DropWerkzeugRequestLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not WERKZEUG_REQUEST_LINE.match(record.getMessage())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry |= {
            k: v
            for k, v in record.__dict__.items()
            if k not in STANDARD_ATTRS and not k.startswith("_")
        }
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now (test capture, gunicorn)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def configure(level: str = "INFO") -> None:
    """Process-wide logging: our handler on the root logger (once), redaction on
    it and on the loggers of libraries known to log addresses or paths."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, StderrHandler)), None)
    if handler is None:
        handler = StderrHandler()
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    logging.getLogger("intake").setLevel(level)
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, DropWerkzeugRequestLines) for f in werkzeug.filters):
        werkzeug.addFilter(DropWerkzeugRequestLines())
    for name in ("werkzeug", "flask-limiter", "intake", "intake.request"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
    # Statement and row logging would show stored values; keep it off even
    # when the root logger is at DEBUG.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    # Filters apply on the logger that makes the record: SQLAlchemy's engines
    # log rows on this one (or a child named after ``logging_name``, not used).
    sql = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, HideSqlRows) for f in sql.filters):
        sql.addFilter(HideSqlRows())


# Methods whose name needs no redaction (anything else is redacted as any text).
PLAIN_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"})


def request_line(method: str, rule: str, status: int, started: float | None) -> None:
    """The one line per request: method, URL rule (a route's pattern, never the
    path), status and milliseconds since ``started`` (``time.perf_counter()``).

    Made without the logging module's search of the call stack, and without the
    redaction patterns when every value is known to hold nothing to redact: a
    rule comes from our own routes, a method from the plain ones. Any other
    method goes through the redacting filters as usual."""
    if not request_log.isEnabledFor(logging.INFO):
        return
    extra = {
        "method": method,
        "rule": rule,
        "status": status,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
    }
    record = request_log.makeRecord(
        request_log.name, logging.INFO, __file__, 0, "request", None, None, extra=extra
    )
    if method in PLAIN_METHODS:
        record._redacted = True
    request_log.handle(record)


def init_app(app: Flask) -> None:
    configure(app.config.get("LOG_LEVEL", "INFO"))
    app.logger.removeHandler(default_handler)  # ours, on the root, is enough

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        request_line(request.method, rule, response.status_code, g.get("request_started"))
        return response

    def log_exception(exc_info) -> None:
        """Flask's own version names ``request.path``; ours names the rule."""
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        app.logger.error(
            "unhandled exception", exc_info=exc_info, extra={"method": request.method, "rule": rule}
        )

    app.log_exception = log_exception

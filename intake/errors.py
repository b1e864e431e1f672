"""Error pages in the site's style; a database outage is a 503, never a traceback.

A missing or unusable encryption key is a 503 too ("we cannot accept requests
right now"): the write that needed the key is rolled back, so no plaintext is
ever stored in its place."""

import contextlib

from flask import Flask, render_template
from sqlalchemy.exc import DBAPIError, OperationalError, StatementError
from werkzeug.exceptions import HTTPException, InternalServerError

from intake.crypto import KeyUnavailable
from intake.db import db

# Status codes with a page of their own; anything else uses the generic page.
PAGES = {400, 403, 404, 405, 413, 429, 500, 503}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        template = f"errors/{code}.html" if code in PAGES else "errors/generic.html"
        response = render_template(template, error=error), code
        if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            return response[0], code, {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        rollback_quietly()
        app.logger.error("database unavailable: %s", type(error.orig).__name__)
        return render_template("errors/503.html"), 503, {"Retry-After": "30"}

    @app.errorhandler(KeyUnavailable)
    def key_unavailable(error):
        rollback_quietly()
        app.logger.error("encryption key unavailable: request refused, nothing stored")
        return render_template("errors/key_unavailable.html"), 503, {"Retry-After": "300"}

    @app.errorhandler(StatementError)
    def statement_error(error: StatementError):
        # SQLAlchemy wraps an exception raised while binding a value (our
        # Encrypted type without a key) in StatementError.
        if isinstance(error.orig, KeyUnavailable):
            return key_unavailable(error.orig)
        raise error

    @app.errorhandler(InternalServerError)
    def server_error(error):
        rollback_quietly()
        return render_template("errors/500.html"), 500


def rollback_quietly() -> None:
    """Roll back whatever the failed request left open; the database may be gone."""
    with contextlib.suppress(DBAPIError):
        db.session.rollback()

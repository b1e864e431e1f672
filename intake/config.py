"""Checks and derived values once configuration is loaded."""

import secrets
from pathlib import Path

from flask import Flask


def finish(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    cfg = app.config
    if not cfg.get("SECRET_KEY"):
        if cfg["PRODUCTION"]:
            raise RuntimeError(
                "INTAKE_SECRET_KEY is not set. In production the secret key must come "
                "from the environment or instance/config.py; refusing to start."
            )
        cfg["SECRET_KEY"] = _development_secret(Path(app.instance_path) / "secret_key")
    if not cfg.get("SQLALCHEMY_DATABASE_URI"):
        cfg["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
            Path(app.instance_path) / "intake.sqlite3"
        )
    threshold = cfg["REPORT_SMALL_COUNT_THRESHOLD"]
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 2:
        # Below 2 nothing would be suppressed: a report could single a person out.
        raise RuntimeError(
            "INTAKE_REPORT_SMALL_COUNT_THRESHOLD must be a whole number of 2 or more."
        )
    if cfg["PRODUCTION"]:
        cfg["SESSION_COOKIE_SECURE"] = True
        if cfg.get("STAFF_NOTIFY_EMAIL") and not cfg.get("PUBLIC_BASE_URL"):
            # The staff email links to the queue: from the Host header, anyone
            # submitting a critical request could point that link at their own
            # site (a phishing page for staff logins); from `flask send-mail`
            # there is no request at all.
            raise RuntimeError(
                "INTAKE_STAFF_NOTIFY_EMAIL is set but INTAKE_PUBLIC_BASE_URL is not. "
                "The staff email's link to the queue must come from configuration, "
                "not from a visitor's Host header; refusing to start."
            )


def _development_secret(path: Path) -> str:
    """A random key kept in instance/ so sessions survive a restart in development."""
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()

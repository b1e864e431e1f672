"""Delivering the mail outbox: at once when possible, later when the server is down.

A queued ``OutgoingMail`` (see ``intake.mail.critical``) is delivered

- right after the response to the submission that queued it has gone out
  (``deliver_after``: at most one due message per submission, so the applicant
  never waits for the mail server), and
- by ``flask --app intake send-mail``, run every minute by a timer, which sends
  every due message.

Before sending, a sender *claims* the row with a conditional UPDATE (still
unsent, due, and no live claim) and checks that it changed one row: two
workers or hosts never send the same message, on SQLite and PostgreSQL alike. No
transaction stays open while the SMTP server is talked to. A failure records the
exception's type only and pushes the next attempt back exponentially
(MAIL_RETRY_SECONDS, doubling, at most MAIL_RETRY_MAX_SECONDS); after
MAIL_MAX_ATTEMPTS the message is given up with an error in the log. Admins see
what is waiting or given up on the queue page.

Delivery is at least once: if the server accepted a message and the database
then failed before ``sent_at`` was written, the message goes again later.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import click
from flask import Flask, Response, current_app
from sqlalchemy import delete, func, or_, select, update

from intake import timeutil
from intake.db import db
from intake.mail import registry
from intake.models import OutgoingMail

log = logging.getLogger(__name__)

# How long a claim holds: far beyond MAIL_TIMEOUT_SECONDS for each SMTP step, so a
# live sender never loses its message, and a crashed one's comes back in minutes.
CLAIM = timedelta(minutes=5)
# Sent and given-up records are deleted by ``purge`` after this long.
FINISHED_KEPT = timedelta(days=30)
BATCH = 100


class NoRecipient(registry.GiveUp):
    """The message's recipient is gone (or the kind is unknown): nothing to send."""


@dataclass(frozen=True)
class Backlog:
    waiting: int  # not sent yet, still being tried
    given_up: int  # in the last FINISHED_KEPT


def pending():
    return (OutgoingMail.sent_at.is_(None), OutgoingMail.failed_at.is_(None))


def claimable(now: datetime):
    return (
        *pending(),
        OutgoingMail.next_attempt_at <= now,
        or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now),
    )


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: MAIL_RETRY_SECONDS, doubling, capped."""
    cfg = current_app.config
    seconds = cfg["MAIL_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, cfg["MAIL_RETRY_MAX_SECONDS"]))


MAIL_SECURITY = ("starttls", "ssl", "none")


def smtp_send(message: EmailMessage) -> None:
    """Send over TLS unless MAIL_SECURITY is "none": the certificate is verified
    (smtplib's own default context would not), and a server that offers no
    STARTTLS fails the attempt rather than getting the mail in clear text."""
    cfg = current_app.config
    security = cfg["MAIL_SECURITY"]
    if security not in MAIL_SECURITY:
        raise ValueError("MAIL_SECURITY must be starttls, ssl or none")
    timeout = cfg["MAIL_TIMEOUT_SECONDS"]
    host, port = cfg["MAIL_SERVER"], cfg["MAIL_PORT"]
    context = ssl.create_default_context()
    if security == "ssl":
        connection = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
    with connection as smtp:
        if security == "starttls":
            smtp.starttls(context=context)
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def claim(mail_id: int) -> tuple[datetime, str, int] | None:
    """Take ``mail_id`` for one attempt; return (claim, kind, attempt number), or
    None when it is sent, not due, or another sender holds it. Commits."""
    now = timeutil.utcnow()
    until = now + CLAIM
    taken = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, *claimable(now))
        .values(claimed_until=until, attempts=OutgoingMail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        db.session.rollback()
        return None
    kind, attempts = db.session.execute(
        select(OutgoingMail.kind, OutgoingMail.attempts).where(OutgoingMail.id == mail_id)
    ).one()
    db.session.commit()  # the claim is visible to every other sender from here
    return until, kind, attempts


def deliver(mail_id: int, base: str) -> bool | None:
    """One attempt at ``mail_id``: True sent, False failed (retried later or given
    up), None not ours to send now. Never raises for a mail error."""
    claimed = claim(mail_id)
    if claimed is None:
        return None
    until, kind, attempts = claimed
    try:
        send = registry.sender_for(kind)
        if send is not None:  # not mail: the kind delivers it (a text message)
            send(base)
        else:
            message = registry.message_for(kind, base)
            if message is None:
                raise NoRecipient
            smtp_send(message)
    except Exception as exc:  # any failure, a bug included, leaves the row to retry
        _failed(mail_id, until, kind, attempts, exc)
        return False
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id)
        .values(sent_at=timeutil.utcnow(), claimed_until=None, last_error_type=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return True


def _failed(mail_id: int, until: datetime, kind: str, attempts: int, exc: Exception) -> None:
    now = timeutil.utcnow()
    limit = current_app.config["MAIL_MAX_ATTEMPTS"]
    error = type(exc).__name__  # never str(exc): it can quote addresses
    values = {"claimed_until": None, "last_error_type": error}
    give_up = attempts >= limit or isinstance(exc, registry.GiveUp)
    if give_up:
        values["failed_at"] = now
    else:
        delay = retry_delay(attempts)
        values["next_attempt_at"] = now + delay
    # Only while the claim is still ours: a sender that outlived it changes nothing.
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, OutgoingMail.claimed_until == until)
        .values(values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if give_up:
        _tell_given_up(kind)
        log.error("%s mail given up after %d attempts: %s", kind, attempts, error)
    else:
        log.warning(
            "%s mail not sent (attempt %d of %d, next in %d s): %s",
            kind,
            attempts,
            limit,
            delay.total_seconds(),
            error,
        )


def _tell_given_up(kind: str) -> None:
    try:
        registry.given_up(kind)
        db.session.commit()
    except Exception as exc:  # the row stays given up; only its own record lags
        db.session.rollback()
        log.error("%s: recording the give-up failed: %s", kind, type(exc).__name__)


def due_ids(limit: int, newest_first: bool = False) -> list[int]:
    now = timeutil.utcnow()
    order = OutgoingMail.next_attempt_at.desc() if newest_first else OutgoingMail.next_attempt_at
    query = select(OutgoingMail.id).where(*claimable(now)).order_by(order, OutgoingMail.id)
    ids = list(db.session.execute(query.limit(limit)).scalars())
    db.session.commit()  # no transaction left open while mail is sent
    return ids


def deliver_due(limit: int = BATCH, newest_first: bool = False, base: str | None = None):
    """Try each due message once; return (sent, failed)."""
    base = base or registry.base_url()
    outcomes = [deliver(mail_id, base) for mail_id in due_ids(limit, newest_first)]
    return outcomes.count(True), outcomes.count(False)


def deliver_after(response: Response, to_applicant: bool = False) -> Response:
    """Try one due message once ``response`` has been sent (WSGI ``close``): the
    newest first, which is the one this submission just queued if it did. The
    applicant's page is already out; MAIL_TIMEOUT_SECONDS bounds the worker's wait.
    Without ``to_applicant`` only staff mail can have been queued, so nothing is
    tried when STAFF_NOTIFY_EMAIL is unset; ``to_applicant``: something for the
    person was queued (a letter, a text or WhatsApp message), which needs no
    STAFF_NOTIFY_EMAIL."""
    if not to_applicant and not current_app.config.get("STAFF_NOTIFY_EMAIL"):
        return response
    app = current_app._get_current_object()
    base = registry.base_url()  # while the request is still here

    def run() -> None:
        with app.app_context():
            try:
                deliver_due(limit=1, newest_first=True, base=base)
            except Exception as exc:  # e.g. the database went away: the timer retries
                db.session.rollback()
                log.error("mail delivery after a submission failed: %s", type(exc).__name__)

    response.call_on_close(run)
    return response


def backlog() -> Backlog:
    """What admins are shown: messages still waiting, and given up lately."""
    since = timeutil.utcnow() - FINISHED_KEPT  # whether or not purge runs
    waiting = func.count().filter(*pending())
    given_up = func.count().filter(OutgoingMail.failed_at >= since)
    row = db.session.execute(select(waiting, given_up).select_from(OutgoingMail)).one()
    return Backlog(waiting=row[0], given_up=row[1])


def purge_finished() -> int:
    """Delete records of mail sent or given up more than FINISHED_KEPT ago (from
    ``purge``); the caller commits."""
    before = timeutil.utcnow() - FINISHED_KEPT
    result = db.session.execute(
        delete(OutgoingMail)
        .where(or_(OutgoingMail.sent_at < before, OutgoingMail.failed_at < before))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def init_app(app: Flask) -> None:
    @app.cli.command("send-mail")
    def send_mail_command():
        """Send the mail that is due (run every minute)."""
        sent, failed = deliver_due()
        if sent or failed:  # silent when idle: cron mails whatever a job prints
            left = backlog()
            click.echo(
                f"Sent {sent}, failed {failed}; {left.waiting} waiting, {left.given_up} given up."
            )

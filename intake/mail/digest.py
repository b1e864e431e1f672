"""The daily digest: how many open requests have a deadline or hearing in the
next DIGEST_DAYS days, per urgency band, how many became critical by themselves
since the last digest, and a link to the queue.

The critical-request mail (``intake.mail.critical``) goes only when a request arrives
critical; one that turns critical later, as its hearing or deadline comes near
(read-time escalation, ``intake.cases.live_urgency``), sends nothing then. The digest
counts those, so staff hear of them within a day.

No personal data and no reference: the mail crosses servers we do not control.
``flask --app intake send-digest`` (run once a day by a timer, see docs/operating.md)
queues one digest a day in the outbox; ``send-mail`` (or the command itself)
delivers it, retrying like every staff mail. The counts are worked out when the
mail is sent, from plain columns only (``deadline_dates``, ``hearing_date``):
nothing is decrypted.
"""

import json
from datetime import date, datetime, timedelta
from email.message import EmailMessage

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from intake import timeutil
from intake.cases import live_urgency
from intake.db import db
from intake.law.vocabulary import Urgency
from intake.mail import outbox, registry
from intake.models import HelpRequest, OutgoingMail
from intake.models.help_request import OPEN_STATUSES

DAILY_DIGEST = "daily_digest"


def counts(today: date, days: int) -> dict[Urgency, int]:
    """Open requests with a deadline or a hearing from today to ``days`` days
    ahead (both included), per band as of today."""
    live_urgency.bring_up_to_date(today)
    last = today + timedelta(days=days)
    query = select(
        HelpRequest.urgency_rank, HelpRequest.deadline_dates, HelpRequest.hearing_date
    ).where(HelpRequest.status.in_(OPEN_STATUSES))
    found = dict.fromkeys(Urgency, 0)
    by_rank = {u.rank: u for u in Urgency}
    for rank, deadline_dates, hearing in db.session.execute(query):
        days_due = [date.fromisoformat(d) for d in json.loads(deadline_dates or "[]")]
        if hearing is not None:
            days_due.append(hearing)
        if any(today <= d <= last for d in days_due):
            found[by_rank[rank]] += 1
    return found


def became_critical(today: date, days: int) -> int:
    """Open requests that rose to critical by themselves (not set by staff) after
    the day of the last digest queued before today, up to today (with no earlier
    digest: today and the ``days`` - 1 days before). ``urgency_rose_on`` is the day
    of the step that raised them; only plain columns are read."""
    live_urgency.bring_up_to_date(today)
    midnight = datetime.combine(today, datetime.min.time())
    last = db.session.execute(
        select(func.max(OutgoingMail.created_at)).where(
            OutgoingMail.kind == DAILY_DIGEST, OutgoingMail.created_at < midnight
        )
    ).scalar_one()
    since = last.date() if last else today - timedelta(days=days)
    return db.session.execute(
        select(func.count(HelpRequest.id)).where(
            HelpRequest.status.in_(OPEN_STATUSES),
            HelpRequest.urgency_rank == Urgency.CRITICAL.rank,
            HelpRequest.urgency_set_by_staff.is_(False),
            HelpRequest.urgency_rose_on > since,
            HelpRequest.urgency_rose_on <= today,
        )
    ).scalar_one()


def queue_digest(now: datetime) -> OutgoingMail | None:
    """Queue today's digest unless one was queued today already (a timer that
    runs twice sends one mail) or there is no one to send it to."""
    if not current_app.config.get("STAFF_NOTIFY_EMAIL"):
        return None
    midnight = datetime.combine(now.date(), datetime.min.time())
    already = db.session.execute(
        select(func.count(OutgoingMail.id)).where(
            OutgoingMail.kind == DAILY_DIGEST, OutgoingMail.created_at >= midnight
        )
    ).scalar_one()
    if already:
        return None
    mail = registry.queue(DAILY_DIGEST, now=now)
    db.session.commit()
    return mail


def message(sender: str, recipient: str, link: str, today: date, days: int) -> EmailMessage:
    found = counts(today, days)
    risen = became_critical(today, days)
    total = sum(found.values())
    lines = "\n".join(f"  {band.value}: {found[band]}" for band in Urgency)
    return registry.email(
        f"Daily digest: {total} open requests with a deadline within {days} days",
        sender,
        recipient,
        f"Open requests with a deadline or a hearing in the next {days} days "
        f"({today.isoformat()} to {(today + timedelta(days=days)).isoformat()}), "
        f"by urgency today:\n\n{lines}\n\n"
        f"Open requests that became critical since the last digest as a hearing or "
        f"deadline came near (no email was sent when they did): {risen}\n\n"
        f"Open the queue (staff login required):\n{link}\n\n"
        "This message deliberately contains no details of any request.\n",
    )


def todays_message(sender: str, recipient: str, link: str) -> EmailMessage:
    return message(sender, recipient, link, timeutil.today(), current_app.config["DIGEST_DAYS"])


registry.register(DAILY_DIGEST, registry.to_staff(todays_message))


def init_app(app: Flask) -> None:
    @app.cli.command("send-digest")
    def send_digest_command():
        """Queue and send today's digest of deadlines (run once a day)."""
        queued = queue_digest(timeutil.utcnow())
        sent, failed = outbox.deliver_due()
        click.echo(
            f"Digest {'queued' if queued else 'not queued (sent today already, or no recipient)'}; "
            f"sent {sent}, failed {failed}."
        )

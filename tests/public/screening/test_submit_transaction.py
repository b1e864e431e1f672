"""A submission is one transaction: the request, its conflict index entry, its
staff notification (when critical) and its confirmation page are committed
together, once, or not at all; and nothing in it is worked out twice."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from intake import timeutil
from intake.cases import conflicts, help_requests
from intake.cases import contact as phone_email
from intake.cases import stored_facts as facts
from intake.db import db
from intake.models import Confirmation, ConflictKey, HelpRequest, OutgoingMail
from intake.public.screening import confirmations
from tests.support.form import VALID, form_token


def _counts(app) -> dict[str, int]:
    with app.app_context():
        count = sa.select(sa.func.count())
        return {
            model.__name__: db.session.execute(count.select_from(model)).scalar()
            for model in (HelpRequest, ConflictKey, Confirmation, OutgoingMail)
        }


@pytest.fixture
def notifying(app_factory):
    return app_factory(STAFF_NOTIFY_EMAIL="staff@example.org")


def _post(client, **changes):
    data = {**VALID, "csrf_token": form_token(client.get("/help").get_data(as_text=True))}
    data.update(changes)
    return client.post("/help/submit", data=data)


def test_a_submission_commits_once_with_everything_it_stores(notifying):
    # A hearing in a few days: critical, so a staff notification is queued too.
    soon = timeutil.today() + timedelta(days=3)
    commits = []

    def counted(session):
        commits.append(session)

    event.listen(db.session, "after_commit", counted)
    try:
        response = _post(
            notifying.test_client(),
            hearing="yes",
            hearing_day=str(soon.day),
            hearing_month=str(soon.month),
            hearing_year=str(soon.year),
        )
    finally:
        event.remove(db.session, "after_commit", counted)
    assert response.status_code == 303
    assert len(commits) == 1
    assert _counts(notifying) == {
        "HelpRequest": 1,
        "ConflictKey": 1,
        "Confirmation": 1,
        "OutgoingMail": 1,
    }
    # The page it redirects to is the one stored with the request.
    page = notifying.test_client().get(response.headers["Location"])
    assert page.status_code == 200 and 'class="reference"' in page.get_data(as_text=True)


def test_a_failed_commit_stores_nothing_not_even_the_confirmation(app, client, monkeypatch):
    def fails():
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(help_requests, "_commit_keeping_values", fails)
    response = _post(client)
    assert response.status_code == 503
    assert set(_counts(app).values()) == {0}


def test_nothing_is_worked_out_twice(client, monkeypatch):
    calls = {"facts": 0, "screen": 0, "lookup hashes": 0, "conflict hash": 0}

    def counting(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(facts, "from_form", counting("facts", facts.from_form))
    monkeypatch.setattr(
        help_requests, "screen_request", counting("screen", help_requests.screen_request)
    )
    monkeypatch.setattr(
        phone_email, "lookup_hashes", counting("lookup hashes", phone_email.lookup_hashes)
    )
    monkeypatch.setattr(
        conflicts.ConflictHasher,
        "hash",
        counting("conflict hash", conflicts.ConflictHasher.hash),
    )
    assert _post(client).status_code == 303
    assert calls == {"facts": 1, "screen": 1, "lookup hashes": 1, "conflict hash": 1}


def test_expired_pages_are_swept_by_a_submission_at_most_every_sweep_interval(
    app, client, monkeypatch
):
    """A submission deletes anyone's expired confirmation pages, but not in every
    transaction: once per SWEEP_EVERY per process (purge sweeps the rest)."""
    clock = [1000.0]
    monkeypatch.setattr(confirmations.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(confirmations, "_swept_at", None)
    assert _post(client).status_code == 303  # sweeps (nothing yet), and starts the interval
    with app.app_context():
        db.session.execute(sa.update(Confirmation).values(expires_at=timeutil.utcnow()))
        db.session.commit()
    clock[0] += confirmations.SWEEP_EVERY / 2
    assert _post(client).status_code == 303
    assert _counts(app)["Confirmation"] == 2  # within the interval: the expired one stays
    clock[0] += confirmations.SWEEP_EVERY
    assert _post(client).status_code == 303
    assert _counts(app)["Confirmation"] == 2  # the expired one went; two unexpired are kept
    with app.app_context():
        left = db.session.execute(sa.select(Confirmation.expires_at)).scalars().all()
        assert all(expires > timeutil.utcnow() for expires in left)

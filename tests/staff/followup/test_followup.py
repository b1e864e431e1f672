"""Request tests for the case page's follow-up: contact attempts with the
safe-contact rule, callbacks and "my callbacks today", referrals with consent and
outcomes, adverse parties and the conflict check, the overdue queue filter, and
the referral directory. Each route: success, bad input, CSRF, wrong role."""

import html
import re
from datetime import date, datetime, timedelta

import pytest

from intake import timeutil
from intake.cases import conflicts
from intake.db import db
from intake.models import (
    AuditEvent,
    Callback,
    ContactAttempt,
    HelpRequest,
    Referral,
    ReferralOrganisation,
    StaffUser,
)
from intake.staff.followup import outreach, referrals
from intake.staff.followup.referrals import OrganisationFields
from tests.support.tokens import csrf_token


def text_of(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


@pytest.fixture
def signed_in(make_staff, login_as, client):
    def sign_in(role="reviewer"):
        user = make_staff(role=role)
        login_as(client, user)
        return user

    return sign_in


def post(client, path, data):
    token = csrf_token(client.get("/staff/account").text)
    return client.post(path, data={"csrf_token": token, **data})


def actions(app):
    with app.app_context():
        return (
            db.session.execute(db.select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
        )


def rows(app, model):
    with app.app_context():
        return db.session.execute(db.select(model)).scalars().all()


def make_org(app, actor_id, **fields):
    values = {"name": "Org", "states": ("NY",), "how_to_refer": "+1 212 555 0100", **fields}
    with app.app_context():
        org = referrals.create_organisation(
            OrganisationFields(**values), db.session.get(StaffUser, actor_id)
        )
        return org.id


# --- reaching the person ------------------------------------------------------------


def test_the_case_page_warns_beside_the_channels_when_messages_are_not_safe(
    client, signed_in, make_request
):
    signed_in()
    unsafe = make_request(safe_to_message="no", phone="+1 212 555 0199")
    safe = make_request(safe_to_message="yes")
    page = client.get(f"/staff/cases/{unsafe.reference}")
    assert page.status_code == 200
    assert 'id="unsafe-message"' in page.text and 'id="channels-warning"' in page.text
    assert 'name="override_reason"' in page.text
    page = client.get(f"/staff/cases/{safe.reference}")
    assert "unsafe-message" not in page.text and 'name="override_reason"' not in page.text


def test_a_message_left_against_the_answer_needs_a_reason(app, client, signed_in, make_request):
    signed_in()
    case = make_request(safe_to_message="not_sure")
    path = f"/staff/cases/{case.reference}/contacts"
    typed = {"channel": "phone", "outcome": "left_message", "note": "Voicemail box was full"}
    refused = post(client, path, typed)
    assert refused.status_code == 400
    assert "did not say it is safe" in text_of(refused)
    assert 'href="#contact-override_reason"' in refused.text
    assert "Voicemail box was full" in refused.text  # nothing typed is lost
    assert rows(app, ContactAttempt) == []
    done = post(client, path, {**typed, "override_reason": "She asked us to, by email."})
    assert done.status_code == 302
    (attempt,) = rows(app, ContactAttempt)
    assert attempt.override_reason == "She asked us to, by email."
    assert actions(app)[-2:] == ["case.contact", "case.contact_override"]
    page = client.get(f"/staff/cases/{case.reference}")
    assert "Written or left against the safe-contact answer" in text_of(page)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "reached"}, "Choose how you tried"),
        ({"channel": "phone"}, "Choose what happened"),
        ({"channel": "fax", "outcome": "reached"}, "Not a valid choice"),
        ({"channel": "phone", "outcome": "reached", "note": "x" * 1001}, "1000"),
    ],
)
def test_bad_contact_attempts_are_refused_with_the_message_beside_the_field(
    app, client, signed_in, make_request, data, message
):
    signed_in()
    case = make_request()
    response = post(client, f"/staff/cases/{case.reference}/contacts", data)
    assert response.status_code == 400 and message in text_of(response)
    assert rows(app, ContactAttempt) == []


def test_contact_without_csrf_is_refused(app, client, signed_in, make_request):
    signed_in()
    case = make_request()
    response = client.post(
        f"/staff/cases/{case.reference}/contacts", data={"channel": "phone", "outcome": "reached"}
    )
    assert response.status_code in (400, 403)
    assert rows(app, ContactAttempt) == []


def test_a_volunteer_logs_attempts_only_on_their_own_cases(app, client, signed_in, make_request):
    volunteer = signed_in("volunteer")
    theirs, other = make_request(assignee_id=volunteer.id), make_request()
    data = {"channel": "phone", "outcome": "no_answer"}
    assert post(client, f"/staff/cases/{other.reference}/contacts", data).status_code == 404
    assert post(client, f"/staff/cases/{theirs.reference}/contacts", data).status_code == 302


def test_an_editor_cannot_log_attempts(client, signed_in, make_request):
    signed_in("editor")
    case = make_request()
    data = {"channel": "phone", "outcome": "no_answer"}
    assert post(client, f"/staff/cases/{case.reference}/contacts", data).status_code == 403


# --- callbacks ---------------------------------------------------------------------------


def test_a_callback_booked_for_today_shows_in_my_callbacks(
    app, client, signed_in, make_request, monkeypatch
):
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 12, 2, 14, 0))  # 09:00 NY
    me = signed_in()
    case = make_request()
    data = {"kind": "callback", "day": "2026-12-02", "at": "15:30", "owner": str(me.id)}
    response = post(client, f"/staff/cases/{case.reference}/callbacks", data)
    assert response.status_code == 302, text_of(response)
    mine = client.get("/staff/callbacks")
    assert mine.status_code == 200
    assert case.reference[:4] in text_of(mine).replace("-", "") and "15:30" in text_of(mine)
    (callback,) = rows(app, Callback)
    assert callback.due_at == datetime(2026, 12, 2, 20, 30)  # stored in UTC
    closed = post(
        client, f"/staff/cases/{case.reference}/callbacks/{callback.id}", {"state": "done"}
    )
    assert closed.status_code == 302
    assert rows(app, Callback)[0].state == "done"
    assert "case.callback_done" in actions(app)


def test_my_callbacks_shows_the_week_day_by_day(app, client, signed_in, make_request, monkeypatch):
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 12, 2, 14, 0))  # Wed 09:00 NY
    me = signed_in()
    case = make_request()
    for day in ("2026-12-02", "2026-12-04", "2026-12-08", "2026-12-09"):
        data = {"kind": "callback", "day": day, "at": "10:15", "owner": str(me.id)}
        assert post(client, f"/staff/cases/{case.reference}/callbacks", data).status_code == 302
    text = text_of(client.get("/staff/callbacks"))
    assert "My callbacks this week" in text
    assert "Today, Wednesday 02 December" in text and "Friday 04 December" in text
    assert "Tuesday 08 December" in text  # the seventh day
    assert "Wednesday 09 December" not in text  # a week and a day away


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "2020-01-01", "at": "10:00"}, "has not passed"),
        ({"day": "2099-01-01", "at": "25:99"}, "hours and minutes"),
        ({"day": "not a date", "at": "10:00"}, "Not a valid date"),
        ({"day": "2099-01-01", "at": ""}, "Enter the time"),
    ],
)
def test_bad_callbacks_are_refused(app, client, signed_in, make_request, data, message):
    me = signed_in()
    case = make_request()
    response = post(
        client,
        f"/staff/cases/{case.reference}/callbacks",
        {"kind": "callback", "owner": str(me.id), **data},
    )
    assert response.status_code == 400 and message in text_of(response)
    assert rows(app, Callback) == []


def test_a_callback_of_another_case_is_not_found(app, client, signed_in, make_request):
    me = signed_in()
    case, other = make_request(), make_request()
    with app.app_context():
        row = db.session.get(HelpRequest, other.id)
        callback = outreach.book_callback(
            row,
            db.session.get(StaffUser, me.id),
            owner=db.session.get(StaffUser, me.id),
            due_at=timeutil.utcnow() + timedelta(days=1),
        )
        callback_id = callback.id
    response = post(
        client, f"/staff/cases/{case.reference}/callbacks/{callback_id}", {"state": "done"}
    )
    assert response.status_code == 404
    response = post(
        client, f"/staff/cases/{other.reference}/callbacks/{callback_id}", {"state": "lost"}
    )
    assert response.status_code == 400


# --- referrals -----------------------------------------------------------------------------


def test_a_referral_without_consent_is_refused_and_with_it_recorded(
    app, client, signed_in, make_request
):
    me = signed_in()
    case = make_request(share_consent=False)
    org_id = make_org(app, me.id)
    path = f"/staff/cases/{case.reference}/referrals"
    data = {"organisation": str(org_id), "method": "phone", "made_on": "2026-12-01"}
    refused = post(client, path, data)
    assert refused.status_code == 400 and "not agreed to share" in text_of(refused)
    assert 'href="#referral-consent_confirmed"' in refused.text
    assert rows(app, Referral) == []
    done = post(client, path, {**data, "consent_confirmed": "y", "follow_up_on": "2026-12-08"})
    assert done.status_code == 302
    (referral,) = rows(app, Referral)
    assert referral.consent == "told_staff" and referral.follow_up_on == date(2026, 12, 8)
    outcome = post(
        client,
        f"{path}/{referral.id}",
        {"outcome": "accepted", "outcome_on": "2026-12-03"},
    )
    assert outcome.status_code == 302 and rows(app, Referral)[0].outcome == "accepted"
    bad = post(client, f"{path}/{referral.id}", {"outcome": "accepted", "outcome_on": "2026-11-01"})
    assert bad.status_code == 400 and "before the referral" in text_of(bad)
    assert post(client, f"{path}/99999", {"outcome": "accepted"}).status_code == 404


def test_a_referral_of_another_case_is_not_found(app, client, signed_in, make_request):
    me = signed_in()
    case, other = make_request(share_consent=True), make_request(share_consent=True)
    org_id = make_org(app, me.id)
    made = post(
        client,
        f"/staff/cases/{other.reference}/referrals",
        {"organisation": str(org_id), "method": "phone", "made_on": "2026-12-01"},
    )
    assert made.status_code == 302
    (referral,) = rows(app, Referral)
    data = {"outcome": "accepted", "outcome_on": "2026-12-03"}
    path = f"/staff/cases/{{}}/referrals/{referral.id}"
    assert post(client, path.format(case.reference), data).status_code == 404
    assert rows(app, Referral)[0].outcome is None
    assert post(client, path.format(other.reference), data).status_code == 302


def test_the_case_page_suggests_organisations_by_fit(app, client, signed_in, make_request):
    me = signed_in()
    case = make_request(state="NY", preferred_language="es", share_consent=True)
    make_org(app, me.id, name="Far Org", states=("CA",))
    make_org(app, me.id, name="Near Org", states=("NY",), languages=("es",))
    page = text_of(client.get(f"/staff/cases/{case.reference}"))
    assert page.index("Near Org") < page.index("Far Org")
    assert "given on the form" in page


def test_referred_status_needs_a_referral(app, client, signed_in, make_request):
    me = signed_in()
    case = make_request(status="in_review", share_consent=True)
    path = f"/staff/cases/{case.reference}/status"
    data = {
        "status": "referred",
        "disposition": "referred",
        "reason": "Fits their programme.",
        "version": "1",
    }
    refused = post(client, path, data)
    assert refused.status_code == 400 and "referral" in text_of(refused).lower()
    org_id = make_org(app, me.id)
    post(
        client,
        f"/staff/cases/{case.reference}/referrals",
        {"organisation": str(org_id), "method": "email", "made_on": "2026-12-01"},
    )
    assert post(client, path, data).status_code == 302
    with app.app_context():
        assert db.session.get(HelpRequest, case.id).status == "referred"


# --- conflict check ----------------------------------------------------------------------------


def test_an_adverse_party_is_recorded_and_checked(app, client, signed_in, make_request):
    signed_in()
    victim = make_request(name="Amina Said")
    abuser = make_request(name="Omar Haddad", facts='{"date_of_birth": "1979-04-02"}')
    client.get(f"/staff/cases/{abuser.reference}")  # indexes the applicant
    response = post(
        client,
        f"/staff/cases/{victim.reference}/adverse-parties",
        {"relationship": "abuser", "name": "OMAR  HADDAD", "born": "1979-04-02"},
    )
    assert response.status_code == 302
    page = text_of(client.get(f"/staff/cases/{victim.reference}"))
    assert "Possible conflicts of interest" in page and "Abuser" in page
    page = text_of(client.get(f"/staff/cases/{abuser.reference}"))
    assert "Applicant matches the adverse party of request" in page
    assert "same name and date of birth" in page
    assert actions(app).count("case.conflict_check") == 3


def test_a_volunteer_learns_only_that_a_reviewer_should_check(app, client, signed_in, make_request):
    volunteer = signed_in("volunteer")
    other = make_request(name="Omar Haddad", status="declined")  # not theirs to open
    mine = make_request(name="Amina Said", assignee_id=volunteer.id)
    with app.app_context():
        conflicts.index_request(db.session.get(HelpRequest, other.id))
        db.session.commit()
    response = post(
        client,
        f"/staff/cases/{mine.reference}/adverse-parties",
        {"relationship": "abuser", "name": "Omar Haddad"},
    )
    assert response.status_code == 302
    response = client.get(f"/staff/cases/{mine.reference}")
    page = text_of(response)
    assert "A possible conflict of interest: ask a reviewer" in page
    for telling in (other.reference, other.reference[:4], "applicant of request"):
        assert telling not in response.text and telling not in page
    assert "case.conflict_check" in actions(app)
    with app.app_context():
        detail = db.session.execute(
            db.select(AuditEvent.detail).where(AuditEvent.action == "case.conflict_check")
        ).scalar_one()
    assert detail == "matches=1 shown=summary"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "A B"}, "Choose who this person is"),
        ({"relationship": "abuser"}, "Enter the person's name"),
        ({"relationship": "abuser", "name": "A B", "born": "02/04/1979"}, "Not a valid date"),
        ({"relationship": "abuser", "name": "A" * 101}, "100"),
    ],
)
def test_bad_adverse_parties_are_refused(app, client, signed_in, make_request, data, message):
    signed_in()
    case = make_request()
    response = post(client, f"/staff/cases/{case.reference}/adverse-parties", data)
    assert response.status_code == 400 and message in text_of(response)
    with app.app_context():
        assert conflicts.adverse_parties_of(db.session.get(HelpRequest, case.id)) == []


# --- the queue ------------------------------------------------------------------------------


def test_the_overdue_filter_and_mark(app, client, signed_in, make_request, monkeypatch):
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 12, 11, 15, 0))  # Fri 10:00 NY
    signed_in()
    overdue = make_request(created_at=datetime(2026, 12, 4, 15, 0))  # the Friday before
    fresh = make_request(created_at=datetime(2026, 12, 7, 15, 0))  # Monday
    reached = make_request(created_at=datetime(2026, 12, 1, 15, 0), contacted=True)
    listed = client.get("/staff/?overdue=1").text
    assert overdue.reference in listed
    assert fresh.reference not in listed and reached.reference not in listed
    everything = client.get("/staff/").text
    assert everything.count('class="overdue"') == 1
    # Within the band, the overdue request comes before the older contacted one.
    assert everything.index(overdue.reference) < everything.index(reached.reference)


# --- the directory ---------------------------------------------------------------------------


def test_admins_manage_the_directory(app, client, signed_in):
    signed_in("admin")
    assert client.get("/staff/referrals").status_code == 200
    assert client.get("/staff/referrals/new").status_code == 200
    data = {
        "name": "Legal Aid NY",
        "languages": ["es", "fr"],
        "states": ["NY", "NJ"],
        "reliefs": ["asylum"],
        "accepting": "y",
        "refer_by": "web",
        "how_to_refer": "https://legal-aid.example.org/refer",
        "active": "y",
    }
    bad = post(client, "/staff/referrals/new", {**data, "how_to_refer": "http://x"})
    assert bad.status_code == 400 and "https://" in text_of(bad)
    assert post(client, "/staff/referrals/new", data).status_code == 302
    (org,) = rows(app, ReferralOrganisation)
    assert (org.languages, org.states) == (" es fr ", " NJ NY ")
    edit = client.get(f"/staff/referrals/{org.id}")
    assert edit.status_code == 200
    (spanish,) = re.findall(r'<(?:option|input)[^>]*value="es"[^>]*>', edit.text)
    assert "selected" in spanish or "checked" in spanish
    assert post(client, f"/staff/referrals/{org.id}", {**data, "accepting": ""}).status_code == 302
    assert rows(app, ReferralOrganisation)[0].accepting is False
    assert client.get("/staff/referrals/9999").status_code == 404
    assert actions(app)[-2:] == ["referral_org.create", "referral_org.update"]


def test_only_admins_see_the_directory(client, signed_in):
    signed_in("reviewer")
    assert client.get("/staff/referrals").status_code == 403


def test_when_a_helper_asked_the_helper_is_the_contact(app, client, signed_in, make_request):
    signed_in()
    case = make_request(asker="detained_person", safe_to_message="yes")
    page = client.get(f"/staff/cases/{case.reference}")
    assert "The helper who asked for them" in text_of(page)
    (helper,) = [
        tag
        for tag in re.findall(r"<input[^>]*>", page.text)
        if 'name="contact"' in tag and 'value="helper"' in tag
    ]
    assert "checked" in helper  # chosen already
    done = post(
        client,
        f"/staff/cases/{case.reference}/contacts",
        {"channel": "helper", "outcome": "reached"},
    )
    assert done.status_code == 302
    assert rows(app, ContactAttempt)[0].contact == "helper"
    own = make_request(asker="self")
    assert "The helper who asked" not in text_of(client.get(f"/staff/cases/{own.reference}"))


def test_could_not_reach_only_after_the_configured_attempts(
    app, client, signed_in, make_request, monkeypatch
):
    clock = {"now": datetime(2026, 12, 1, 15, 0)}
    monkeypatch.setattr(timeutil, "utcnow", lambda: clock["now"])
    # One session across the eight days the attempts take.
    app.config.update(STAFF_IDLE_MINUTES=60 * 24 * 30, STAFF_ABSOLUTE_HOURS=24 * 30)
    me = signed_in()
    case = make_request(status="in_review", safe_to_message="yes")
    path = f"/staff/cases/{case.reference}/status"
    data = {
        "status": "could_not_reach",
        "disposition": "not_reached",
        "reason": "Three tries over a week.",
        "version": "1",
    }
    for day in (0, 4, 8):
        clock["now"] = datetime(2026, 12, 1 + day, 15, 0)
        refused = post(client, path, data)
        assert refused.status_code == 400 and "needs 3 attempts" in text_of(refused)
        with app.app_context():
            outreach.record_contact_attempt(
                db.session.get(HelpRequest, case.id),
                db.session.get(StaffUser, me.id),
                channel="phone",
                outcome="no_answer",
            )
    assert post(client, path, data).status_code == 302
    with app.app_context():
        assert db.session.get(HelpRequest, case.id).status == "could_not_reach"

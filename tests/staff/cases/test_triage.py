"""The triage queue and case pages: order, filters, search, pagination, the
case page, the status workflow, notes, assignment, stale edits and the audit."""

import html
import re
from datetime import timedelta

import pytest

from intake.cases.help_requests import format_reference
from intake.db import db
from intake.models import (
    CaseOutcome,
    ContactAttempt,
    Disposition,
    HelpRequest,
    Note,
    Outcome,
    StatusChange,
)
from intake.models.outcome import dispositions_for
from intake.timeutil import today, utcnow
from tests.support.staff import events, post_case
from tests.support.tokens import csrf_token

# Marker values for every personal field: none may ever reach the audit log.
PERSONAL = {
    "name": "Zuleika Marker-Name",
    "nationality": "Markerlandia",
    "phone": "+1 555 0100 777",
    "email": "marker.person@example.org",
    "monthly_income": "1234",
    "detention_facility": "Marker Detention Centre",
    "summary": "Marker summary of what happened",
}


@pytest.fixture
def staff(make_staff, login_as, client):
    """A member of staff of the given role, logged in through the real login."""

    def sign_in(role="reviewer", **kw):
        user = make_staff(role=role, **kw)
        login_as(client, user)
        return user

    return sign_in


def page(response) -> str:
    return response.get_data(as_text=True)


def text_of(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page(response))).split())


def queue_refs(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/staff/cases/([0-9A-Z-]+)[?"]', page(response))


def stored(app, reference) -> HelpRequest:
    with app.app_context():
        row = db.session.execute(db.select(HelpRequest).filter_by(reference=reference)).scalar_one()
        db.session.expunge(row)
        return row


# --- the queue ---------------------------------------------------------------------


def test_queue_order_urgency_then_waiting_then_id(client, staff, make_request):
    now = utcnow()
    same_time = now - timedelta(days=2)
    normal_old = make_request(urgency="normal", created_at=now - timedelta(days=9))
    critical_new = make_request(urgency="critical", created_at=now - timedelta(hours=1))
    high = make_request(urgency="high", created_at=now - timedelta(days=1))
    critical_old = make_request(urgency="critical", created_at=now - timedelta(days=3))
    tie_a = make_request(urgency="high", created_at=same_time)
    tie_b = make_request(urgency="high", created_at=same_time)
    closed = make_request(urgency="critical", status="accepted")
    staff("reviewer")
    refs = queue_refs(client.get("/staff/"))
    first_tie, second_tie = sorted([tie_a, tie_b], key=lambda r: r.id)
    assert refs == [
        critical_old.reference,
        critical_new.reference,
        first_tie.reference,
        second_tie.reference,
        high.reference,
        normal_old.reference,
    ]
    assert closed.reference not in refs


def test_queue_lists_no_names_or_contact_details(client, staff, make_request):
    make_request(**PERSONAL, urgency="critical")
    staff("reviewer")
    body = page(client.get("/staff/"))
    for value in PERSONAL.values():
        assert value not in body


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("status=accepted", {"accepted"}),
        ("status=all", {"open-asylum", "open-cat", "accepted", "overridden", "french", "mine"}),
        ("screen=needs_review", {"overridden"}),
        ("screen=eligible", {"open-asylum", "open-cat", "french", "mine"}),
        ("claim=cat", {"open-cat"}),
        ("claim=asylum", {"open-asylum", "overridden", "french", "mine"}),
        ("language=French", {"french"}),
        ("mine=1", {"mine"}),
        ("assignee=none", {"open-asylum", "open-cat", "overridden", "french"}),
        ("", {"open-asylum", "open-cat", "overridden", "french", "mine"}),
    ],
)
def test_queue_filters(client, staff, make_request, args, expected):
    me = staff("reviewer")
    made = {
        "open-asylum": make_request(),
        "open-cat": make_request(claim_types=" cat withholding "),
        "accepted": make_request(status="accepted"),
        "overridden": make_request(screen="eligible", screen_override="needs_review"),
        "french": make_request(preferred_language="French", status="in_review"),
        "mine": make_request(assignee_id=me.id),
    }
    refs = set(queue_refs(client.get(f"/staff/?{args}")))
    assert refs == {made[name].reference for name in expected}


def test_assignee_filter_by_id(client, staff, make_staff, make_request):
    staff("admin")
    other = make_staff(role="volunteer")
    theirs = make_request(assignee_id=other.id)
    make_request()
    assert queue_refs(client.get(f"/staff/?assignee={other.id}")) == [theirs.reference]


def test_unknown_filter_values_are_ignored_with_a_message(client, staff, make_request):
    staff("reviewer")
    made = make_request()
    response = client.get("/staff/?status=bogus&screen=%3Cscript%3E&claim=x&assignee=1;drop")
    assert response.status_code == 200
    assert queue_refs(response) == [made.reference]
    assert "Unknown status: ignored." in page(response)
    assert "<script>" not in page(response)


@pytest.mark.parametrize(
    "typed",
    ["{ref}", "{lower}", "{dashed}", " {spaced} ", "{confusable}"],
)
def test_search_by_reference(client, staff, make_request, typed):
    wanted = make_request(reference="0A1B2C3D")
    make_request(reference="0A1B2C3E")
    staff("reviewer")
    typed = typed.format(
        ref="0A1B2C3D",
        lower="0a1b2c3d",
        dashed="0A1B-2C3D",
        spaced="0A1B 2C3D",
        confusable="oA1b2C3d".replace("1", "l"),
    )
    refs = queue_refs(client.get("/staff/", query_string={"reference": typed}))
    assert refs == [wanted.reference]


@pytest.mark.parametrize("typed", ["' OR 1=1--", "%", "_", "%_", "0A1B%", "0A1B____", "*"])
def test_search_is_literal(client, staff, make_request, typed):
    make_request(reference="0A1B2C3D")
    staff("reviewer")
    response = client.get("/staff/", query_string={"reference": typed})
    assert response.status_code == 200
    assert queue_refs(response) == []


def test_pagination_with_a_cursor_visits_every_case_once(client, staff, make_request, monkeypatch):
    from intake.staff.cases import casework

    monkeypatch.setattr(casework, "PER_PAGE", 7)
    base = utcnow() - timedelta(days=5)
    made = [
        make_request(
            urgency=("critical", "high", "normal")[i % 3],
            created_at=base + timedelta(minutes=i // 4),
        )  # ties on created_at
        for i in range(23)
    ]
    staff("reviewer")
    seen, url, pages = [], "/staff/", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        refs = queue_refs(response)
        assert len(refs) <= 7
        seen += refs
        pages += 1
        found = re.search(r'<a href="([^"]+)" rel="next">', page(response))
        url = html.unescape(found.group(1)) if found else None
        if url:
            assert re.fullmatch(r"/staff/\?after=\d\.\d{8}\.[01]\.\d{8}T\d{12}\.\d+", url)
    assert pages == 4
    assert len(seen) == len(set(seen)) == 23
    expected = sorted(made, key=lambda r: (r.urgency_rank, r.created_at, r.id))
    assert seen == [r.reference for r in expected]


def test_pagination_keeps_filters_and_rejects_a_forged_cursor(
    client, staff, make_request, monkeypatch
):
    from intake.staff.cases import casework

    monkeypatch.setattr(casework, "PER_PAGE", 2)
    for _ in range(3):
        make_request(preferred_language="French")
    make_request(preferred_language="Dari")
    staff("reviewer")
    first = client.get("/staff/?language=French")
    next_url = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', page(first)).group(1))
    assert "language=French" in next_url
    assert len(queue_refs(client.get(next_url))) == 1
    for forged in ("x", "1.2026' OR 1=1.3", "9.99999999T999999999999.1", "0.20260101T000000000000"):
        assert client.get("/staff/", query_string={"after": forged}).status_code == 400


def test_counts_per_status(client, staff, make_request):
    for status, n in (("new", 3), ("in_review", 2), ("accepted", 1), ("declined", 1)):
        for _ in range(n):
            make_request(status=status)
    staff("reviewer")
    text = text_of(client.get("/staff/"))
    assert "Open 5" in text
    assert "New 3" in text and "In review 2" in text and "Accepted 1" in text
    assert "Referred 0" in text and "Declined 1" in text and "All 7" in text


def test_volunteer_sees_only_assigned_cases(client, staff, make_request):
    me = staff("volunteer")
    mine = make_request(assignee_id=me.id)
    other = make_request()
    response = client.get("/staff/?status=all")
    assert queue_refs(response) == [mine.reference]
    assert "Open 1" in text_of(response)
    assert client.get(f"/staff/cases/{other.reference}").status_code == 404
    assert client.get(f"/staff/cases/{mine.reference}").status_code == 200
    assert "Download these cases as CSV" not in page(response)


def test_editor_cannot_see_the_queue(client, staff, make_request):
    made = make_request()
    staff("editor")
    assert client.get("/staff/").status_code == 403
    assert client.get(f"/staff/cases/{made.reference}").status_code == 403


# --- the case page ---------------------------------------------------------------


def test_case_page_shows_answers_reasons_deadlines_and_duplicates(client, staff, make_request):
    case = make_request(
        **PERSONAL,
        urgency="critical",
        screen="needs_review",
        reasons='["Hearing in 5 days.", "Income is 140% of the guideline."]',
        flags='["Under 18: exempt"]',
        income_percent=140,
        guideline_year=2026,
        hearing="yes",
        hearing_date=today() + timedelta(days=5),
        filing_deadline=today() + timedelta(days=20),
        claim_types=" asylum cat ",
        detained=True,
    )
    same_phone = make_request(phone="1 (555) 0100-777")
    same_email = make_request(email=" Marker.Person@example.org ")
    unrelated = make_request(phone="+1 555 0199 000", email="someone@example.org")
    staff("reviewer")
    response = client.get(f"/staff/cases/{case.reference}")
    assert response.status_code == 200
    text = text_of(response)
    for value in PERSONAL.values():
        assert value in text
    assert "Hearing in 5 days." in text and "Income is 140% of the guideline." in text
    assert "Under 18: exempt" in text
    assert "140% of the 2026 HHS poverty guideline" in text
    assert "(5 d left)" in text and "(20 d left)" in text
    assert "asylum, protection under the Convention Against Torture" in text
    assert "Needs review" in text and "Critical" in text
    assert f"{format_reference(same_phone.reference)} — New" in text and "(same phone)" in text
    assert f"{format_reference(same_email.reference)} — New" in text and "(same email)" in text
    assert unrelated.reference not in text
    assert response.headers["Cache-Control"] == "no-store"


def test_passed_deadline_is_shown_not_hidden(client, staff, make_request):
    case = make_request(hearing="yes", hearing_date=today() - timedelta(days=3))
    staff("reviewer")
    assert "passed 3 d ago" in text_of(client.get(f"/staff/cases/{case.reference}"))


def test_unknown_case_is_404(client, staff):
    staff("reviewer")
    assert client.get("/staff/cases/NOPE").status_code == 404


def test_every_case_view_is_audited(client, app, staff, make_request):
    case = make_request(**PERSONAL)
    user = staff("reviewer")
    client.get(f"/staff/cases/{case.reference}")
    client.get(f"/staff/cases/{case.reference}")
    views = events(app, "case.view")
    assert [(e.actor_id, e.target_type, e.target) for e in views] == [
        (user.id, "request", case.reference)
    ] * 2


# --- status workflow ----------------------------------------------------------------


def test_status_to_in_review_needs_no_reason(client, app, staff, make_request):
    case = make_request()
    staff("reviewer")
    response = post_case(client, case.reference, "status", status="in_review", reason="")
    assert response.status_code == 302
    assert stored(app, case.reference).status == "in_review"
    assert [e.detail for e in events(app, "case.status")] == ["new->in_review"]


@pytest.mark.parametrize("closing", ["accepted", "referred", "declined", "withdrawn"])
def test_closing_needs_a_reason(client, app, staff, make_request, closing):
    case = make_request(status="in_review")
    user = staff("reviewer")
    if closing == "referred":  # "Referred" needs a referral record (tests/staff/test_followup.py)
        refer_with_consent(app, case, user)
    disposition = dispositions_for(closing)[0].value
    refused = post_case(
        client, case.reference, "status", status=closing, disposition=disposition, reason="   "
    )
    assert refused.status_code == 400
    assert "Give a reason" in page(refused)
    assert 'href="#status-reason"' in page(refused)  # the error summary links to the field
    assert stored(app, case.reference).status == "in_review"
    done = post_case(
        client,
        case.reference,
        "status",
        status=closing,
        disposition=disposition,
        reason="Met criteria.",
    )
    assert done.status_code == 302
    closed = stored(app, case.reference)
    assert (closed.status, closed.disposition) == (closing, disposition)
    assert closed.closed_at is not None
    with app.app_context():
        change = db.session.execute(db.select(StatusChange)).scalar_one()
        assert (change.from_value, change.to_value, change.reason) == (
            "in_review",
            closing,
            "Met criteria.",
        )
    assert [e.detail for e in events(app, "case.status")] == [
        f"in_review->{closing} disposition={disposition}"
    ]
    shown = text_of(client.get(f"/staff/cases/{case.reference}"))
    assert "Met criteria." in shown
    assert f"How it ended {dispositions_for(closing)[0].label}" in shown


@pytest.mark.parametrize(
    ("closing", "disposition"),
    [
        ("accepted", ""),
        ("declined", "accepted"),
        ("referred", "declined_capacity"),
        ("declined", "x"),
    ],
)
def test_closing_needs_a_disposition_of_that_status(
    client, app, staff, make_request, closing, disposition
):
    case = make_request(status="in_review")
    staff("reviewer")
    refused = post_case(
        client, case.reference, "status", status=closing, disposition=disposition, reason="Why."
    )
    assert refused.status_code == 400
    # An unknown code is refused by the form, the others by the casework rule.
    assert "Choose how the request ended" in page(refused) or disposition == "x"
    assert 'href="#status-disposition"' in page(refused)  # the summary links to the field
    assert stored(app, case.reference).status == "in_review"


@pytest.mark.parametrize("disposition", list(Disposition))
def test_every_disposition_closes_a_case_and_reopening_clears_it(
    client, app, staff, make_request, disposition
):
    case = make_request(status="in_review", share_consent=True)
    user = staff("reviewer")
    closing = disposition.status
    if closing == "referred":  # "Referred" needs a referral record
        refer_with_consent(app, case, user)
    if closing == "could_not_reach":  # only after the configured failed attempts
        fail_to_reach(app, case, user)
    done = post_case(
        client, case.reference, "status", status=closing, disposition=disposition, reason="Why."
    )
    assert done.status_code == 302
    assert stored(app, case.reference).disposition == disposition
    reopened = post_case(client, case.reference, "status", status="in_review", reason="Again.")
    assert reopened.status_code == 302
    row = stored(app, case.reference)
    assert (row.status, row.disposition, row.closed_at) == ("in_review", None, None)


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_is_recorded_for_an_accepted_case(client, app, staff, make_request, outcome):
    case = make_request(status="accepted", disposition="accepted", closed_at=utcnow())
    staff("reviewer")
    day = utcnow().date().isoformat()
    done = post_case(client, case.reference, "outcomes", kind=outcome.value, happened_on=day)
    assert done.status_code == 302
    shown = text_of(client.get(f"/staff/cases/{case.reference}"))
    assert re.search(rf"Outcomes {day} ?: {outcome.label}", shown)
    assert [e.detail for e in events(app, "case.outcome")] == [outcome.value]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "won", "happened_on": "2026-01-01"}, "Not a valid choice"),
        ({"kind": "filed", "happened_on": ""}, "Give the date it happened"),
        ({"kind": "filed", "happened_on": "2999-01-01"}, "cannot be in the future"),
        ({"kind": "filed", "happened_on": "2000-01-01"}, "before the request came in"),
    ],
)
def test_outcome_mistakes_are_refused(client, app, staff, make_request, fields, message):
    case = make_request(status="accepted", disposition="accepted", closed_at=utcnow())
    staff("reviewer")
    refused = post_case(client, case.reference, "outcomes", **fields)
    assert refused.status_code == 400 and message in page(refused)
    with app.app_context():
        assert db.session.execute(db.select(CaseOutcome)).first() is None


def test_outcomes_only_for_accepted_cases(client, app, staff, make_request):
    case = make_request(status="declined", disposition="declined_capacity", closed_at=utcnow())
    staff("reviewer")
    refused = post_case(
        client, case.reference, "outcomes", kind="filed", happened_on=utcnow().date().isoformat()
    )
    assert refused.status_code == 400 and "accepted for representation" in page(refused)


def fail_to_reach(app, case, user) -> None:
    """The configured number of failed attempts, the first one the configured
    number of days (and one more) before the last."""
    attempts, days = app.config["COULD_NOT_REACH_ATTEMPTS"], app.config["COULD_NOT_REACH_DAYS"]
    first = utcnow() - timedelta(days=days + 1)
    with app.app_context():
        for n in range(attempts):
            db.session.add(
                ContactAttempt(
                    request_id=case.id,
                    actor_id=user.id,
                    at=first if n == 0 else utcnow(),
                    channel="phone",
                    outcome="no_answer",
                )
            )
        db.session.commit()


def refer_with_consent(app, case, user) -> None:
    from datetime import date

    from intake.models import StaffUser
    from intake.staff.followup import referrals

    with app.app_context():
        actor = db.session.get(StaffUser, user.id)
        org = referrals.create_organisation(
            referrals.OrganisationFields(name="Org", how_to_refer="+1 212 555 0100"), actor
        )
        referrals.refer(
            db.session.get(HelpRequest, case.id),
            actor,
            organisation=org,
            method="phone",
            made_on=date(2026, 12, 1),
            staff_confirms_consent=True,
        )


def test_moving_back_needs_a_reason(client, app, staff, make_request):
    case = make_request(status="declined")
    staff("reviewer")
    assert post_case(client, case.reference, "status", status="in_review").status_code == 400
    assert (
        post_case(
            client, case.reference, "status", status="in_review", reason="New evidence."
        ).status_code
        == 302
    )
    assert stored(app, case.reference).status == "in_review"


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("new", "new"),
        ("accepted", "declined"),
        ("new", "bogus"),
        ("withdrawn", "referred"),
    ],
)
def test_invalid_transitions_are_refused(client, app, staff, make_request, start, target):
    case = make_request(status=start)
    staff("reviewer")
    response = post_case(client, case.reference, "status", status=target, reason="Because.")
    assert response.status_code == 400
    assert stored(app, case.reference).status == start
    assert events(app, "case.status") == []


def test_change_without_csrf_token_is_refused(client, app, staff, make_request):
    case = make_request()
    staff("reviewer")
    response = client.post(
        f"/staff/cases/{case.reference}/status", data={"status": "in_review", "version": "1"}
    )
    assert response.status_code == 403
    assert stored(app, case.reference).status == "new"


# --- screen override -------------------------------------------------------------------


def test_override_screen_with_reason(client, app, staff, make_request):
    case = make_request(screen="screened_out_can_pay")
    staff("reviewer")
    refused = post_case(client, case.reference, "screen", screen="eligible", reason="")
    assert refused.status_code == 400
    assert stored(app, case.reference).screen_override is None
    done = post_case(
        client, case.reference, "screen", screen="eligible", reason="Income is irregular."
    )
    assert done.status_code == 302
    row = stored(app, case.reference)
    assert (row.screen, row.screen_override) == ("screened_out_can_pay", "eligible")
    assert [e.detail for e in events(app, "case.screen")] == ["screened_out_can_pay->eligible"]
    assert set(queue_refs(client.get("/staff/?screen=eligible"))) == {case.reference}
    bogus = post_case(client, case.reference, "screen", screen="vip", reason="x")
    assert bogus.status_code == 400


def test_volunteer_cannot_override_or_assign(client, app, staff, make_request):
    me = staff("volunteer")
    case = make_request(assignee_id=me.id)
    assert (
        post_case(client, case.reference, "screen", screen="eligible", reason="x").status_code
        == 403
    )
    assert post_case(client, case.reference, "assign", assignee="").status_code == 403
    assert post_case(client, case.reference, "status", status="in_review").status_code == 302


# --- notes -------------------------------------------------------------------------------


XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<a href='javascript:alert(1)'>x</a>",
    "{{7*7}}",
]


def test_note_is_stored_encrypted_linkified_and_audited_without_text(
    client, app, staff, make_request, database_uri
):
    from tests.support.apps import raw_engine

    case = make_request()
    staff("reviewer")
    text = "Call back, see https://example.org/info?a=1&b=2 or write to help@example.org"
    assert post_case(client, case.reference, "notes", text=text).status_code == 302
    body = page(client.get(f"/staff/cases/{case.reference}"))
    assert (
        '<a href="https://example.org/info?a=1&amp;b=2" rel="noopener noreferrer nofollow">' in body
    )
    assert '<a href="mailto:help@example.org" rel="noopener noreferrer nofollow">' in body
    engine = raw_engine(database_uri)
    with engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT text FROM case_note").scalar_one()
    engine.dispose()
    assert "example.org" not in raw
    (event,) = events(app, "case.note")
    assert event.detail.startswith("note=") and "example" not in event.detail


@pytest.mark.parametrize("payload", XSS)
def test_note_xss_is_escaped(client, staff, make_request, payload):
    case = make_request()
    staff("reviewer")
    post_case(client, case.reference, "notes", text=payload)
    body = page(client.get(f"/staff/cases/{case.reference}"))
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert 'href="javascript' not in body.lower()
    assert "49" not in re.findall(r'<div class="note-text prewrap">(.*?)</div>', body, re.S)[0]


def test_empty_or_oversized_note_is_refused(client, app, staff, make_request):
    case = make_request()
    staff("reviewer")
    assert post_case(client, case.reference, "notes", text="  ").status_code == 400
    assert post_case(client, case.reference, "notes", text="x" * 5001).status_code == 400
    with app.app_context():
        assert db.session.execute(db.select(Note)).first() is None


def test_xss_in_every_request_field_is_escaped(client, staff, make_request):
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    case = make_request(
        name=payload,
        nationality=payload,
        phone=payload,
        email=payload,
        monthly_income=payload,
        detention_facility=payload,
        summary=payload,
        preferred_language=payload[:40],
        source=payload,
        reasons=f'["{payload[:20]}"]',
        flags='["<b>x</b>"]',
        urgency="critical",
    )
    staff("reviewer")
    for url in ("/staff/", f"/staff/?language={payload[:40]}", f"/staff/cases/{case.reference}"):
        body = page(client.get(url))
        assert "<script>alert(1)" not in body
        assert "<img src=x" not in body
        assert "<b>x</b>" not in body


# --- assignment and take-next -------------------------------------------------------------


def test_assign_to_me_and_to_someone_else(client, app, staff, make_staff, make_request):
    me = staff("reviewer")
    volunteer = make_staff(role="volunteer")
    editor = make_staff(role="editor")
    case = make_request()
    assert post_case(client, case.reference, "assign", assignee=str(me.id)).status_code == 302
    assert stored(app, case.reference).assignee_id == me.id
    assert (
        post_case(client, case.reference, "assign", assignee=str(volunteer.id)).status_code == 302
    )
    assert stored(app, case.reference).assignee_id == volunteer.id
    # An editor does not handle cases: not a choice.
    assert post_case(client, case.reference, "assign", assignee=str(editor.id)).status_code == 400
    assert post_case(client, case.reference, "assign", assignee="").status_code == 302
    assert stored(app, case.reference).assignee_id is None
    assert [e.detail for e in events(app, "case.assign")] == [
        f"assignee=none->{me.id}",
        f"assignee={me.id}->{volunteer.id}",
        f"assignee={volunteer.id}->none",
    ]


def take_next(client):
    token = csrf_token(page(client.get("/staff/")))
    return client.post("/staff/take-next", data={"csrf_token": token})


def test_take_next_gives_the_first_unassigned_open_case_once(
    client, app, staff, make_staff, make_request
):
    someone = make_staff(role="reviewer")
    now = utcnow()
    make_request(urgency="critical", assignee_id=someone.id, created_at=now - timedelta(days=9))
    make_request(urgency="critical", status="accepted", created_at=now - timedelta(days=8))
    first = make_request(urgency="critical", created_at=now - timedelta(days=1))
    second = make_request(urgency="high", created_at=now - timedelta(days=7))
    me = staff("volunteer")
    one = take_next(client)
    assert one.headers["Location"] == f"/staff/cases/{first.reference}"
    two = take_next(client)
    assert two.headers["Location"] == f"/staff/cases/{second.reference}"
    assert stored(app, first.reference).assignee_id == me.id
    assert stored(app, second.reference).assignee_id == me.id
    none_left = take_next(client)
    assert none_left.headers["Location"] == "/staff/"
    assert "There is no unassigned open case." in page(client.get("/staff/"))
    assert [e.target for e in events(app, "case.take")] == [first.reference, second.reference]


def test_take_next_never_gives_one_case_to_two_people(app, make_staff, make_request):
    """Two takers racing (threads with their own sessions) get different cases."""
    import threading

    from intake.models import StaffUser
    from intake.staff.cases import casework

    people = [make_staff(role="reviewer") for _ in range(4)]
    cases = [make_request() for _ in range(6)]
    results, errors = {}, []
    barrier = threading.Barrier(len(people))

    def take(person_id):
        try:
            with app.app_context():
                user = db.session.get(StaffUser, person_id)
                barrier.wait()
                taken = casework.take_next(user)
                results[person_id] = taken.reference if taken else None
                db.session.remove()
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=take, args=(p.id,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    taken = [ref for ref in results.values() if ref]
    assert len(taken) == len(set(taken)) == 4
    with app.app_context():
        owners = dict(
            db.session.execute(db.select(HelpRequest.reference, HelpRequest.assignee_id)).all()
        )
    assert {owners[ref] for ref in taken} == {p.id for p in people}
    assert {c.reference for c in cases} >= set(taken)


# --- stale edits ------------------------------------------------------------------------------


def test_stale_edit_is_refused_and_nothing_is_overwritten(client, app, staff, make_request):
    case = make_request(status="in_review")
    staff("reviewer")
    body = page(client.get(f"/staff/cases/{case.reference}"))
    token = csrf_token(body)
    seen = re.search(r'name="version"[^>]*value="(\d+)"', body).group(1)
    # Someone else declines the case meanwhile.
    with app.app_context():
        row = db.session.execute(
            db.select(HelpRequest).filter_by(reference=case.reference)
        ).scalar_one()
        row.status = "declined"
        db.session.commit()
    response = client.post(
        f"/staff/cases/{case.reference}/status",
        data={"csrf_token": token, "version": seen, "status": "accepted", "reason": "Mine."},
    )
    assert response.status_code == 409
    assert "Someone else changed this case; reload" in page(response)
    assert stored(app, case.reference).status == "declined"
    for action, data in (
        ("screen", {"screen": "eligible", "reason": "r"}),
        ("assign", {"assignee": ""}),
    ):
        stale = client.post(
            f"/staff/cases/{case.reference}/{action}",
            data={"csrf_token": token, "version": seen, **data},
        )
        assert stale.status_code == 409
    row = stored(app, case.reference)
    assert (row.status, row.screen_override) == ("declined", None)
    assert events(app, "case.status") == [] and events(app, "case.screen") == []


def test_concurrent_flush_is_caught_as_stale(app, make_staff, make_request):
    """The version column catches a change committed between load and flush."""
    from intake.staff.cases import casework

    case = make_request(status="in_review")
    user = make_staff(role="reviewer")
    with app.app_context():
        mine = db.session.execute(
            db.select(HelpRequest).filter_by(reference=case.reference)
        ).scalar_one()
        seen = mine.version
        with db.engine.begin() as conn:  # another process
            conn.execute(
                db.update(HelpRequest)
                .where(HelpRequest.id == case.id)
                .values(status="withdrawn", version=HelpRequest.version + 1)
            )
        with pytest.raises(casework.StaleCase):
            casework.change_status(mine, "accepted", "ok", user, seen, "accepted")
    assert stored(app, case.reference).status == "withdrawn"


# --- the audit ---------------------------------------------------------------------------------


def test_audit_never_holds_personal_data(client, app, staff, make_staff, make_request):
    case = make_request(**PERSONAL, status="new", phone_hash="h1")
    make_request(phone_hash="h1")
    me = staff("admin")
    other = make_staff(role="reviewer")
    post_case(client, case.reference, "notes", text=f"Spoke to {PERSONAL['name']}")
    post_case(client, case.reference, "status", status="in_review")
    post_case(
        client,
        case.reference,
        "status",
        status="accepted",
        reason=f"{PERSONAL['nationality']} national",
    )
    post_case(client, case.reference, "screen", screen="eligible", reason=f"{PERSONAL['summary']}")
    post_case(client, case.reference, "assign", assignee=str(other.id))
    take_next(client)
    assert (
        case.reference
        in client.get(f"/staff/export.csv?reference={case.reference}&status=all").text
    )
    actions = {e.action for e in events(app)}
    assert {
        "case.view",
        "case.note",
        "case.status",
        "case.screen",
        "case.assign",
        "case.take",
        "export.csv",
    } <= actions
    for event in events(app):
        assert event.actor_id == me.id
        for value in PERSONAL.values():
            assert value not in event.detail
            assert value not in event.target


def test_counts_are_reused_briefly_and_refreshed_by_own_changes(client, staff, make_request):
    case = make_request()
    staff("reviewer")
    assert "Open 1" in text_of(client.get("/staff/"))
    make_request()  # as if another process stored it: shown within QUEUE_COUNTS_SECONDS
    response = client.get("/staff/")
    assert "Open 1" in text_of(response) and len(queue_refs(response)) == 2
    post_case(
        client,
        case.reference,
        "status",
        status="withdrawn",
        disposition="withdrawn",
        reason="Asked to.",
    )
    text = text_of(client.get("/staff/"))
    assert "Open 1" in text and "Withdrawn 1" in text and "All 2" in text


def test_search_finds_a_form_reference_as_the_applicant_reads_it(
    app, make_request, make_staff, login_as, client
):
    """The applicant sees "K7QM-4XPD-2H"; staff may type it back any way."""
    case = make_request(reference="K7QM4XPD2H")
    login_as(client, make_staff(role="reviewer"))
    for typed in ("K7QM-4XPD-2H", "k7qm 4xpd 2h", "K7QM4XPD2H"):
        page = client.get("/staff/", query_string={"reference": typed, "status": "all"}).text
        assert f"/staff/cases/{case.reference}?" in page, typed  # the link carries the search
        assert "K7QM-4XPD-2H" in page


def test_partner_filter_and_column(client, staff, make_request, make_partner):
    partner = make_partner(name="Río Grande <Legal> Press")
    framed = make_request(partner_id=partner.id)
    direct = make_request()
    staff("reviewer")
    everything = client.get("/staff/")
    assert set(queue_refs(everything)) == {
        framed.reference,
        direct.reference,
    }
    assert "Río Grande &lt;Legal&gt; Press</td>" in page(everything)
    assert "Our site</td>" in page(everything)
    through = client.get("/staff/", query_string={"partner": partner.id})
    assert queue_refs(through) == [framed.reference]
    ours = client.get("/staff/", query_string={"partner": "direct"})
    assert queue_refs(ours) == [direct.reference]
    odd = client.get("/staff/", query_string={"partner": "1 OR 1=1"})
    assert "Unknown partner: ignored." in page(odd) and len(queue_refs(odd)) == 2


def test_export_has_nationality_channel_disposition_and_closing(
    client, app, staff, make_request, make_partner, login_as
):
    partner = make_partner(name="Press site")
    make_request(
        status="declined",
        disposition="declined_over_income",
        closed_at=utcnow().replace(year=2026, month=3, day=2, hour=9, minute=5),
        nationality_code="HT",
        partner_id=partner.id,
    )
    staff("reviewer")
    csv = client.get("/staff/export.csv", query_string={"status": "all"}).get_data(as_text=True)
    header, row = csv.splitlines()[:2]
    assert header.endswith(
        "nationality,came through,disposition,closed (UTC),age band at submission"
    )
    assert row.endswith("HT,Press site,Declined: over income,2026-03-02 09:05,Not given")


def test_case_page_words_the_organisations_policy_as_set(
    app, client, staff, make_request, monkeypatch
):
    """Detention is critical by the organisation's policy, not by law: the page
    names that policy in the words the settings give, never a placeholder."""
    case = make_request(detained=True)
    staff("reviewer")
    url = f"/staff/cases/{case.reference}"
    default = text_of(client.get(url))
    assert "Source: This organisation's policy: detention is critical" in default
    monkeypatch.setitem(app.config, "ORGANISATION_POLICY_SOURCE", "Riverside intake policy")
    set_here = text_of(client.get(url))
    assert "Source: Riverside intake policy: detention is critical" in set_here
    assert "{organisation policy}" not in default + set_here

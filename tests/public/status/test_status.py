"""The applicant's status page: reference + status code, nothing else."""

import statistics
import time

import pytest
from sqlalchemy import select, text

from intake.cases import status_codes
from intake.cases.help_requests import format_reference
from intake.db import db
from intake.models import AuditEvent, Referral, ReferralOrganisation
from tests.support.apps import empty_tables, make_test_app, stored_words
from tests.support.attack_payloads import XSS, assert_inert, shown_as_text
from tests.support.form import (
    VALID,
    marked_answers,
    only_request,
    reference_in,
    status_code_in,
    submit_answers,
    visible_words,
)
from tests.support.tokens import form_token

OWN = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}


def applied(client) -> tuple[str, str]:
    """Send the form; the reference and status code the confirmation shows."""
    _check, done = submit_answers(client)
    page = done.get_data(as_text=True)
    return reference_in(page), status_code_in(page)


def look_up(client, reference, code, path="/status", **extra):
    token = form_token(client.get(path).get_data(as_text=True))
    data = {"reference": reference, "code": code, "csrf_token": token, **extra}
    return client.post(path, data=data, headers=OWN)


def set_status(app, reference, status):
    with app.app_context():
        db.session.execute(
            text("UPDATE help_request SET status = :s WHERE reference = :r"),
            {"s": status, "r": reference.replace("-", "")},
        )
        db.session.commit()


def refer(app, name, how_to_refer):
    """The one request referred to a new organisation of the directory."""
    row = only_request(app)
    with app.app_context():
        org = ReferralOrganisation(name=name, how_to_refer=how_to_refer)
        db.session.add(org)
        db.session.flush()
        made_on = row.created_at.date()
        referral = Referral(request_id=row.id, organisation_id=org.id, made_on=made_on)
        referral.method, referral.consent = "phone", "form"
        db.session.add(referral)
        db.session.commit()


def test_the_code_is_shown_once_and_stored_only_as_its_hmac(app, client, database_uri):
    data = {**VALID, "csrf_token": form_token(client.get("/help").get_data(as_text=True))}
    client.post("/help/check", data=data)
    code = status_code_in(
        client.post("/help/submit", follow_redirects=True, data=data).get_data(as_text=True)
    )
    bare = code.replace("-", "")
    assert len(bare) == status_codes.CODE_LENGTH
    dump = stored_words(database_uri, "help_request")
    assert bare not in dump and code not in dump
    row = only_request(app)
    with app.app_context():
        assert row.status_code_hash == status_codes.code_hash(row.reference, bare)
    # The same submission again (a retry, the back button) finds the request,
    # with its reference, but the code is not shown a second time.
    again = client.post("/help/submit", follow_redirects=True, data=data).get_data(as_text=True)
    assert reference_in(again) == format_reference(row.reference)
    assert 'class="status-code"' not in again and bare not in again


def test_a_right_pair_shows_the_state_and_nothing_of_the_answers(app, client):
    answers = marked_answers()
    _check, done = submit_answers(client, **answers)
    page = done.get_data(as_text=True)
    reference, code = reference_in(page), status_code_in(page)
    shown = look_up(client, reference.lower(), code.lower().replace("-", " "))
    assert shown.status_code == 200
    words = visible_words(shown)
    assert "We received your request" in words and reference in words
    for value in answers.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in shown.headers


@pytest.mark.parametrize(
    ("status", "heading"),
    [
        ("new", "We received your request"),
        ("in_review", "We are reviewing your request"),
        ("accepted", "We are reviewing your request"),
        ("could_not_reach", "We tried to reach you"),
        ("declined", "Your request is closed"),
        ("withdrawn", "Your request is closed"),
    ],
)
def test_each_status_has_its_one_plain_state(app, client, status, heading):
    reference, code = applied(client)
    set_status(app, reference, status)
    assert heading in visible_words(look_up(client, reference, code))


def test_a_missed_call_on_an_open_case_says_we_tried(app, client):
    from intake.models import ContactAttempt

    reference, code = applied(client)
    row = only_request(app)
    with app.app_context():
        db.session.add(ContactAttempt(request_id=row.id, channel="phone", outcome="no_answer"))
        db.session.commit()
    assert "We tried to reach you" in visible_words(look_up(client, reference, code))


def test_referred_names_the_organisation_and_how_to_contact_it(app, client):
    reference, code = applied(client)
    refer(app, "Legal Aid North", "+1 212 555 0199")
    set_status(app, reference, "referred")
    words = visible_words(look_up(client, reference, code))
    assert "We referred you to another organisation" in words
    assert "Legal Aid North" in words and "+1 212 555 0199" in words


def test_wrong_pairs_get_one_answer_and_are_audited_without_what_was_typed(app, client):
    reference, code = applied(client)
    wrong_code = look_up(client, reference, "ZZZZ-ZZZZ")
    unknown = look_up(client, "ZZZZ-ZZZZ-ZZ", code)
    assert wrong_code.status_code == unknown.status_code == 200
    assert visible_words(wrong_code) == visible_words(unknown)
    assert "We could not find a request with this reference and status code" in visible_words(
        unknown
    )
    with app.app_context():
        events = (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action.like("status.%")).order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
        assert [(e.action, e.target) for e in events] == [
            ("status.refused", reference.replace("-", "")),
            ("status.refused", ""),
        ]
    look_up(client, reference, code)
    with app.app_context():
        last = db.session.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalar()
        assert (last.action, last.target, last.detail) == (
            "status.view",
            reference.replace("-", ""),
            "",
        )


def test_no_timing_gap_between_an_unknown_reference_and_a_wrong_code(app, client):
    reference, _code = applied(client)
    token = form_token(client.get("/status").get_data(as_text=True))

    def timed(ref):
        data = {"reference": ref, "code": "ZZZZZZZZ", "csrf_token": token}
        start = time.perf_counter()
        client.post("/status", data=data, headers=OWN)
        return time.perf_counter() - start

    for _ in range(10):  # warm up
        timed(reference), timed("ZZZZZZZZZZ")

    def gap() -> float:
        known, unknown = [], []
        for _ in range(100):  # 200 tries, interleaved so load on the machine hits both alike
            known.append(timed(reference))
            unknown.append(timed("ZZZZZZZZZZ"))
        known_median, unknown_median = statistics.median(known), statistics.median(unknown)
        return abs(known_median - unknown_median) / max(known_median, unknown_median)

    # A real gap (a hash skipped for one of them) shows in every round; a busy
    # machine's burst spoils one round, rarely three in a row.
    gaps = []
    while len(gaps) < 3 and (not gaps or gaps[-1] >= 0.15):
        gaps.append(gap())
    assert gaps[-1] < 0.15, gaps


def test_cross_site_and_tokenless_posts_are_refused(client):
    data = {"reference": "ZZZZZZZZZZ", "code": "ZZZZZZZZ"}
    token = form_token(client.get("/status").get_data(as_text=True))
    evil = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    assert (
        client.post("/status", data={**data, "csrf_token": token}, headers=evil).status_code == 403
    )
    assert client.post("/status", data=data, headers=OWN).status_code == 400


def test_missing_answers_say_which(client):
    response = look_up(client, "", "")
    words = visible_words(response)
    assert "Enter your reference." in words and "Enter your status code." in words


@pytest.mark.parametrize("payload", [p for p in XSS if len(p) <= 40])
def test_payloads_typed_into_the_status_form_are_inert(client, payload):
    page = look_up(client, payload, payload).get_data(as_text=True)
    assert_inert(page)
    assert shown_as_text(page, payload)  # the reference is given back, as text


def test_payloads_staff_typed_into_a_referral_are_inert_on_the_status_page(app, client):
    reference, code = applied(client)
    refer(app, XSS[0], XSS[1])
    set_status(app, reference, "referred")
    page = look_up(client, reference, code).get_data(as_text=True)
    assert_inert(page)
    assert shown_as_text(page, XSS[0]) and shown_as_text(page, XSS[1])


def test_in_spanish_and_in_a_partner_frame(app, client, make_partner):
    reference, code = applied(client)
    assert "Consulte su solicitud" in visible_words(client.get("/es/status"))
    assert "Recibimos su solicitud" in visible_words(look_up(client, reference, code, "/es/status"))
    partner = make_partner()
    path = f"/embed/status?partner={partner.key}"
    framed = look_up(client, reference, code, path)
    assert framed.status_code == 200
    assert "frame-ancestors https://press.example.org" in framed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in framed.headers and "Set-Cookie" not in framed.headers
    assert "quick-exit" in framed.get_data(as_text=True)
    assert "We received your request" in visible_words(framed)
    form = client.get(path).get_data(as_text=True)
    assert f'action="/embed/status?partner={partner.key}"' in form


def look_up_from(app, address, reference, code):
    client = app.test_client()
    env = {"REMOTE_ADDR": address}
    token = form_token(client.get("/status", environ_base=env).get_data(as_text=True))
    data = {"reference": reference, "code": code, "csrf_token": token}
    return client.post("/status", data=data, headers=OWN, environ_base=env).status_code


def test_a_stranger_cannot_lock_the_applicant_out(database_uri):
    app = make_test_app(
        database_uri,
        RATELIMIT_ENABLED=True,
        STATUS_REFERENCE_CLIENT_RATE_LIMIT="2 per minute; 3 per hour",
        STATUS_RATE_LIMIT="30 per hour",
        STATUS_REFERENCE_RATE_LIMIT="4 per day",
    )
    try:
        reference, code = applied(app.test_client())
        # One stranger: backoff after two wrong codes, then their own hour is spent.
        stranger = [look_up_from(app, "192.0.2.7", reference, "ZZZZZZZZ") for _ in range(3)]
        assert stranger == [200, 200, 429]
        # Others spend the reference's daily budget between them...
        assert look_up_from(app, "192.0.2.8", reference, "ZZZZZZZZ") == 200
        assert look_up_from(app, "192.0.2.9", reference, "ZZZZZZZZ") == 200
        assert look_up_from(app, "192.0.2.9", reference, "ZZZZZZZZ") == 429  # spent
        # ...and the applicant, from their own address, still gets in.
        assert look_up_from(app, "198.51.100.1", reference, code) == 200
        assert look_up_from(app, "198.51.100.1", reference, code) == 200  # right: not counted
        # A fresh address gets one try at a spent reference, not two.
        assert look_up_from(app, "192.0.2.10", reference, "ZZZZZZZZ") == 200
        assert look_up_from(app, "192.0.2.10", reference, code) == 429
    finally:
        empty_tables(app)


def test_a_right_pair_is_never_counted(database_uri):
    app = make_test_app(
        database_uri, RATELIMIT_ENABLED=True, STATUS_REFERENCE_CLIENT_RATE_LIMIT="2 per hour"
    )
    try:
        reference, code = applied(app.test_client())
        assert [look_up_from(app, "198.51.100.1", reference, code) for _ in range(5)] == [200] * 5
        shown = app.test_client()
        assert "We received your request" in visible_words(look_up(shown, reference, code))
    finally:
        empty_tables(app)


def test_codes_have_their_own_key_and_survive_its_rotation(app_factory, runner):
    old = app_factory(STATUS_CODE_KEY="status-one", LOOKUP_KEY="lookup-one")
    reference, code = applied(old.test_client())
    # The lookup key rotated: the code still works (it was never hashed with it).
    new_lookup = app_factory(STATUS_CODE_KEY="status-one", LOOKUP_KEY="lookup-two")
    assert new_lookup.test_cli_runner().invoke(args=["rotate-keys"]).exit_code == 0
    assert "We received your request" in visible_words(
        look_up(new_lookup.test_client(), reference, code)
    )
    # The status-code key rotated, the old one kept second: the code works and
    # is hashed again under the new key, so the old key can go later.
    rotated = app_factory(STATUS_CODE_KEY="status-two,status-one", LOOKUP_KEY="lookup-two")
    assert "We received your request" in visible_words(
        look_up(rotated.test_client(), reference, code)
    )
    only_new = app_factory(STATUS_CODE_KEY="status-two", LOOKUP_KEY="lookup-two")
    assert "We received your request" in visible_words(
        look_up(only_new.test_client(), reference, code)
    )
    assert "We received your request" not in visible_words(
        look_up(only_new.test_client(), reference, "ZZZZZZZZ")
    )


def test_production_refuses_to_start_without_a_status_code_key(app_factory):
    with pytest.raises(RuntimeError, match="INTAKE_STATUS_CODE_KEY"):
        app_factory(PRODUCTION=True, STATUS_CODE_KEY=None)


def test_the_letters_sent_are_shown_in_their_language_and_inert(app, client):
    from intake.models import Letter

    reference, code = applied(client)
    row = only_request(app)
    with app.app_context():
        for language, subject, body in (
            ("es", "Su solicitud", "No somos sus abogados."),
            ("en", "Markup", XSS[0]),
        ):
            db.session.add(
                Letter(
                    request_id=row.id,
                    kind="received",
                    language=language,
                    subject=subject,
                    body=body,
                )
            )
        db.session.commit()
    page = look_up(client, reference, code).get_data(as_text=True)
    assert '<article class="letter" lang="es" dir="ltr">' in page
    assert "No somos sus abogados." in page
    assert_inert(page)
    assert shown_as_text(page, XSS[0])

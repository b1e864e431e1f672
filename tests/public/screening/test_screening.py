"""The public screening form: /help → check your answers → submit → confirmation."""

import copy
import html
import json
import re
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from intake import crypto, timeutil
from intake.cases.help_requests import format_reference
from intake.cases.status_codes import CROCKFORD
from intake.db import db
from intake.staff.cases.casework import normalise_reference
from tests.support.apps import make_test_app, raw_engine
from tests.support.form import VALID, form_values, reference_in, requests_in, visible_words
from tests.support.tokens import form_token

TODAY = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def fresh_token(client, query="") -> str:
    return form_token(client.get("/help" + query).get_data(as_text=True))


def answers(client, **changes) -> dict:
    """Valid answers with a fresh token; ``field=None`` leaves a field out."""
    data = {**VALID, "csrf_token": fresh_token(client), **changes}
    return {k: v for k, v in data.items() if v is not None}


# --- the whole journey --------------------------------------------------------


def test_full_submission_stores_one_assessed_request_and_shows_its_reference(
    app, client, make_release, database_uri
):
    slug = make_release()
    form = client.get(f"/help?from={slug}")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert f'name="from" value="{slug}"' in page
    data = {**VALID, "csrf_token": form_token(page), "from": slug}

    check = client.post("/help/check", data=data)
    assert check.status_code == 200
    assert "Check your answers" in check.get_data(as_text=True)
    assert requests_in(app) == []  # nothing is stored before the final submit

    done = client.post("/help/submit", follow_redirects=True, data=data)
    assert done.status_code == 200
    rows = requests_in(app)
    assert len(rows) == 1
    row = rows[0]
    assert reference_in(done.get_data(as_text=True)) == format_reference(row.reference)
    assert re.fullmatch(f"[{CROCKFORD}]{{10}}", row.reference)
    # Deadline 1 June 2026 is 31 days away: high; income 52% of the guideline.
    assert (row.screen, row.urgency, row.urgency_rank) == ("eligible", "high", 1)
    assert row.income_percent == 52 and row.guideline_year == 2026
    assert row.filing_deadline == date(2026, 6, 1)
    assert any("One-year asylum filing deadline" in r for r in json.loads(row.reasons))
    assert row.claim_types == " asylum cat "
    assert (row.arrival_year, row.arrival_month, row.arrival_day) == (2025, 6, None)
    assert row.source == slug and row.interface_language == "en"
    assert row.name == "Amal" and row.monthly_income == "1200"
    assert row.email == "Amal@Example.org" and row.nationality == "SY"
    with app.app_context():
        ring = crypto.keyring()
        assert row.phone_hash == ring.lookup_hash("+12125550100")  # E.164
        assert row.email_hash == ring.lookup_hash("amal@example.org")
    engine = raw_engine(database_uri)
    try:
        with engine.connect() as conn:
            raw = conn.execute(text("SELECT name, phone, summary FROM help_request")).one()
    finally:
        engine.dispose()
    assert "Amal" not in raw.name and "555" not in raw.phone and "asylum" not in raw.summary
    for response in (form, check, done):
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"


def test_unknown_source_is_stored_as_the_form_itself(app, client):
    data = answers(client, **{"from": "no-such-release"})
    client.post("/help/submit", follow_redirects=True, data=data)
    assert requests_in(app)[0].source == "help"


def test_get_help_sets_no_cookie_and_loads_quick_exit_script(client):
    assert client.head("/help").status_code == 200
    response = client.get("/help")
    assert "Set-Cookie" not in response.headers
    page = response.get_data(as_text=True)
    assert '<script src="/static/js/quick-exit.js" defer></script>' in page
    assert 'class="quick-exit" href="https://' in page
    assert " style=" not in page and "<script>" not in page


def test_answers_never_travel_in_a_url(client):
    page = client.get("/help").get_data(as_text=True)
    check = client.post("/help/check", data=answers(client)).get_data(as_text=True)
    for body in (page, check):
        assert re.findall(r"<form[^>]*>", body) and all(
            'method="post"' in tag for tag in re.findall(r"<form[^>]*>", body)
        )
        for target in re.findall(r'(?:action|formaction)="([^"]*)"', body):
            # Only the mark of a chosen language may follow (the English button).
            assert "?" not in target.removesuffix("?language=en")
    assert "Amal" not in "".join(re.findall(r'href="([^"]*)"', check))


# --- validation ---------------------------------------------------------------

INVALID = [
    ("represented", None, "represented", "Say whether you have a lawyer"),
    ("represented", "maybe", "represented", "Say whether you have a lawyer"),
    ("can_pay", None, "can_pay", "Say whether you could pay"),
    ("household_size", "0", "household_size", "from 1 to 30"),
    ("household_size", "31", "household_size", "from 1 to 30"),
    ("household_size", "two", "household_size", "from 1 to 30"),
    ("monthly_income", "-5", "monthly_income", "Enter an amount"),
    ("monthly_income", "99999999", "monthly_income", "Enter an amount"),
    ("asker", None, "asker", "Say who you are asking for"),
    ("asker", "family", "helper_name", "Enter your name"),
    ("in_us", None, "in_us", "United States now"),
    ("decided", None, "decided", "decided your case"),
    ("share_consent", None, "share_consent", "another legal organisation"),
    ("a_number", "A12", "a_number", "8 or 9 digits"),
    ("harms", ["afraid_to_return", "bogus"], "harms", "Choose from the list"),
    ("claim_types", ["asylum", "bogus"], "claim_types", "Choose from the list"),
    ("detained", None, "detained", "detention"),
    ("detention_facility", "x" * 121, "detention_facility", "120 characters"),
    ("hearing", None, "hearing", "court hearing"),
    ("i589_filed", None, "i589_filed", "I-589"),
    ("birth_month", None, "birth_month", "Choose the month"),
    ("name", "", "name", "Enter a name"),
    ("name", "n" * 101, "name", "100 characters"),
    ("summary", "line\x1bescape", "summary", "unusual characters"),  # NUL itself is a 400
    ("nationality", "XX", "nationality", "country of nationality"),
    ("preferred_language", None, "preferred_language", "language"),
    ("state", "ZZ", "state", "state or territory"),
    ("phone", "call me", "phone", "Enter a phone number"),
    ("phone", "1" * 31, "phone", "30 characters"),
    ("email", "not-an-email", "email", "Enter an email address"),
    ("safe_to_message", None, "safe_to_message", "leave a message"),
    ("summary", "s" * 1001, "summary", "1000 characters"),
    ("consent", None, "consent", "privacy notice"),
]


@pytest.mark.parametrize(("field", "value", "target", "message"), INVALID)
def test_each_invalid_answer_gets_its_own_error_and_keeps_the_rest(
    app, client, field, value, target, message
):
    data = answers(client, **{field: value})
    if value is None:
        data.pop(field, None)
    response = client.post("/help/check", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r"<title>Error: ", page)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'href="#([^"]+)"', summary) == [target]
    assert message in html.unescape(summary)
    assert f'id="{target}"' in page
    # Everything else typed is still there, on this page or carried to the next.
    kept = form_values(page)
    if field != "name":
        assert kept["name"] == "Amal"
    if field != "represented":
        assert kept["represented"] == "no"
    if field != "claim_types":
        assert "cat" in kept.getlist("claim_types")
    if field != "nationality":
        assert kept["nationality"] == "SY"
    assert kept["arrival_year"] == "2025"
    assert requests_in(app) == []


DATE_ERRORS = [
    (
        {"hearing": "yes", "hearing_day": "31", "hearing_month": "2", "hearing_year": "2027"},
        "hearing_day",
        "real date",
    ),
    (
        {"hearing": "yes", "hearing_month": "6", "hearing_year": "2026"},
        "hearing_day",
        "day, month and year",
    ),
    (
        {"hearing": "yes", "hearing_day": "1", "hearing_month": "13", "hearing_year": "2026"},
        "hearing_month",
        "Choose the month from the list",
    ),
    (
        {"hearing": "yes", "hearing_day": "1", "hearing_month": "6", "hearing_year": "26"},
        "hearing_year",
        "4 digits",
    ),
    ({"arrival_month": "6", "arrival_year": "2026"}, "arrival_month", "today or in the past"),
    ({"arrival_month": "1", "arrival_year": "2027"}, "arrival_year", "today or in the past"),
    (
        {"arrival_day": "2", "arrival_month": "5", "arrival_year": "2026"},
        "arrival_day",
        "today or in the past",
    ),
    ({"arrival_month": "6", "arrival_year": "1949"}, "arrival_year", "1950"),
    ({"arrival_month": "", "arrival_year": ""}, "arrival_month", "month and year"),
    (
        {"arrival_day": "30", "arrival_month": "2", "arrival_year": "2024"},
        "arrival_day",
        "real date",
    ),
    (
        {"arrival_day": "x", "arrival_month": "2", "arrival_year": "2024"},
        "arrival_day",
        "from 1 to 31",
    ),
    ({"phone": "", "email": ""}, "phone", "phone number or an email"),
]


@pytest.mark.parametrize(("changes", "target", "message"), DATE_ERRORS)
def test_dates_and_contact_are_checked_as_a_whole(app, client, changes, target, message):
    response = client.post("/help/check", data=answers(client, **changes))
    page = response.get_data(as_text=True)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'href="#([^"]+)"', summary) == [target]
    assert message in html.unescape(summary)
    assert requests_in(app) == []


def test_edge_answers_that_are_allowed(app, client):
    # A past hearing (missed: critical), a leap day arrival, income 0, email only.
    data = answers(
        client,
        hearing="yes",
        hearing_day="2",
        hearing_month="4",
        hearing_year="2026",
        arrival_day="29",
        arrival_month="2",
        arrival_year="2024",
        monthly_income="0",
        phone="",
        household_size="30",
    )
    response = client.post("/help/submit", follow_redirects=True, data=data)
    assert response.status_code == 200, visible_words(response)
    row = requests_in(app)[0]
    assert row.urgency == "critical" and row.hearing_date == date(2026, 4, 2)
    assert row.phone is None and row.phone_hash is None and row.monthly_income == "0"


def test_a_tampered_answer_on_the_final_step_is_caught_again(app, client):
    response = client.post(
        "/help/submit", follow_redirects=True, data=answers(client, household_size="0")
    )
    assert "Error:" in response.get_data(as_text=True)
    assert requests_in(app) == []


# --- change an answer ---------------------------------------------------------


def test_change_posts_every_answer_back_with_that_question_focused(client):
    data = answers(client)
    check = client.post("/help/check", data=data).get_data(as_text=True)
    assert 'name="change" value="name" formaction="/help#name"' in check
    assert '<input type="hidden" name="name" value="Amal">' in check
    carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', check))
    again = client.post(
        "/help", data={**carried, "claim_types": ["asylum", "cat"], "change": "name"}
    )
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "Error:" not in page
    assert re.search(r'<input[^>]*autofocus[^>]*id="name"[^>]*value="Amal"', page)
    assert '<option value="SY" selected>' in page
    assert re.search(r'name="claim_types" value="asylum" checked', page)
    assert 'name="csrf_token" value="' + data["csrf_token"] + '"' in page


# --- cross-site protection and spam -------------------------------------------


@pytest.mark.parametrize("step", ["/help", "/help/check", "/help/submit"])
def test_missing_or_forged_token_is_refused_and_nothing_stored(app, client, step):
    data = {**VALID}
    assert client.post(step, data=data).status_code == 400
    forged = answers(client)
    forged["csrf_token"] = forged["csrf_token"][:-3] + "abc"
    response = client.post(step, data=forged)
    assert response.status_code == 400
    assert "This form could not be used" in visible_words(response)
    assert requests_in(app) == []


def test_expired_token_keeps_the_answers_and_issues_a_new_one(app, client):
    data = answers(client)
    app.config["FORM_TOKEN_MAX_AGE"] = -1  # every token is now too old
    response = client.post("/help/submit", follow_redirects=True, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "open for a long time" in page
    assert form_values(page)["name"] == "Amal"
    assert form_token(page) != data["csrf_token"]
    assert requests_in(app) == []


def test_expired_token_of_a_sent_request_shows_that_request(app, client):
    data = answers(client)
    first = reference_in(
        client.post("/help/submit", follow_redirects=True, data=data).get_data(as_text=True)
    )
    app.config["FORM_TOKEN_MAX_AGE"] = -1
    again = client.post("/help/check", data=data, follow_redirects=True)
    assert reference_in(again.get_data(as_text=True)) == first
    assert len(requests_in(app)) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "http://localhost.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_cross_site_posts_are_refused(app, client, headers):
    response = client.post(
        "/help/submit", follow_redirects=True, data=answers(client), headers=headers
    )
    assert response.status_code == 403
    assert "We could not accept this form" in visible_words(response)
    assert requests_in(app) == []


def test_same_origin_headers_are_accepted(app, client):
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert (
        client.post(
            "/help/submit", follow_redirects=True, data=answers(client), headers=headers
        ).status_code
        == 200
    )
    assert len(requests_in(app)) == 1


def test_opaque_origin_is_offered_a_new_tab(app, client):
    response = client.post(
        "/help/submit", follow_redirects=True, data=answers(client), headers={"Origin": "null"}
    )
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert re.search(r'<a class="button" href="/help" target="_blank" rel="noopener">', page)
    assert requests_in(app) == []


def test_honeypot_filled_is_rejected_and_nothing_stored(app, client):
    page = client.get("/help").get_data(as_text=True)
    trap = re.search(r'<div class="trap" aria-hidden="true">.*?</div>', page, re.S).group(0)
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap
    for step in ("/help/check", "/help/submit"):
        response = client.post(step, data=answers(client, website="http://spam.example"))
        assert response.status_code == 400
    assert requests_in(app) == []


def test_oversized_body_gets_the_friendly_413_page(app, client):
    response = client.post(
        "/help/submit", follow_redirects=True, data=answers(client, summary="x" * 70_000)
    )
    assert response.status_code == 413
    assert "What you sent is too large" in visible_words(response)
    assert requests_in(app) == []


def test_rate_limit_on_submissions(database_uri):
    app = make_test_app(database_uri, RATELIMIT_ENABLED=True, HELP_RATE_LIMIT="2 per hour")
    client = app.test_client()
    try:
        codes = [
            client.post("/help/submit", follow_redirects=True, data=answers(client)).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]
        assert len(requests_in(app)) == 2
    finally:
        from tests.support.apps import empty_tables

        empty_tables(app)


# --- what is stored -----------------------------------------------------------


def test_extra_posted_fields_are_ignored(app, client):
    extra = {
        "status": "accepted",
        "id": "999",
        "urgency": "normal",
        "urgency_rank": "2",
        "screen": "screened_out_can_pay",
        "reference": "AAAAAAAAAA",
        "submission_key": "mine",
    }
    client.post(
        "/help/submit", follow_redirects=True, data=answers(client, detained="yes", **extra)
    )
    row = requests_in(app)[0]
    assert row.status == "new" and row.id != 999
    assert (row.urgency, row.urgency_rank, row.screen) == ("critical", 0, "eligible")
    assert row.reference != "AAAAAAAAAA" and row.submission_key != "mine"


def test_the_same_token_twice_makes_one_request_with_one_reference(app, client):
    data = answers(client)
    first = client.post("/help/submit", follow_redirects=True, data=data).get_data(as_text=True)
    second = client.post("/help/submit", follow_redirects=True, data=data).get_data(as_text=True)
    back = client.post("/help", data={**data, "change": "name"}, follow_redirects=True).text
    check = client.post("/help/check", data=data, follow_redirects=True).get_data(as_text=True)
    assert reference_in(first) == reference_in(second) == reference_in(back)
    assert reference_in(check) == reference_in(first)
    assert len(requests_in(app)) == 1


def test_a_sent_token_with_answers_now_invalid_still_shows_its_request(app, client):
    """The submit leaves finding a sent token to the INSERT only for valid
    answers: answers changed since (Back, edit, submit again) still find it."""
    data = answers(client)
    first = client.post("/help/submit", follow_redirects=True, data=data).get_data(as_text=True)
    broken = {**data, "household_size": "", "name": ""}
    again = client.post("/help/submit", follow_redirects=True, data=broken).get_data(as_text=True)
    assert reference_in(again) == reference_in(first)
    assert len(requests_in(app)) == 1


def test_a_sent_token_finds_its_request_when_the_lookup_key_is_gone(app, client, monkeypatch):
    """Storing needs the lookup key; showing a request already sent does not."""
    data = answers(client)
    first = client.post("/help/submit", follow_redirects=True, data=data).get_data(as_text=True)
    without_lookup = copy.copy(app.extensions["intake.keyring"])
    without_lookup.lookup_key = None
    monkeypatch.setitem(app.extensions, "intake.keyring", without_lookup)
    again = client.post("/help/submit", follow_redirects=True, data=data).get_data(as_text=True)
    assert reference_in(again) == reference_in(first)
    assert len(requests_in(app)) == 1


@pytest.mark.parametrize(
    ("changes", "screen", "heading"),
    [
        ({"represented": "yes"}, "screened_out_represented", "You already have legal help"),
        ({"can_pay": "yes"}, "screened_out_can_pay", "You may be able to hire a lawyer"),
    ],
)
def test_screened_out_people_get_a_kind_page_and_the_request_is_kept(
    app, client, changes, screen, heading
):
    response = client.post("/help/submit", follow_redirects=True, data=answers(client, **changes))
    page = response.get_data(as_text=True)
    assert heading in html.unescape(page)
    assert '<a href="https://ailalawyer.com">' in page
    assert 'href="https://www.justice.gov/eoir/list-pro-bono-legal-service-providers"' in page
    row = requests_in(app)[0]
    assert row.screen == screen
    assert reference_in(page) == format_reference(row.reference)


def test_confirmation_says_what_next_and_where_to_get_urgent_help(database_uri):
    app = make_test_app(
        database_uri, HELPLINE_PHONE="+1 212 555 0199", HELPLINE_HOURS="weekdays 9 to 5"
    )
    client = app.test_client()
    try:
        response = client.post(
            "/help/submit", follow_redirects=True, data=answers(client, detained="yes")
        )
        text_ = visible_words(response)
        assert "within 5 working days" in text_
        assert "may be urgent" in text_
        assert "+1 212 555 0199 (weekdays 9 to 5)" in text_
        assert "1-800-898-7180" in text_
        assert '<a href="https://acis.eoir.justice.gov">' in response.get_data(as_text=True)
    finally:
        from tests.support.apps import empty_tables

        empty_tables(app)


def test_database_failure_at_commit_keeps_the_answers_and_says_so(app, client, monkeypatch):
    data = answers(client)

    def fail():
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", fail)
    response = client.post("/help/submit", follow_redirects=True, data=data)
    monkeypatch.undo()
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "We could not save your request" in page and "Nothing was sent" in page
    assert '<input type="hidden" name="name" value="Amal">' in page
    assert form_token(page) == data["csrf_token"]
    assert requests_in(app) == []
    # Trying again works, once.
    retry = client.post("/help/submit", follow_redirects=True, data=data)
    assert retry.status_code == 200 and len(requests_in(app)) == 1


def test_missing_encryption_key_never_stores_plaintext(app, client, monkeypatch):
    data = answers(client)

    def no_key(self, plaintext):
        raise crypto.KeyUnavailable("no encryption key configured")

    monkeypatch.setattr(crypto.Keyring, "encrypt", no_key)
    response = client.post("/help/submit", follow_redirects=True, data=data)
    assert response.status_code == 503
    assert "We could not save your request" in response.get_data(as_text=True)
    assert requests_in(app) == []


# --- hostile and unusual text -------------------------------------------------

XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_markup_in_answers_comes_back_escaped(app, client):
    data = answers(client, name=XSS, summary=XSS, detained="yes", detention_facility=XSS)
    error_page = client.post("/help/check", data={**data, "consent": ""}).get_data(as_text=True)
    assert "<script>alert(1)" not in error_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in error_page
    for step in ("/help/check", "/help/submit"):
        page = client.post(step, data=data).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert requests_in(app)[0].name == XSS  # stored as typed, escaped when shown


def test_unicode_names_are_accepted_and_nfc_normalised(app, client):
    decomposed = "Jose\u0301 \u200fمريم\u200f 👩\u200d👩\u200d👧 Ли"
    data = answers(client, name=decomposed, summary="  Привет 🙏  ")
    # NFC; direction marks removed (names are shown in <bdi>); emoji joiners kept.
    expected = "Jos\u00e9 مريم 👩\u200d👩\u200d👧 Ли"
    check = client.post("/help/check", data=data).get_data(as_text=True)
    assert expected in check
    client.post("/help/submit", follow_redirects=True, data=data)
    row = requests_in(app)[0]
    assert row.name == expected
    assert row.summary == "Привет 🙏"


def test_control_characters_are_rejected_but_line_breaks_kept_in_the_summary(app, client):
    bad = client.post("/help/check", data=answers(client, summary="a\x1bb"))
    assert "unusual characters" in bad.get_data(as_text=True)
    client.post(
        "/help/submit", follow_redirects=True, data=answers(client, summary="line one\r\nline two")
    )
    assert requests_in(app)[0].summary == "line one\r\nline two"


# --- small parts --------------------------------------------------------------


def test_reference_format_and_normalisation():
    assert format_reference("K7QM4XPD2H") == "K7QM-4XPD-2H"
    assert normalise_reference(" k7qm-4xpd-2h ") == "K7QM4XPD2H"
    assert normalise_reference("IOL") == "101"
    assert not set("ILOU") & set(CROCKFORD)


def test_contact_normal_forms():
    from intake.cases.contact import normalise_email, normalise_phone

    assert normalise_phone(" +1 (212) 555-0100 ") == "+12125550100"
    assert normalise_phone("1-212-555-0100") == "+12125550100"
    assert normalise_phone("212.555.0100") == "+12125550100"
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"
    assert normalise_email("  Ａmal@Example.ORG ") == "amal@example.org"


def test_bidi_overrides_and_zero_width_characters_are_removed_from_names(app, client):
    data = answers(client, name="\u202eAmal\u200b \u2067Haddad\u2069\x1b")
    response = client.post("/help/submit", follow_redirects=True, data=data)
    assert response.status_code == 200
    (row,) = requests_in(app)
    assert row.name == "Amal Haddad"


def test_a_follow_up_with_an_error_stays_visible(client):
    data = answers(client, detained="no", detention_facility="x" * 121)
    page = client.post("/help/check", data=data).get_data(as_text=True)
    assert 'class="field has-error follow-up"' in page

"""The screening form inside a partner's frame: every step framed, no cookie, the
partner recorded; cross-site posts, bad and replayed tokens refused."""

import re
from datetime import date

import pytest
from itsdangerous import URLSafeTimedSerializer

from intake import timeutil
from intake.cases.help_requests import format_reference
from tests.support.apps import make_test_app
from tests.support.form import VALID, form_values, reference_in, requests_in, visible_words
from tests.support.tokens import form_token

PARTNER_ORIGIN = "https://press.example.org"
# What Chromium sends for a form posted from our own page inside the frame.
SAME_ORIGIN = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


@pytest.fixture
def partner(make_partner):
    return make_partner(name="Press page", origins=(PARTNER_ORIGIN,))


def framed_answers(client, partner, **changes) -> dict:
    page = client.get(f"/embed/help?partner={partner.key}").get_data(as_text=True)
    return {**VALID, "csrf_token": form_token(page), **changes}


def assert_framed_for(response, partner):
    policy = response.headers["Content-Security-Policy"]
    assert policy.endswith(f"frame-ancestors {PARTNER_ORIGIN}")
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Continue in a new tab" in page
    assert f'data-parent-origins="{PARTNER_ORIGIN}"' in page
    assert 'href="/press/' not in page and 'href="/"' not in page  # no way out but a new tab


def test_every_step_stays_in_the_frame_and_records_the_partner(app, client, partner):
    key = partner.key
    form = client.get(f"/embed/help?partner={key}")
    assert form.status_code == 200
    assert_framed_for(form, partner)
    page = form.get_data(as_text=True)
    assert f'action="/embed/help?partner={key}"' in page
    # The form's own signed token, and no session cookie to bind one to.
    assert page.count('name="csrf_token"') == 1 and "Set-Cookie" not in form.headers
    data = {**VALID, "csrf_token": form_token(page)}

    check = client.post(f"/embed/help/check?partner={key}", data=data, headers=SAME_ORIGIN)
    assert check.status_code == 200
    assert_framed_for(check, partner)
    page = check.get_data(as_text=True)
    assert "Check your answers" in page
    assert f'action="/embed/help/submit?partner={key}"' in page
    assert f'formaction="/embed/help?partner={key}#name"' in page  # "Change" stays framed
    assert requests_in(app) == []

    sent = client.post(f"/embed/help/submit?partner={key}", data=data, headers=SAME_ORIGIN)
    assert sent.status_code == 303  # then the confirmation, in the frame
    assert sent.headers["Location"].startswith("/embed/help/sent/")
    done = client.get(sent.headers["Location"])
    assert done.status_code == 200
    assert_framed_for(done, partner)
    (row,) = requests_in(app)
    assert reference_in(done.get_data(as_text=True)) == format_reference(row.reference)
    assert row.partner_id == partner.id
    assert row.name == "Amal"
    # Links to other sites leave the frame alone: they open a new tab.
    assert re.search(
        r'<a href="https://acis\.eoir\.justice\.gov" target="_blank" rel="noopener">',
        done.get_data(as_text=True),
    )


def test_the_same_form_on_our_own_site_records_no_partner(app, client, partner):
    page = client.get("/help").get_data(as_text=True)
    assert 'action="/help"' in page and "Continue in a new tab" not in page
    done = client.post(
        "/help/submit", follow_redirects=True, data={**VALID, "csrf_token": form_token(page)}
    )
    assert done.status_code == 200
    assert requests_in(app)[0].partner_id is None
    assert 'href="https://acis.eoir.justice.gov">' in done.get_data(as_text=True)


def test_a_replayed_token_shows_the_same_reference_and_stores_one_request(app, client, partner):
    data = framed_answers(client, partner)
    url = f"/embed/help/submit?partner={partner.key}"
    first = client.post(url, data=data, headers=SAME_ORIGIN, follow_redirects=True)
    again = client.post(
        url, data={**data, "name": "Someone else"}, headers=SAME_ORIGIN, follow_redirects=True
    )
    assert again.status_code == 200
    assert reference_in(again.get_data(as_text=True)) == reference_in(first.get_data(as_text=True))
    assert_framed_for(again, partner)
    (row,) = requests_in(app)
    assert row.name == "Amal"


def test_an_expired_token_keeps_the_answers_in_the_frame_and_stores_nothing(app, client, partner):
    data = framed_answers(client, partner)
    app.config["FORM_TOKEN_MAX_AGE"] = -1
    response = client.post(
        f"/embed/help/submit?partner={partner.key}", data=data, headers=SAME_ORIGIN
    )
    assert response.status_code == 200
    assert_framed_for(response, partner)
    page = response.get_data(as_text=True)
    assert "open for a long time" in page
    assert f'action="/embed/help?partner={partner.key}"' in page
    assert form_values(page)["name"] == "Amal" and form_token(page) != data["csrf_token"]
    assert requests_in(app) == []


@pytest.mark.parametrize(
    "token",
    [
        # Signed by us, but for another form (another salt).
        URLSafeTimedSerializer("test-secret-key-not-for-production", salt="other-form").dumps(
            "a-nonce-from-elsewhere"
        ),
        # Signed with another key.
        URLSafeTimedSerializer("another-key", salt="help-form").dumps("nonce"),
        "",
    ],
    ids=["other-form", "other-key", "missing"],
)
def test_a_token_from_another_form_is_refused_in_the_frame(app, client, partner, token):
    for step in ("check", "submit"):
        response = client.post(
            f"/embed/help/{step}?partner={partner.key}",
            data={**VALID, "csrf_token": token},
            headers=SAME_ORIGIN,
        )
        assert response.status_code == 400
        assert "This form could not be used" in visible_words(response)
        assert_framed_for(response, partner)
        assert f'href="/embed/help?partner={partner.key}"' in response.get_data(as_text=True)
    assert requests_in(app) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": PARTNER_ORIGIN, "Sec-Fetch-Site": "cross-site"},  # even the partner's page
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_a_foreign_origin_is_refused_and_nothing_stored(app, client, partner, headers):
    data = framed_answers(client, partner)
    response = client.post(f"/embed/help/submit?partner={partner.key}", data=data, headers=headers)
    assert response.status_code == 403
    assert "We could not accept this form" in visible_words(response)
    assert_framed_for(response, partner)
    assert requests_in(app) == []


def test_an_opaque_origin_is_offered_a_new_tab(app, client, partner):
    data = framed_answers(client, partner)
    response = client.post(
        f"/embed/help/submit?partner={partner.key}", data=data, headers={"Origin": "null"}
    )
    assert response.status_code == 403
    assert_framed_for(response, partner)
    page = response.get_data(as_text=True)
    assert re.search(r'<a class="button" href="/help" target="_blank" rel="noopener">', page)
    assert requests_in(app) == []


@pytest.mark.parametrize("active", [True, False])
def test_unknown_or_inactive_partner_cannot_submit(app, client, make_partner, active):
    data = framed_answers(client, make_partner(origins=(PARTNER_ORIGIN,)))
    key = make_partner(active=False).key if not active else "nosuchpartner234"
    response = client.post(f"/embed/help/submit?partner={key}", data=data, headers=SAME_ORIGIN)
    assert response.status_code == 404
    assert response.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert requests_in(app) == []


def test_framed_form_without_a_partner_is_not_served(client):
    for response in (client.get("/embed/help"), client.post("/embed/help/submit", data=VALID)):
        assert response.status_code == 404
        assert response.headers["X-Frame-Options"] == "DENY"


def test_the_card_leads_to_the_framed_form(client, partner):
    page = client.get(f"/embed/cta?partner={partner.key}&from=a-release").get_data(as_text=True)
    assert f'<a class="button" href="/embed/help?partner={partner.key}&amp;from=a-release">' in (
        page
    )


def test_the_framed_form_keeps_its_language(database_uri, partner):
    client = make_test_app(database_uri, LANGUAGES=["en", "es"]).test_client()
    page = client.get(f"/es/embed/help?partner={partner.key}").get_data(as_text=True)
    assert '<html lang="es"' in page
    assert f'action="/es/embed/help?partner={partner.key}"' in page


def test_continue_in_a_new_tab_carries_the_answers_to_our_own_site(app, client, partner):
    page = client.get(f"/embed/help?partner={partner.key}").get_data(as_text=True)
    assert 'formaction="/help" formtarget="_blank" formnovalidate name="to" value="1">' in page
    data = {**VALID, "csrf_token": form_token(page)}
    check = client.post(f"/embed/help/check?partner={partner.key}", data=data, headers=SAME_ORIGIN)
    assert 'formaction="/help/check" formtarget="_blank"' in check.get_data(as_text=True)
    # The new tab: our own full page (not framable), every answer still there.
    response = client.post("/help", data=data, headers=SAME_ORIGIN)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    new_tab = response.get_data(as_text=True)
    assert form_values(new_tab)["name"] == "Amal" and 'action="/help"' in new_tab
    assert "Continue in a new tab" not in new_tab
    assert requests_in(app) == []


def test_staff_see_which_partner_a_request_came_through(
    client, make_request, make_staff, login_as, partner
):
    framed = make_request(partner_id=partner.id, source="help")
    ours = make_request(source="help")
    login_as(client, make_staff(role="reviewer"))
    page = client.get(f"/staff/cases/{framed.reference}").get_data(as_text=True)
    assert "in the frame on Press page’s site" in page
    page = client.get(f"/staff/cases/{ours.reference}").get_data(as_text=True)
    assert "in the frame on" not in page

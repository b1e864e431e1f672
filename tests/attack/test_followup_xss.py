"""Attack suite, XSS on the follow-up pages: payloads typed by staff into contact
notes, override reasons, callback notes, referral notes, adverse parties and the
referral directory come back inert (and as text) on the case page, "my callbacks
today" and the directory; a payload as an applicant's name is inert in the
conflict list."""

import pytest

from intake import timeutil
from intake.db import db
from intake.models import ReferralOrganisation
from tests.support.attack_payloads import XSS, assert_inert, visible_text
from tests.support.tokens import csrf_token


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize("payload", XSS)
def test_staff_typed_payloads_are_inert_on_every_follow_up_page(
    app, client, make_staff, login_as, make_request, payload
):
    admin = make_staff("admin")
    login_as(client, admin)
    case = make_request(name=payload, safe_to_message="no", share_consent=True)
    earlier = make_request(name=payload)  # an earlier applicant of that name: a conflict
    page(client.get(f"/staff/cases/{earlier.reference}"))  # viewing indexes it
    url = f"/staff/cases/{case.reference}"
    token = csrf_token(page(client.get("/staff/account")))

    def post(path, **data):
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 302, (path, response.status_code)

    post(
        "/staff/referrals/new",
        name=payload[:160],
        how_to_refer=payload[:300],
        refer_by="phone",
        note=payload,
        detention_centres=payload,
        states=["NY"],
        accepting="y",
        active="y",
    )
    with app.app_context():
        org_id = db.session.execute(db.select(ReferralOrganisation.id)).scalar_one()
    post(
        f"{url}/contacts",
        channel="phone",
        outcome="left_message",
        note=payload,
        override_reason=payload,
    )
    today = timeutil.utcnow().date().isoformat()
    post(
        f"{url}/callbacks",
        kind="callback",
        day="2099-01-01",
        at="10:00",
        owner=str(admin.id),
        note=payload,
    )
    post(f"{url}/referrals", organisation=str(org_id), method="phone", made_on=today, note=payload)
    post(f"{url}/adverse-parties", relationship="abuser", name=payload[:100])
    for path in (url, "/staff/callbacks", "/staff/referrals", f"/staff/referrals/{org_id}"):
        assert_inert(page(client.get(path)))
    case_page = page(client.get(url))
    # The name, the note, the reason and the suggestion at least, as text.
    assert visible_text(case_page).count(payload.strip()) >= 4
    assert "Possible conflicts of interest" in case_page


@pytest.mark.parametrize("payload", XSS)
def test_refused_follow_up_forms_show_the_payload_inert(
    client, make_staff, login_as, make_request, payload
):
    login_as(client, make_staff("reviewer"))
    case = make_request(safe_to_message="no")
    url = f"/staff/cases/{case.reference}"
    token = csrf_token(page(client.get(url)))
    refused = client.post(
        f"{url}/contacts",
        data={"csrf_token": token, "channel": payload, "outcome": "left_message", "note": payload},
    )
    assert refused.status_code == 400
    assert_inert(refused.get_data(as_text=True))
    refused = client.post(
        f"{url}/callbacks",
        data={"csrf_token": token, "day": payload, "at": payload, "owner": payload},
    )
    assert refused.status_code == 400
    assert_inert(refused.get_data(as_text=True))

"""Attack suite, CSRF: every staff POST route, read from the URL map (a new one
is covered, or fails until attack_world.VALID has a body for it), is refused with 403 and
changes nothing in the database, audit log included, when it comes without a
token, with another session's token, or from another site's page with a valid
token. The same request from our own page goes through (the control)."""

import pytest

from tests.support.attack_world import ANONYMOUS, OWN, VALID, snapshot, staff_post_endpoints
from tests.support.tokens import csrf_token

FOREIGN_HEADERS = {
    "foreign origin, cross-site": {
        "Origin": "https://evil.example",
        "Sec-Fetch-Site": "cross-site",
    },
    "foreign origin only": {"Origin": "https://evil.example"},
    "sibling subdomain": {"Origin": "http://evil.localhost", "Sec-Fetch-Site": "same-site"},
    "opaque origin": {"Origin": "null"},
    "cross-site fetch, no origin": {"Sec-Fetch-Site": "cross-site"},
    "foreign referer, no origin": {"Referer": "https://evil.example/page"},
}


@pytest.mark.parametrize("endpoint", staff_post_endpoints())
def test_staff_post_is_refused_without_a_good_token_or_from_another_site(app, world, endpoint):
    assert endpoint in VALID, f"new staff POST route {endpoint}: add a valid body to VALID"
    url = world.post_url(endpoint)
    victim = app.test_client() if endpoint in ANONYMOUS else world.client
    token = csrf_token(victim.get(world.page_for(endpoint)).get_data(as_text=True))
    foreign_token = csrf_token(world.other_client.get("/staff/account").get_data(as_text=True))
    body = VALID[endpoint](world)
    before = snapshot(app)

    attacks = {
        "no token": ({**body}, OWN),
        "another session's token": ({**body, "csrf_token": foreign_token}, OWN),
        "a token from no session": ({**body, "csrf_token": token}, None),
        **{name: ({**body, "csrf_token": token}, h) for name, h in FOREIGN_HEADERS.items()},
    }
    for name, (data, headers) in attacks.items():
        attacker = app.test_client() if headers is None else victim
        response = attacker.post(url, data=data, headers=headers or OWN)
        assert response.status_code == 403, name
        assert "You cannot do that" in response.get_data(as_text=True), name
        assert snapshot(app) == before, f"{name} changed the database"

    # The control: the same request from our own page is accepted and changes things.
    response = victim.post(url, data={**body, "csrf_token": token}, headers=OWN)
    assert response.status_code in (200, 302), response.status_code
    assert snapshot(app) != before


def test_a_browser_without_fetch_metadata_or_origin_still_works(world):
    """Old browsers and privacy tools send neither header: the token alone decides."""
    token = csrf_token(world.client.get("/staff/account").get_data(as_text=True))
    response = world.client.post(world.url("staff.triage.take_next"), data={"csrf_token": token})
    assert response.status_code == 302
    assert f"/staff/cases/{world.case.reference}" in response.location

"""Attack suite, crafted input across features: open redirects, oversized bodies,
overlong fields, NUL bytes and lone surrogates, bidi overrides, SQL wildcards
and injection in searches, mass assignment, mail header injection, and the
header set on real responses of every status."""

import email
import re
from html.parser import HTMLParser
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

import pytest
from flask_babel import force_locale, gettext

from intake.db import db
from intake.models import HelpRequest, Note, Partner, Release, StaffUser
from intake.staff.accounts import operations as accounts
from intake.staff.cases import casework
from tests.support.attack_payloads import FOREIGN_TARGETS, FORGED_FIELDS, HEADER_INJECTION
from tests.support.attack_world import OWN, VALID, snapshot
from tests.support.form import VALID as ANSWERS
from tests.support.form import only_request, submit_answers
from tests.support.hardening import assert_hardened
from tests.support.smtp_sink import NOTIFY
from tests.support.tokens import csrf_token, form_token

OUR_HOST = "localhost"


def too_large(app, rule: str) -> str:
    """The 413 page's heading in the route's language."""
    with app.test_request_context(), force_locale("es" if "<lang:lang>" in rule else "en"):
        return gettext("What you sent is too large")


def routes(app, method: str) -> list[tuple[str, str]]:
    """(endpoint, rule) for every route answering ``method``, static files aside."""
    return sorted(
        (rule.endpoint, rule.rule)
        for rule in app.url_map.iter_rules()
        if method in rule.methods and rule.endpoint != "static"
    )


def build(world, endpoint: str, rule: str) -> str:
    """A URL for the route: staff routes through the world, public ones with a
    language prefix and a release slug."""
    if rule.startswith("/staff/"):
        return world.url(endpoint)
    path = (
        rule.replace("<lang:lang>", "es")
        .replace("<slug>", "no-such-release")
        .replace("<key>", "no-such-key")
        .replace("<token>", "no-such-token")
        .replace("<reference>", "NOSUCHREF")
    )
    assert "<" not in path, f"no value for {rule}"
    return path


def lands_off_site(url: str, allowed=()) -> bool:
    """Would a browser leave our host following ``url``? Browsers read "\\" as "/"
    in http(s) URLs and drop leading spaces and controls."""
    if url in allowed or url.startswith("data:image/"):  # an inline image (the QR code)
        return False
    cleaned = re.sub(r"^[\x00-\x20]+", "", url).replace("\\", "/")
    # "http:/evil.example" and "https:evil.example" name a host for a browser,
    # whatever number of slashes follows the scheme.
    explicit = re.match(r"(?i)https?:/*([^/?#]*)", cleaned)
    if explicit:
        return explicit.group(1).split(":")[0].lower() != OUR_HOST
    resolved = urlsplit(urljoin(f"http://{OUR_HOST}/staff/x", cleaned))
    if resolved.scheme not in ("http", "https"):
        return True  # javascript:, data: ...
    return resolved.hostname != OUR_HOST


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and value is not None:
                self.urls.append(value)


def links(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.urls


# --- open redirects ---------------------------------------------------------------

REDIRECT_PARAMS = ("next", "from", "url", "return_to", "redirect", "continue", "came_from")


def rotations(values, slots):
    """Enough assignments of ``values`` to ``slots`` that each value fills some
    slot once: a few requests instead of one per value."""
    rounds = -(-len(values) // len(slots))
    return [
        {slot: values[(r * len(slots) + k) % len(values)] for k, slot in enumerate(slots)}
        for r in range(rounds)
    ]


def test_no_redirect_or_link_leaves_our_host(app, world):
    """Every GET route, anonymous and logged in, with every foreign target in one
    of the usual redirect parameters: no Location and no link on the page leaves
    our host. Then every POST that redirects (login, take-next, logout)."""
    allowed = (app.config["QUICK_EXIT_URL"], "data:,")  # "data:,": no favicon request
    queries = rotations(FOREIGN_TARGETS, REDIRECT_PARAMS)
    for client in (app.test_client(), world.client):
        for endpoint, rule in routes(app, "GET"):
            for query in queries:
                with client.get(build(world, endpoint, rule), query_string=query) as response:
                    # The CSV export streams; the WordPress plugin is a zip.
                    page = response.get_data(as_text=response.mimetype.startswith("text/"))
                if response.status_code in (301, 302, 303, 307, 308):
                    # Only /embed/leave goes off site: to the configured neutral site,
                    # whatever the query says.
                    assert not lands_off_site(response.location, allowed), (
                        rule,
                        response.location,
                    )
                if response.mimetype == "text/html":
                    assert [u for u in links(page) if lands_off_site(u, allowed)] == [], rule
    visitor = app.test_client()
    token = csrf_token(visitor.get("/staff/login").get_data(as_text=True))
    for client, endpoint, data in (
        (visitor, "staff.login.login", {**VALID["staff.login.login"](world), "csrf_token": token}),
        (world.client, "staff.triage.take_next", {}),
        (world.client, "staff.login.logout", {}),
    ):
        if "csrf_token" not in data:
            data["csrf_token"] = csrf_token(client.get("/staff/account").get_data(as_text=True))
        query = queries[0]
        response = client.post(world.url(endpoint), query_string=query, data={**query, **data})
        assert response.status_code == 302, endpoint
        assert not lands_off_site(response.location), (endpoint, response.location)


def test_the_redirect_check_would_see_an_open_redirect(app, world):
    """The check above is not blind: a route that followed ``next`` is caught."""

    # The encoded and dot-segment ones are paths on our host as they stand: they
    # matter only if a server decodes or normalises them into a redirect.
    for target in (t for t in FOREIGN_TARGETS if "%2F" not in t and "/./" not in t):
        assert lands_off_site(target), target
    assert not lands_off_site("/staff/") and not lands_off_site("http://localhost/help")


# --- oversized bodies ---------------------------------------------------------------


@pytest.mark.parametrize("multipart", [False, True], ids=["urlencoded", "multipart"])
def test_oversized_body_is_413_on_every_post_route_and_nothing_is_stored(app, world, multipart):
    limit = app.config["MAX_CONTENT_LENGTH"]
    token = csrf_token(world.client.get("/staff/account").get_data(as_text=True))
    public_token = form_token(world.client.get("/help").get_data(as_text=True))
    before = snapshot(app)
    posts = routes(app, "POST")
    assert len(posts) > 20
    for endpoint, rule in posts:
        # Both forms' tokens, under the one name: the staff one and the public form's.
        data = {**ANSWERS, "csrf_token": [token, public_token], "pad": "x" * limit}
        response = world.client.post(
            build(world, endpoint, rule),
            data=data,
            headers=OWN,
            content_type="multipart/form-data" if multipart else None,
        )
        assert response.status_code == 413, rule
        if rule.startswith("/api/"):  # the API answers in JSON
            assert "exceeds the capacity limit" in response.get_json()["error"], rule
        else:
            assert too_large(app, rule) in response.get_data(as_text=True), rule
        assert_hardened(response)
    assert snapshot(app) == before


# --- overlong fields -----------------------------------------------------------------

FORM_LIMITS = {"name": 100, "detention_facility": 120, "summary": 1000, "phone": 30, "email": 254}


@pytest.mark.parametrize(("field", "limit"), FORM_LIMITS.items())
def test_overlong_answer_is_a_form_error_and_the_longest_allowed_is_stored(
    app, client, field, limit
):
    fill = {"phone": "1" * 31, "email": "a" * 250 + "@b.org"}.get(field, "é" * (limit + 1))
    check, done = submit_answers(client, detained="yes", **{field: fill})
    for response in (check, done):
        assert response.status_code == 200
        assert f'id="{field}-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(HelpRequest)).first() is None
    if field in ("name", "detention_facility", "summary"):
        longest = "é" * limit  # two bytes each in UTF-8: columns must hold them
        check, done = submit_answers(client, detained="yes", **{field: longest})
        assert "reference" in done.get_data(as_text=True)
        assert getattr(only_request(app), field) == longest


STAFF_OVERLONG = {
    "staff.triage.add_note": {"text": "n" * (casework.NOTE_MAX + 1)},
    "staff.triage.change_status": {
        "status": "in_review",
        "version": "1",
        "reason": "r" * (casework.REASON_MAX + 1),
    },
    "staff.triage.override_screen": {
        "screen": "needs_review",
        "version": "1",
        "reason": "r" * (casework.REASON_MAX + 1),
    },
    "staff.editorial.new": {**VALID["staff.editorial.new"](None), "title": "t" * 301},
    "staff.editorial.edit": {**VALID["staff.editorial.edit"](None), "section": "s" * 61},
    "staff.partners.new": {**VALID["staff.partners.new"](None), "name": "p" * 121},
    "staff.partners.show": {**VALID["staff.partners.show"](None), "name": "p" * 121},
    "staff.users.invite": {"email": "a" * 250 + "@b.org", "role": "reviewer"},
    "staff.login.login": {"email": "a" * 250 + "@b.org", "password": "x" * 5000, "code": "1" * 500},
    "staff.login.account": {"current": "x" * 5000, "password": "y" * 257, "confirm": "y" * 257},
}


@pytest.mark.parametrize("endpoint", STAFF_OVERLONG)
def test_overlong_staff_field_is_a_form_error_not_a_crash(app, world, endpoint):
    client = app.test_client() if endpoint == "staff.login.login" else world.client
    token = csrf_token(
        client.get(
            "/staff/login" if endpoint == "staff.login.login" else "/staff/account"
        ).get_data(as_text=True)
    )
    before = snapshot(app)
    response = client.post(
        world.url(endpoint), data={**STAFF_OVERLONG[endpoint], "csrf_token": token}, headers=OWN
    )
    assert response.status_code in (200, 400), response.status_code
    page = response.get_data(as_text=True)
    # The field's own error next to it (the login: its one generic message).
    assert 'class="field-error"' in page or accounts.GENERIC_LOGIN_ERROR in page, page
    after = snapshot(app)
    # A refused login or password is counted and audited: nothing else changes.
    for table in ("help_request", "case_note", "case_status_change", "release", "partner"):
        assert after[table] == before[table], table


# --- NUL bytes and lone surrogates ------------------------------------------------------

BAD_BYTES = ("%00", "%ED%A0%80", "%C0%80", "%FF")


def test_unreadable_bytes_are_400_on_every_route(app, world):
    """A NUL byte or bytes that are not UTF-8 (a lone surrogate, an overlong NUL,
    a stray byte) in the path, the query string or the form body of every route,
    anonymous and logged in: each route meets each kind in one of the three."""
    before = snapshot(app)
    token = csrf_token(world.client.get("/staff/account").get_data(as_text=True))
    public_token = form_token(world.client.get("/help").get_data(as_text=True))
    clean = f"csrf_token={token}&csrf_token={public_token}&name=ok"
    every = [(m, *route) for m in ("GET", "POST") for route in routes(app, m)]
    for n, (method, endpoint, rule) in enumerate(every):
        url = build(world, endpoint, rule)
        bad = [BAD_BYTES[(n + k) % len(BAD_BYTES)] for k in range(3)]
        body = clean if method == "POST" else None
        attempts = [(url.rstrip("/") + f"/x{bad[0]}y", "", body), (url, f"q=a{bad[1]}b", body)]
        if method == "POST":
            attempts.append((url, "", f"{clean}&name=a{bad[2]}b&text=a{bad[2]}b"))
        for client in (app.test_client(), world.client):
            for path, query, data in attempts:
                response = client.open(
                    path,
                    method=method,
                    query_string=query,
                    data=data,
                    content_type="application/x-www-form-urlencoded" if data else None,
                    headers=OWN,
                    # The path as a server passes it: raw bytes (the test client
                    # would decode them, replacing what is not UTF-8).
                    environ_overrides={"PATH_INFO": unquote_to_bytes(path).decode("latin-1")},
                )
                assert response.status_code == 400, (method, path, query, data)
                assert_hardened(response)
    assert snapshot(app) == before


# --- bidi overrides ------------------------------------------------------------------------


def test_bidi_overrides_in_a_name_are_gone_by_the_time_staff_read_it(
    app, client, make_staff, login_as
):
    check, done = submit_answers(client, name="\u202eninja\u202c\u2066 Amal\u2069\u200b Haddad")
    row = only_request(app)
    assert row.name == "ninja Amal Haddad"
    login_as(client, make_staff("reviewer"))
    case = client.get(f"/staff/cases/{row.reference}").get_data(as_text=True)
    assert "ninja Amal Haddad" in case
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b]", case)


# --- searches --------------------------------------------------------------------------------

INJECTIONS = (
    "' OR 1=1--",
    "' OR '1'='1",
    '" OR ""="',
    "%",
    "_",
    "%%",
    "\\",
    "\\%",
    "*",
    "1;DROP TABLE help_request",
)


def queue_refs(response) -> list[str]:
    return re.findall(
        r'<th scope="row"><a href="/staff/cases/([0-9A-Z-]+)[?"]', response.get_data(as_text=True)
    )


def test_injection_in_every_search_is_literal(app, client, make_staff, login_as, make_request):
    for n in range(3):
        make_request(preferred_language=f"Lang{n}", reference=f"0A1B2C3{n}")
    login_as(client, make_staff("admin"))
    everything = set(queue_refs(client.get("/staff/", query_string={"status": "all"})))
    assert len(everything) == 3
    for typed in INJECTIONS:
        for name in ("reference", "language", "status", "screen", "claim", "assignee", "mine"):
            response = client.get("/staff/", query_string={"status": "all", name: typed})
            assert response.status_code == 200, (name, typed)
            found = set(queue_refs(response))
            assert found <= everything, (name, typed)
            if name in ("reference", "language"):  # free text, matched literally: nothing
                assert found == set(), (name, typed)
        audit = client.get("/staff/audit", query_string={"action": typed})
        assert audit.status_code == 200
        assert "No events." in audit.get_data(as_text=True), typed
    # A "%" that reached LIKE unescaped would match this one; the control finds it.
    response = client.get("/staff/", query_string={"status": "all", "language": "Lang1"})
    assert len(queue_refs(response)) == 1


# --- mass assignment --------------------------------------------------------------------------


def test_forged_fields_on_the_public_form_are_ignored(app, client, make_partner):
    """The same answers with and without every forged field: the same assessment,
    and nothing the form does not ask is taken from the post."""
    partner = make_partner()
    recent = {"arrival_month": "10", "arrival_year": "2026"}  # computed: not critical
    submit_answers(client, **recent)
    submit_answers(client, **recent, **{**FORGED_FIELDS, "partner_id": str(partner.id)})
    with app.app_context():
        query = db.select(HelpRequest).order_by(HelpRequest.id)
        plain, forged = db.session.execute(query).scalars()
        db.session.expunge_all()
    assert forged.reference != "FORGED0001" and forged.submission_key != "forged"
    assert (forged.status, forged.version, forged.assignee_id, forged.partner_id) == (
        "new",
        1,
        None,
        None,
    )
    assert forged.screen_override is None and forged.id != 999999
    assert forged.created_at.year > 2000
    computed = ("screen", "urgency", "urgency_rank", "reasons", "flags")
    assert [getattr(forged, c) for c in computed] == [getattr(plain, c) for c in computed]
    assert (forged.screen, forged.urgency) != (FORGED_FIELDS["screen"], FORGED_FIELDS["urgency"])


# What each form may change, in the terms of _watched.
OFFERED = {
    "staff.triage.add_note": {"notes"},
    "staff.triage.change_status": {"case.status", "case.version"},
    "staff.triage.override_screen": {"case.screen_override", "case.version"},
    "staff.triage.assign": {"case.assignee_id", "case.version"},
    "staff.editorial.edit": {"release.title", "release.body_html"},
    "staff.partners.show": {"partner.name"},
    "staff.partners.toggle_active": {"partner.active"},
    "staff.users.invite": {"staff.count"},
    "staff.users.change_role": {"target.role", "target.session_epoch", "staff.admins"},
    "staff.login.account": {"admin.password_hash", "admin.session_epoch"},
}


@pytest.mark.parametrize("endpoint", OFFERED)
def test_forged_fields_on_staff_forms_are_ignored(app, world, endpoint):
    """Each form with every forged field it does not offer: only what the form
    offers changes (its own columns), the rest of the row is as before."""
    body = VALID[endpoint](world)
    forged = {k: v for k, v in FORGED_FIELDS.items() if k not in body}
    token = csrf_token(world.client.get("/staff/account").get_data(as_text=True))
    before = _watched(app, world)
    response = world.client.post(
        world.url(endpoint), data={**forged, **body, "csrf_token": token}, headers=OWN
    )
    assert response.status_code in (200, 302), response.status_code
    after = _watched(app, world)
    offered = OFFERED[endpoint]
    for key, value in before.items():
        if key not in offered:
            assert after[key] == value, key
    assert any(after[key] != before[key] for key in offered), "the change itself happened"


def _watched(app, world) -> dict:
    """The columns a forged field could aim at, on each object the forms touch."""
    with app.app_context():
        case = db.session.execute(
            db.select(HelpRequest).filter_by(reference=world.case.reference)
        ).scalar_one()
        release = db.session.get(Release, world.release_id)
        partner = db.session.get(Partner, world.partner.id)
        values = {
            f"case.{c}": getattr(case, c)
            for c in (
                "reference",
                "status",
                "screen",
                "screen_override",
                "urgency",
                "urgency_rank",
                "assignee_id",
                "partner_id",
                "version",
                "submission_key",
                "created_at",
                "status_changed_at",
            )
            if hasattr(case, c)
        }
        values |= {
            f"release.{c}": getattr(release, c)
            for c in ("slug", "title", "body_html", "is_published", "id")
        }
        values |= {
            f"partner.{c}": getattr(partner, c) for c in ("key", "name", "origins", "active", "id")
        }
        for who in ("admin", "target"):
            user = db.session.get(StaffUser, getattr(world, who).id)
            values |= {
                f"{who}.{c}": getattr(user, c)
                for c in (
                    "email",
                    "role",
                    "active",
                    "password_hash",
                    "totp_secret",
                    "session_epoch",
                )
            }
        values["notes"] = db.session.execute(
            db.select(db.func.count()).select_from(Note)
        ).scalar_one()
        values["staff.count"] = db.session.execute(
            db.select(db.func.count()).select_from(StaffUser)
        ).scalar_one()
        values["staff.admins"] = db.session.execute(
            db.select(db.func.count()).select_from(StaffUser).filter_by(role="admin")
        ).scalar_one()
        return values


# --- mail header injection ------------------------------------------------------------------


MESSAGE_HEADERS = {
    "Subject",
    "From",
    "To",
    "Content-Type",
    "Content-Transfer-Encoding",
    "MIME-Version",
}


def test_header_injection_in_any_field_adds_no_recipient(app, mail_client, sink):
    """Critical requests (so mail is sent) with each payload in the name and the
    source (which take anything), then in every other field in turn: whatever
    is stored or refused, every mail goes to the configured address alone, with
    our headers alone."""
    for payload in HEADER_INJECTION:
        submit_answers(mail_client, detained="yes", name=payload, **{"from": payload})
    for n, field in enumerate(ANSWERS):
        payload = HEADER_INJECTION[n % len(HEADER_INJECTION)]
        submit_answers(mail_client, **{"detained": "yes", field: payload})
    with app.app_context():
        rows = db.session.execute(db.select(HelpRequest)).scalars().all()
        assert all(row.urgency == "critical" for row in rows)
    assert len(rows) >= len(HEADER_INJECTION)
    assert len(sink.messages) == len(rows)
    for message in sink.messages:
        assert message["to"] == [NOTIFY]
        parsed = email.message_from_bytes(message["data"])
        assert set(parsed.keys()) == MESSAGE_HEADERS
        assert parsed.get_all("To") == [NOTIFY]
        assert b"evil.example" not in message["data"]


@pytest.mark.parametrize(
    "config", [{"PUBLIC_BASE_URL": "https://help.org.example"}, {"TRUSTED_HOSTS": ["localhost"]}]
)
def test_a_forged_host_cannot_put_its_link_in_the_staff_mail(app, mail_client, sink, config):
    """The mail's link to the queue names a host: with PUBLIC_BASE_URL it is
    that one whatever the Host header says; with TRUSTED_HOSTS a forged Host is
    refused before anything is stored. (With neither, the link follows the Host
    header: only in development, since production refuses to start with staff
    email and no PUBLIC_BASE_URL — see test_production_staff_mail_needs_a_public_base.)"""
    app.config.update(config)
    evil = {"Host": "evil.example"}
    data = {**ANSWERS, "detained": "yes", "csrf_token": form_token(mail_client.get("/help").text)}
    response = mail_client.post("/help/submit", data=data, headers=evil)
    response.close()  # queued mail goes once the page is sent
    with app.app_context():
        stored = db.session.execute(db.select(db.func.count()).select_from(HelpRequest)).scalar()
    if "TRUSTED_HOSTS" in config:
        assert (response.status_code, stored, sink.messages) == (400, 0, [])
    else:
        assert stored == 1
        (message,) = sink.messages
        assert b"https://help.org.example/staff/" in message["data"]
        assert b"evil.example" not in message["data"]


# --- headers on real responses -------------------------------------------------------------------


def test_headers_on_real_routes_of_every_status(
    app_factory, make_staff, login_as, make_request, monkeypatch
):
    for production in (False, True):
        real = app_factory(PROPAGATE_EXCEPTIONS=False, PRODUCTION=production)
        client = real.test_client()
        seen = set()

        def check(response, status, production=production, seen=seen):
            assert response.status_code == status
            assert_hardened(response, production=production)
            seen.add(status)

        check(client.get("/help"), 200)
        check(client.get("/staff/"), 302)
        check(client.get("/press/no-such-release"), 404)
        check(client.get("/help?q=%00"), 400)
        check(
            client.post("/help/submit", data={"pad": "x" * real.config["MAX_CONTENT_LENGTH"]}), 413
        )
        user = make_staff("reviewer")
        if not production:  # the Secure cookie is not sent back over http
            login_as(client, user)
            case = make_request()
            check(client.get(f"/staff/cases/{case.reference}"), 200)
            check(client.post(f"/staff/cases/{case.reference}/notes", data={"text": "x"}), 403)
            check(client.get("/staff/cases/NOSUCHCASE"), 404)
            monkeypatch.setattr(casework, "queue_page", _boom)
            check(client.get("/staff/"), 500)
            monkeypatch.undo()
        else:
            check(client.post("/staff/login", data={"email": "x"}), 403)
            monkeypatch.setattr("intake.public.press.render_template", _boom)
            check(client.get("/"), 500)
            monkeypatch.undo()
        assert set(seen) == {200, 302, 400, 403, 404, 413, 500}


def _boom(*args, **kwargs):
    raise RuntimeError("kaboom")


@pytest.mark.parametrize("missing", ["PUBLIC_BASE_URL", "TRUSTED_HOSTS"])
def test_production_needs_a_public_base_and_trusted_hosts(app_factory, missing):
    """Production without PUBLIC_BASE_URL or TRUSTED_HOSTS does not start: no
    link (oEmbed's, publicly cached; the staff mail's) may come from a visitor's
    Host header."""
    with pytest.raises(RuntimeError, match=f"INTAKE_{missing}"):
        app_factory(PRODUCTION=True, **{missing: None})
    app_factory(
        PRODUCTION=True,
        STAFF_NOTIFY_EMAIL="team@org.example",
        PUBLIC_BASE_URL="https://help.org.example",
        TRUSTED_HOSTS=["help.org.example"],
    )

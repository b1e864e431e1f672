"""Registering partner sites (admin only) and the origins they may frame from."""

import html

import pytest

from intake.db import db
from intake.models import AuditEvent, Partner
from intake.origins import InvalidOrigin, normalise_origin
from intake.staff.admin.partners import parse_origins
from tests.support.apps import make_test_app
from tests.support.tokens import csrf_token


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://press.example.org", "https://press.example.org"),
        ("  HTTPS://Press.Example.ORG/  ", "https://press.example.org"),
        ("https://press.example.org:443", "https://press.example.org"),
        ("https://press.example.org:8443/", "https://press.example.org:8443"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
        ("https://203.0.113.7", "https://203.0.113.7"),
        ("http://localhost:5000", "http://localhost:5000"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("http://localhost:80", "http://localhost"),
    ],
)
def test_origins_are_normalised(typed, stored):
    assert normalise_origin(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "press.example.org",  # no scheme
        "http://press.example.org",  # http only for development hosts
        "ftp://press.example.org",
        "javascript:alert(1)",
        "https://press.example.org/news",  # a path
        "https://press.example.org/?a=1",
        "https://press.example.org#x",
        "https://*.example.org",  # wildcard
        "https://user:pw@press.example.org",
        "https://press.example.org 'unsafe-inline'",
        "https://press.example.org;script-src",
        "https://press.example.org,https://evil.example",
        'https://press.example.org"',
        "https://press.example.org\nX-Header: 1",
        "https://exa_mple.org",
        "https://press.example.org:99999",
        "https://[::1]",
        "https://-bad.example.org",
        "https://example..org",
        "'self'",
        "*",
        "null",
    ],
)
def test_bad_origins_are_refused(typed):
    with pytest.raises(InvalidOrigin):
        normalise_origin(typed)


def test_parse_origins_one_per_line_without_duplicates():
    text = "https://a.example.org\r\nHTTPS://A.example.org/\n\n  https://b.example.org  "
    assert parse_origins(text) == ["https://a.example.org", "https://b.example.org"]
    with pytest.raises(InvalidOrigin):
        parse_origins("   \n ")
    with pytest.raises(InvalidOrigin):
        parse_origins("\n".join(f"https://s{n}.example.org" for n in range(21)))


# --- The admin pages -------------------------------------------------------------


@pytest.fixture
def admin(client, make_staff, login_as):
    user = make_staff(role="admin")
    login_as(client, user)
    return user


def partners_in_db(app):
    with app.app_context():
        return db.session.execute(db.select(Partner).order_by(Partner.id)).scalars().all()


def register(client, **form):
    page = client.get("/staff/partners/new")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "active": "y", **form}
    return client.post("/staff/partners/new", data=data)


def test_staff_pages_need_a_login(app, client, make_partner):
    partner = make_partner()
    for path in ("/staff/partners/", "/staff/partners/new", f"/staff/partners/{partner.id}"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith("/staff/login")
    # A POST without a session fails the CSRF check, or without it the login guard.
    assert client.post(f"/staff/partners/{partner.id}/active").status_code == 403
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post(f"/staff/partners/{partner.id}/active").status_code == 302
    assert partners_in_db(app)[0].active is True


@pytest.mark.parametrize("role", ["reviewer", "volunteer", "editor"])
def test_other_roles_are_refused(app, client, make_staff, login_as, make_partner, role):
    partner = make_partner()
    login_as(client, make_staff(role=role))
    assert client.get("/staff/partners/").status_code == 403
    assert client.get("/staff/partners/new").status_code == 403
    assert client.get(f"/staff/partners/{partner.id}").status_code == 403
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post(f"/staff/partners/{partner.id}/active", data={}).status_code == 403
    assert partners_in_db(app)[0].active is True


def test_admin_registers_a_partner_and_gets_both_snippets(app, client, admin):
    response = register(
        client, name="Our press page", origins="HTTPS://Press.Example.org/\nhttp://localhost:8000"
    )
    assert response.status_code == 302
    (partner,) = partners_in_db(app)
    assert partner.name == "Our press page"
    assert partner.origin_list == ["https://press.example.org", "http://localhost:8000"]
    assert partner.active is True
    assert len(partner.key) == 16 and partner.key.isalnum()

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "registered" in page
    textareas = [
        html.unescape(part.split(">", 1)[1].split("</textarea>", 1)[0])
        for part in page.split("<textarea")[1:]
    ]
    script_snippet, iframe_snippet = textareas[-2:]
    assert f"/embed/help?partner={partner.key}" in script_snippet or (
        f"/embed/cta?partner={partner.key}" in script_snippet
    )
    assert '<script src="http://localhost/embed.js" async></script>' in script_snippet
    assert "Seeking asylum?" in script_snippet and "we can help." in script_snippet
    assert f'src="http://localhost/embed/cta?partner={partner.key}"' in iframe_snippet
    assert 'referrerpolicy="no-referrer"' in iframe_snippet
    assert 'loading="lazy"' in iframe_snippet
    assert "readonly" in page.split("<textarea", 2)[2].split(">", 1)[0]

    with app.app_context():
        events = (
            db.session.execute(db.select(AuditEvent).where(AuditEvent.target_type == "partner"))
            .scalars()
            .all()
        )
        assert [(e.action, e.target, e.actor_id) for e in events] == [
            ("partner.create", str(partner.id), admin.id)
        ]


def test_invalid_origins_are_explained_and_nothing_is_stored(app, client, admin):
    response = register(client, name="Bad", origins="https://ok.example.org\nhttps://*.evil.org")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "no wildcard" in page
    assert 'href="#origins"' in page and 'aria-invalid="true"' in page
    # What the admin typed is kept.
    assert "https://ok.example.org" in page
    assert partners_in_db(app) == []


def test_missing_csrf_token_is_refused(app, client, admin):
    response = client.post(
        "/staff/partners/new", data={"name": "X", "origins": "https://x.example.org"}
    )
    assert response.status_code == 403
    assert partners_in_db(app) == []


def test_names_are_escaped(app, client, admin):
    register(client, name="<script>alert(1)</script>", origins="https://x.example.org")
    page = client.get("/staff/partners/").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_admin_edits_and_deactivates_a_partner(app, client, admin, make_partner):
    partner = make_partner(origins=("https://old.example.org",))
    page = client.get(f"/staff/partners/{partner.id}").get_data(as_text=True)
    assert "https://old.example.org" in page
    response = client.post(
        f"/staff/partners/{partner.id}",
        data={
            "csrf_token": csrf_token(page),
            "name": "Renamed",
            "origins": "https://new.example.org",
            "active": "y",
        },
    )
    assert response.status_code == 302
    (stored,) = partners_in_db(app)
    assert (stored.name, stored.origin_list, stored.key) == (
        "Renamed",
        ["https://new.example.org"],
        partner.key,  # the key in the snippets stays the same
    )

    index = client.get("/staff/partners/").get_data(as_text=True)
    response = client.post(
        f"/staff/partners/{partner.id}/active",
        data={"csrf_token": csrf_token(index), "active": "0"},
    )
    assert response.status_code == 302
    assert partners_in_db(app)[0].active is False
    index = client.get("/staff/partners/").get_data(as_text=True)
    assert "Inactive" in index and "Activate" in index
    with app.app_context():
        actions = (
            db.session.execute(
                db.select(AuditEvent.action)
                .where(AuditEvent.target_type == "partner")
                .order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
    assert actions == ["partner.update", "partner.deactivate"]


def test_unknown_partner_page_is_404(client, admin):
    assert client.get("/staff/partners/999999").status_code == 404


def test_snippet_in_another_language(database_uri, make_staff, login_as, make_partner):
    app = make_test_app(database_uri, LANGUAGES=["en", "es"])
    client = app.test_client()
    login_as(client, make_staff(role="admin"))
    partner = make_partner()
    page = client.get(f"/staff/partners/{partner.id}?snippet_lang=es").get_data(as_text=True)
    assert f"http://localhost/es/embed/cta?partner={partner.key}" in page
    assert 'lang="es"' in html.unescape(page)
    assert client.get(f"/staff/partners/{partner.id}?snippet_lang=xx").status_code == 404


def test_nav_links_partners_for_admins(client, admin):
    page = client.get("/staff/partners/").get_data(as_text=True)
    assert 'href="/staff/partners/"' in page and "Partners" in page

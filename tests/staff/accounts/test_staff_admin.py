"""Staff administration (invite, role, deactivate, re-invite), the audit log
viewer, the create-staff command, and the password and TOTP helpers."""

import re

import pytest

from intake.cases import audit
from intake.db import db
from intake.models import Invitation, StaffUser
from intake.staff.accounts import operations as accounts
from intake.staff.accounts import passwords, second_factor
from tests.support.staff import STAFF_PASSWORD, events, stored_user
from tests.support.tokens import csrf_token


def post(client, page_path, action_path, **data):
    page = client.get(page_path)
    return client.post(action_path, data={"csrf_token": csrf_token(page.text), **data})


@pytest.fixture
def admin_client(app, make_staff, login_as):
    client = app.test_client()
    client.admin = make_staff("admin")
    login_as(client, client.admin)
    return client


# --- invitations through the UI ----------------------------------------------------


def test_admin_invites_a_person_and_gets_a_working_link(app, admin_client):
    response = post(
        admin_client,
        "/staff/users/invite",
        "/staff/users/invite",
        email="New@Staff.Example",
        role="editor",
    )
    assert response.status_code == 200
    link = re.search(r'value="(http://localhost/staff/enrol/[^"]+)"', response.text).group(1)
    assert app.test_client().get(link.removeprefix("http://localhost")).status_code == 200
    with app.app_context():
        person = db.session.execute(
            db.select(StaffUser).filter_by(email="new@staff.example")
        ).scalar_one()
        assert person.role == "editor" and not person.enrolled
    event = events(app, "staff.invite")[-1]
    assert event.actor_id == admin_client.admin.id and event.target == str(person.id)
    assert "role=editor" in event.detail
    listing = admin_client.get("/staff/users")
    assert "new@staff.example" in listing.text and "invited" in listing.text


def test_invite_uses_public_base_url(app_factory, make_staff, login_as):
    app = app_factory(PUBLIC_BASE_URL="https://help.example.org/")
    client = app.test_client()
    admin = make_staff("admin")
    login_as(client, admin)
    response = post(
        client,
        "/staff/users/invite",
        "/staff/users/invite",
        email="a@staff.example",
        role="reviewer",
    )
    assert 'value="https://help.example.org/staff/enrol/' in response.text


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        ("not-an-email", "reviewer", "does not look like an email"),
        ("<script>alert(1)</script>@x.example", "reviewer", "does not look like an email"),
        ("someone@staff.example", "superuser", "Not a valid choice"),
    ],
)
def test_invite_refuses_bad_input(app, admin_client, email, role, message):
    response = post(
        admin_client, "/staff/users/invite", "/staff/users/invite", email=email, role=role
    )
    assert response.status_code == 400 and message in response.text
    assert "<script>alert(1)" not in response.text
    assert len(events(app, "staff.invite")) == 0


def test_invite_refuses_an_enrolled_email(app, admin_client, make_staff):
    existing = make_staff()
    response = post(
        admin_client,
        "/staff/users/invite",
        "/staff/users/invite",
        email=existing.email,
        role="admin",
    )
    assert response.status_code == 400 and "already exists" in response.text
    assert stored_user(app, existing.id).role == "reviewer"


def test_admin_post_without_csrf_changes_nothing(app, admin_client, make_staff):
    person = make_staff()
    for path, data in [
        (f"/staff/users/{person.id}/role", {"role": "admin"}),
        (f"/staff/users/{person.id}/deactivate", {}),
        (f"/staff/users/{person.id}/reinvite", {}),
        ("/staff/users/invite", {"email": "x@staff.example", "role": "admin"}),
        ("/staff/account", {"current": STAFF_PASSWORD, "password": "x" * 20, "confirm": "x" * 20}),
        ("/staff/logout", {}),
    ]:
        assert admin_client.post(path, data=data).status_code == 403, path
    after = stored_user(app, person.id)
    assert after.role == "reviewer" and after.active
    assert admin_client.get("/staff/users").status_code == 200  # still logged in
    assert [e.action for e in events(app)] == ["login"]


# --- role, deactivation, re-invitation ---------------------------------------------


def test_change_role_ends_sessions_and_is_audited(app, admin_client, make_staff, login_as):
    person = make_staff("volunteer")
    theirs = app.test_client()
    login_as(theirs, person)
    page = f"/staff/users/{person.id}"
    response = post(admin_client, page, f"{page}/role", role="reviewer")
    assert response.status_code == 302
    assert stored_user(app, person.id).role == "reviewer"
    assert theirs.get("/staff/account").status_code == 302  # log in again with the new role
    assert events(app, "staff.role")[-1].detail == "volunteer -> reviewer"


def test_admin_cannot_demote_or_deactivate_themselves(app, admin_client):
    me = admin_client.admin
    page = f"/staff/users/{me.id}"
    assert "This is your own account" in admin_client.get(page).text
    response = post(admin_client, "/staff/users", f"{page}/role", role="reviewer")
    assert response.status_code == 302
    assert "cannot change your own role" in admin_client.get(response.location).text
    response = post(admin_client, "/staff/users", f"{page}/deactivate")
    assert "cannot deactivate your own account" in admin_client.get(response.location).text
    after = stored_user(app, me.id)
    assert after.role == "admin" and after.active
    assert events(app, "staff.role") == [] and events(app, "staff.deactivate") == []


def test_deactivate_and_reactivate(app, admin_client, make_staff, login_as):
    person = make_staff()
    page = f"/staff/users/{person.id}"
    assert post(admin_client, page, f"{page}/deactivate").status_code == 302
    assert not stored_user(app, person.id).active
    assert "deactivated" in admin_client.get("/staff/users").text
    assert post(admin_client, page, f"{page}/reactivate").status_code == 302
    assert stored_user(app, person.id).active
    login_as(app.test_client(), person)
    assert [e.action for e in events(app)][-3:-1] == ["staff.deactivate", "staff.reactivate"]


def test_reinvite_gives_a_new_link_and_voids_the_old(app, admin_client, make_staff):
    with app.app_context():
        person, first = accounts.invite_staff("late@staff.example", "reviewer")
        db.session.commit()
        person_id = person.id
    page = f"/staff/users/{person_id}"
    response = post(admin_client, page, f"{page}/reinvite")
    assert response.status_code == 200
    second = re.search(r"/staff/enrol/([^\"]+)\"", response.text).group(1)
    assert app.test_client().get(f"/staff/enrol/{first}").status_code == 404
    assert app.test_client().get(f"/staff/enrol/{second}").status_code == 200


def test_reinvite_of_enrolled_person_replaces_credentials_once_used(
    app, admin_client, make_staff, login_as
):
    person = make_staff()
    page = f"/staff/users/{person.id}"
    response = post(admin_client, page, f"{page}/reinvite")
    path = re.search(r'value="http://localhost(/staff/enrol/[^"]+)"', response.text).group(1)
    login_as(app.test_client(), person)  # the old credentials still work meanwhile
    newcomer = app.test_client()
    form = newcomer.get(path)
    secret = (
        re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', form.text)
        .group(1)
        .replace(" ", "")
    )
    done = newcomer.post(
        path,
        data={
            "csrf_token": csrf_token(form.text),
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
            "code": second_factor.code_for(secret, second_factor.current_step()),
        },
    )
    assert done.status_code == 302
    after = stored_user(app, person.id)
    assert after.totp_secret == secret and after.session_epoch == 1


def test_reinvite_of_deactivated_person_is_refused(app, admin_client, make_staff):
    person = make_staff()
    with app.app_context():
        db.session.get(StaffUser, person.id).active = False
        db.session.commit()
    page = f"/staff/users/{person.id}"
    response = post(admin_client, page, f"{page}/reinvite")
    assert response.status_code == 302
    assert "Reactivate the account" in admin_client.get(response.location).text
    with app.app_context():
        assert db.session.execute(db.select(Invitation)).first() is None


def test_unknown_person_is_404(admin_client):
    assert admin_client.get("/staff/users/999999").status_code == 404
    assert post(admin_client, "/staff/users", "/staff/users/999999/deactivate").status_code == 404


# --- audit log viewer --------------------------------------------------------------


def add_events(app, count, action="case.view"):
    with app.app_context():
        for n in range(count):
            audit.record(action, "request", f"REF{n:05d}", f"event {n}")
        db.session.commit()


def test_audit_log_newest_first_paginated_and_filtered(app, admin_client):
    add_events(app, 60)
    add_events(app, 1, action="export.csv")
    first = admin_client.get("/staff/audit")
    assert first.status_code == 200
    # Newest first: the export, then view 59, 58, ...; "login" of the admin is oldest.
    assert (
        first.text.index("export.csv") < first.text.index("REF00059") < first.text.index("REF00058")
    )
    assert "REF00010" not in first.text and "Older" in first.text
    second = admin_client.get("/staff/audit?page=2")
    assert "REF00010" in second.text and "Newer" in second.text and "Older" not in second.text
    only = admin_client.get("/staff/audit?action=export.csv")
    assert "export.csv" in only.text and "REF00059" not in only.text
    assert admin_client.get("/staff/audit?page=-5").status_code == 200
    assert admin_client.get("/staff/audit?page=abc").status_code == 200


def test_audit_log_escapes_what_it_shows(app, admin_client):
    with app.app_context():
        audit.record("case.note", "request", "<b>REF</b>", "<script>alert(1)</script>")
        db.session.commit()
    page = admin_client.get("/staff/audit")
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text


def test_audit_log_cannot_be_changed(admin_client):
    token = csrf_token(admin_client.get("/staff/account").text)
    # POST reaches the route and is not allowed; methods the app never uses are
    # refused before routing (intake.hardening.ALLOWED_METHODS).
    for method, status in (("POST", 405), ("PUT", 501), ("PATCH", 501), ("DELETE", 501)):
        response = admin_client.open("/staff/audit", method=method, data={"csrf_token": token})
        assert response.status_code == status, method


# --- create-staff command ----------------------------------------------------------


def test_create_staff_prints_a_one_time_link(app, runner, client):
    result = runner.invoke(args=["create-staff", "First.Admin@Example.org", "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert "Invited first.admin@example.org as admin." in result.output
    assert "valid 72 hours" in result.output
    link = re.search(r"^(http://127\.0\.0\.1:5000/staff/enrol/\S+)$", result.output, re.M).group(1)
    assert client.get(link.removeprefix("http://127.0.0.1:5000")).status_code == 200
    event = events(app, "staff.invite")[-1]
    assert event.actor_id is None and event.detail == "role=admin"


def test_create_staff_uses_public_base_url(app, app_factory):  # app: emptied afterwards
    app = app_factory(PUBLIC_BASE_URL="https://help.example.org")
    result = app.test_cli_runner().invoke(
        args=["create-staff", "a@example.org", "--role", "editor"]
    )
    assert "https://help.example.org/staff/enrol/" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create-staff", "a@example.org", "--role", "root"], "Unknown role 'root'"),
        (["create-staff", "not an email", "--role", "admin"], "does not look like an email"),
        (["create-staff", "a@example.org"], "Missing option '--role'"),
    ],
)
def test_create_staff_errors(app, runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and message in result.output
    with app.app_context():
        assert db.session.execute(db.select(StaffUser)).first() is None


def test_create_staff_refuses_duplicate_but_reinvites_the_unenrolled(app, runner, make_staff):
    enrolled = make_staff(email="taken@example.org")
    result = runner.invoke(args=["create-staff", "TAKEN@example.org", "--role", "admin"])
    assert result.exit_code == 1 and "already exists" in result.output
    assert stored_user(app, enrolled.id).role == "reviewer"

    first = runner.invoke(args=["create-staff", "late@example.org", "--role", "volunteer"])
    again = runner.invoke(args=["create-staff", "late@example.org", "--role", "reviewer"])
    assert again.exit_code == 0
    with app.app_context():
        people = (
            db.session.execute(db.select(StaffUser).filter_by(email="late@example.org"))
            .scalars()
            .all()
        )
        assert len(people) == 1 and people[0].role == "reviewer"
        assert len(db.session.execute(db.select(Invitation)).scalars().all()) == 1
    old = first.output.strip().rsplit("/", 1)[1]
    new = again.output.strip().rsplit("/", 1)[1]
    client = app.test_client()
    assert client.get(f"/staff/enrol/{old}").status_code == 404
    assert client.get(f"/staff/enrol/{new}").status_code == 200


# --- passwords and codes -----------------------------------------------------------


def test_default_hasher_is_argon2id_and_old_hashes_are_upgraded_at_login(
    app_factory, make_staff, login_as
):
    """make_staff hashed with the cheap test parameters; an app with the real
    defaults re-hashes at the next successful login."""
    user = make_staff()
    app = app_factory(STAFF_ARGON2_PARAMETERS={})
    with app.app_context():
        cheap = db.session.get(StaffUser, user.id).password_hash
        assert passwords.needs_rehash(cheap)
    login_as(app.test_client(), user)
    with app.app_context():
        upgraded = db.session.get(StaffUser, user.id).password_hash
        assert upgraded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert not passwords.needs_rehash(upgraded)


def test_overlong_password_never_reaches_the_hasher(app, monkeypatch):
    calls = []
    with app.app_context():
        real = passwords._hasher()
        monkeypatch.setattr(passwords, "_hasher", lambda: calls.append(1) or real)
        with pytest.raises(passwords.PasswordRefused):
            passwords.hash_password("x" * 257)
        assert calls == []


def test_totp_window_and_replay():
    secret = second_factor.new_secret()
    now = second_factor.current_step()
    for offset in (-1, 0, 1):
        code = second_factor.code_for(secret, now + offset)
        assert second_factor.accepted_step(secret, code, None) == now + offset
    assert (
        second_factor.accepted_step(secret, second_factor.code_for(secret, now + 2), None) is None
    )
    code = second_factor.code_for(secret, now)
    assert second_factor.accepted_step(secret, code, now) is None
    assert second_factor.accepted_step(secret, f" {code[:3]} {code[3:]} ", now - 1) == now
    for bad in ("", "12345", "1234567", "١٢٣٤٥٦", "abcdef"):
        assert second_factor.accepted_step(secret, bad, None) is None
    assert second_factor.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"

"""Staff login and enrolment: invitation links, password and TOTP checks,
throttling, generic errors, sessions that end, timeouts, no open redirect."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from intake import timeutil
from intake.db import db
from intake.limits import limiter
from intake.models import Invitation, StaffUser
from intake.staff.accounts import operations as accounts
from intake.staff.accounts import second_factor
from tests.support.apps import raw_engine
from tests.support.staff import STAFF_PASSWORD, events, next_totp_code, stored_user
from tests.support.tokens import csrf_token

GENERIC = "Email, password or code not recognised."
NEW_PASSWORD = "a long passphrase with spaces ünïcode"


# --- helpers ---------------------------------------------------------------------


def invite(app, email="new.person@staff.example", role="reviewer") -> str:
    """Invite through the same function as the CLI; returns the link's path."""
    with app.app_context():
        _, token = accounts.invite_staff(email, role)
        db.session.commit()
    return f"/staff/enrol/{token}"


def enrol_page(client, path):
    page = client.get(path)
    assert page.status_code == 200
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page.text).group(1)
    return page, secret.replace(" ", "")


def submit_enrolment(client, path, page, password=NEW_PASSWORD, confirm=None, code="000000"):
    return client.post(
        path,
        data={
            "csrf_token": csrf_token(page.text),
            "password": password,
            "confirm": password if confirm is None else confirm,
            "code": code,
        },
    )


def attempt_login(client, email, password, code):
    form = client.get("/staff/login")
    return client.post(
        "/staff/login",
        data={
            "csrf_token": csrf_token(form.text),
            "email": email,
            "password": password,
            "code": code,
        },
    )


@pytest.fixture
def clock(monkeypatch):
    """A frozen, movable clock for intake.timeutil.utcnow."""

    class Clock:
        now = timeutil.utcnow().replace(microsecond=0)

        def advance(self, **delta):
            self.now += timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr(timeutil, "utcnow", lambda: frozen.now)
    return frozen


# --- enrolment -------------------------------------------------------------------


def test_full_enrolment_then_login_with_totp_lands_on_work_page(app, client):
    path = invite(app)
    page, secret = enrol_page(client, path)
    assert 'src="data:image/svg+xml' in page.text  # the QR code, drawn on the server
    assert re.search(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", page.text)  # secret grouped by 4
    assert "Cache-Control" in page.headers and page.headers["Cache-Control"] == "no-store"

    code = second_factor.code_for(secret, second_factor.current_step())
    done = submit_enrolment(client, path, page, code=code)
    assert done.status_code == 302 and done.location.endswith("/staff/login")

    with app.app_context():
        user = db.session.execute(
            db.select(StaffUser).filter_by(email="new.person@staff.example")
        ).scalar_one()
        assert user.enrolled and user.password_hash.startswith("$argon2id$")
        assert user.totp_secret == secret
        user_id = user.id
    # The same code confirmed enrolment, so it cannot log in too.
    assert GENERIC in attempt_login(client, "new.person@staff.example", NEW_PASSWORD, code).text
    later = second_factor.code_for(secret, second_factor.current_step() + 1)
    response = attempt_login(client, "New.Person@Staff.Example ", NEW_PASSWORD, later)
    assert response.status_code == 302
    landing = client.get(response.location)
    assert landing.status_code == 200
    assert "staff.example" in landing.text or "Queue" in landing.text
    actions = [e.action for e in events(app)]
    assert actions[:2] == ["staff.invite", "staff.enrol"] and actions[-1] == "login"
    assert all(e.target == str(user_id) for e in events(app) if e.action != "login.failed")


def test_enrolment_link_works_once(app, client):
    path = invite(app)
    page, secret = enrol_page(client, path)
    code = second_factor.code_for(secret, second_factor.current_step())
    assert submit_enrolment(client, path, page, code=code).status_code == 302
    again = client.get(path)
    assert again.status_code == 404 and "not valid" in again.text
    replay = client.post(path, data={"csrf_token": csrf_token(page.text), "password": "x" * 20})
    assert replay.status_code == 404


def test_expired_invitation_is_refused(app, client, clock):
    path = invite(app)
    clock.advance(hours=72, seconds=1)
    assert client.get(path).status_code == 404


def test_invitation_still_good_just_before_72_hours(app, client, clock):
    path = invite(app)
    clock.advance(hours=71, minutes=59)
    assert client.get(path).status_code == 200


def test_unknown_or_absurd_token_is_404(client):
    assert client.get("/staff/enrol/not-a-token").status_code == 404
    assert client.get("/staff/enrol/" + "a" * 5000).status_code == 404


def test_only_the_token_hash_is_stored(app, database_uri):
    path = invite(app)
    token = path.rsplit("/", 1)[1]
    engine = raw_engine(database_uri)
    with engine.connect() as conn:
        stored_hash = conn.execute(text("SELECT token_hash FROM staff_invitation")).scalar_one()
    engine.dispose()
    assert token not in stored_hash and stored_hash == accounts.token_hash(token)


def test_reinviting_voids_the_old_link(app, client):
    first = invite(app)
    second = invite(app)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_enrolment_with_wrong_code_keeps_the_link_and_changes_nothing(app, client):
    path = invite(app)
    page, secret = enrol_page(client, path)
    wrong = str((int(second_factor.code_for(secret, second_factor.current_step())) + 1) % 10**6)
    response = submit_enrolment(client, path, page, code=wrong.zfill(6))
    assert response.status_code == 400 and "That code is not right" in response.text
    assert 'href="#code"' in response.text  # the error summary links to the field
    # The secret shown again is the same one: the app already holds it.
    _, shown_again = enrol_page(client, path)
    assert shown_again == secret
    with app.app_context():
        user = db.session.execute(db.select(StaffUser)).scalar_one()
        assert not user.enrolled
        assert db.session.execute(db.select(Invitation)).scalar_one().used_at is None


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short pass", None, "at least 12"),
        ("x" * 257, None, "at most 256"),
        (" " * 20, None, "only spaces"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "differ"),
    ],
)
def test_enrolment_password_rules(app, client, monkeypatch, password, confirm, message):
    from intake.staff.accounts import passwords

    hashed = []
    monkeypatch.setattr(passwords, "hash_password", lambda pw: hashed.append(pw) or "")
    path = invite(app)
    page, secret = enrol_page(client, path)
    code = second_factor.code_for(secret, second_factor.current_step())
    response = submit_enrolment(client, path, page, password, confirm, code)
    assert response.status_code == 400 and message in response.text
    assert hashed == []  # refused before any hashing
    assert password not in response.text  # never echoed back


def test_longest_allowed_passphrase_works(app, client):
    path = invite(app)
    page, secret = enrol_page(client, path)
    code = second_factor.code_for(secret, second_factor.current_step())
    passphrase = "ünïcode wörds " * 18 + "abcd"  # 256 characters
    assert len(passphrase) == 256
    assert submit_enrolment(client, path, page, passphrase, code=code).status_code == 302
    later = second_factor.code_for(secret, second_factor.current_step() + 1)
    assert attempt_login(client, "new.person@staff.example", passphrase, later).status_code == 302


# --- login -----------------------------------------------------------------------


def test_wrong_password_wrong_code_unknown_account_look_the_same(app, client, make_staff):
    user = make_staff()
    code = next_totp_code(app, user)
    wrong_code = str((int(code) + 1) % 10**6).zfill(6)
    responses = [
        attempt_login(client, user.email, "not the password at all", code),
        attempt_login(client, user.email, STAFF_PASSWORD, wrong_code),
        attempt_login(client, "nobody@staff.example", STAFF_PASSWORD, code),
        attempt_login(client, user.email, STAFF_PASSWORD, "12 45"),
        attempt_login(client, user.email, STAFF_PASSWORD, "x" * 300),
    ]
    for response in responses:
        assert response.status_code == 200
        assert GENERIC in response.text
        assert (
            "Set-Cookie" not in response.headers
            or "_user_id" not in client.get_cookie("session").value
        )
    # Same page apart from the CSRF token.
    bodies = {re.sub(r'value="[^"]*"', "", r.text) for r in responses[:3]}
    assert len(bodies) == 1
    assert client.get("/staff/account").status_code == 302


def test_unknown_account_still_spends_a_password_check(client, monkeypatch):
    from intake.staff.accounts import passwords

    spent = []
    real = passwords.spend_verification_time
    monkeypatch.setattr(passwords, "spend_verification_time", lambda: spent.append(1) or real())
    attempt_login(client, "nobody@staff.example", "whatever password", "123456")
    assert spent == [1]


def test_reused_code_is_refused(app, make_staff):
    user = make_staff()
    first, second = app.test_client(), app.test_client()
    code = next_totp_code(app, user)
    assert attempt_login(first, user.email, STAFF_PASSWORD, code).status_code == 302
    assert GENERIC in attempt_login(second, user.email, STAFF_PASSWORD, code).text
    # An older code (earlier step in the window) is refused as well.
    older = second_factor.code_for(user.totp_secret, stored_user(app, user.id).last_totp_step - 1)
    assert GENERIC in attempt_login(second, user.email, STAFF_PASSWORD, older).text


def test_code_from_two_steps_ago_is_refused(app, client, make_staff):
    user = make_staff()
    old = second_factor.code_for(user.totp_secret, second_factor.current_step() - 2)
    assert GENERIC in attempt_login(client, user.email, STAFF_PASSWORD, old).text


def test_unenrolled_and_deactivated_accounts_cannot_log_in(app, client, make_staff):
    invited = make_staff(enrolled=False)
    assert GENERIC in attempt_login(client, invited.email, "", "123456").text
    user = make_staff()
    with app.app_context():
        db.session.get(StaffUser, user.id).active = False
        db.session.commit()
    response = attempt_login(client, user.email, STAFF_PASSWORD, next_totp_code(app, user))
    assert GENERIC in response.text


def client_from(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_guesser_is_slowed_and_the_owner_is_never_locked_out(app_factory, make_staff):
    app = app_factory(
        RATELIMIT_ENABLED=True,
        STAFF_LOGIN_BACKOFF="3 per minute; 5 per hour",
        STAFF_LOGIN_ACCOUNT_LIMIT="5 per day",
    )
    victim = make_staff()
    try:
        guesser = client_from(app, "203.0.113.77")
        for _ in range(3):
            attempt_login(guesser, victim.email, "wrong password guess", "123456")
        # The guesser's client is slowed: even the right pair is refused there,
        # with the same message and no 429 that would say why.
        right = attempt_login(guesser, victim.email, STAFF_PASSWORD, next_totp_code(app, victim))
        assert right.status_code == 200 and GENERIC in right.text
        # More guessers spend the account's daily budget between them...
        for address in ("203.0.113.78", "203.0.113.79"):
            attempt_login(client_from(app, address), victim.email, "another guess", "123456")
        # ...and the owner, from their own address, still logs in.
        owner = client_from(app, "198.51.100.5")
        done = attempt_login(owner, victim.email, STAFF_PASSWORD, next_totp_code(app, victim))
        assert done.status_code == 302
        details = [e.detail for e in events(app, "login.failed") if e.target == str(victim.id)]
        assert details.count("client slowed") == 1
        with app.app_context():
            assert not hasattr(StaffUser, "locked_until")
    finally:
        with app.app_context():
            limiter.reset()


def test_per_client_limit_gives_429(app_factory, make_staff):
    app = app_factory(RATELIMIT_ENABLED=True, STAFF_LOGIN_LIMIT="3 per 15 minutes")
    client = client_from(app, "203.0.113.77")
    try:
        for _ in range(3):
            assert (
                attempt_login(client, "nobody@staff.example", "password guess", "1").status_code
                == 200
            )
        blocked = attempt_login(client, "nobody@staff.example", "password guess", "1")
        assert blocked.status_code == 429
        # The login page itself still shows; another client is not limited.
        assert client.get("/staff/login").status_code == 200
        other = client_from(app, "203.0.113.78")
        assert (
            attempt_login(other, "nobody@staff.example", "password guess", "1").status_code == 200
        )
    finally:
        with app.app_context():
            limiter.reset()


def test_login_without_csrf_token_is_refused(app, client, make_staff):
    user = make_staff()
    response = client.post(
        "/staff/login",
        data={"email": user.email, "password": STAFF_PASSWORD, "code": next_totp_code(app, user)},
    )
    assert response.status_code == 403
    assert events(app) == []
    assert stored_user(app, user.id).last_login_at is None


def test_login_page_when_logged_in_goes_to_landing(client, make_staff, login_as):
    user = make_staff()
    login_as(client, user)
    assert client.get("/staff/login").status_code == 302


# --- sessions --------------------------------------------------------------------


def test_session_content_from_before_login_is_gone(client, make_staff, login_as):
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    login_as(client, make_staff())
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert "_user_id" in sess


def test_session_cookie_attributes(client, make_staff, login_as):
    response = login_as(client, make_staff())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Expires" not in cookie  # no remember-me: gone when the browser closes


def test_secure_cookie_in_production(app_factory):
    app = app_factory(PRODUCTION=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def replay(app, cookie_value, path="/staff/account"):
    thief = app.test_client()
    thief.set_cookie("session", cookie_value)
    return thief.get(path)


def test_captured_cookie_fails_after_logout(app, client, make_staff, login_as):
    login_as(client, make_staff())
    captured = client.get_cookie("session").value
    assert replay(app, captured).status_code == 200
    page = client.get("/staff/account")
    out = client.post("/staff/logout", data={"csrf_token": csrf_token(page.text)})
    assert out.status_code == 302 and out.location.endswith("/staff/login")
    response = replay(app, captured)
    assert response.status_code == 302 and response.location.endswith("/staff/login")
    assert [e.action for e in events(app)][-1] == "logout"


def test_captured_cookie_fails_after_password_change(app, client, make_staff, login_as, clock):
    user = make_staff()
    login_as(client, user)
    other_device = app.test_client()
    login_as(other_device, user)
    captured = other_device.get_cookie("session").value
    page = client.get("/staff/account")
    response = client.post(
        "/staff/account",
        data={
            "csrf_token": csrf_token(page.text),
            "current": STAFF_PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/staff/account").status_code == 200  # this session goes on
    assert replay(app, captured).status_code == 302  # the other one ended
    event = events(app, "staff.password")[-1]
    assert NEW_PASSWORD not in event.detail and STAFF_PASSWORD not in event.detail
    # The new password works, the old does not.
    clock.advance(seconds=30)  # a third login needs a fresh code
    fresh = app.test_client()
    assert (
        GENERIC in attempt_login(fresh, user.email, STAFF_PASSWORD, next_totp_code(app, user)).text
    )
    user.password = NEW_PASSWORD
    login_as(fresh, user)


def test_password_change_needs_the_current_password(app, client, make_staff, login_as):
    user = make_staff()
    login_as(client, user)
    page = client.get("/staff/account")
    response = client.post(
        "/staff/account",
        data={
            "csrf_token": csrf_token(page.text),
            "current": "not my password",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400 and "current password is not right" in response.text
    assert stored_user(app, user.id).session_epoch == 0
    assert events(app, "login.failed")[-1].detail == "wrong current password"


def test_guessing_the_current_password_logs_out_without_locking(app, client, make_staff, login_as):
    user = make_staff()
    login_as(client, user)
    for attempt in range(5):
        page = client.get("/staff/account")
        response = client.post(
            "/staff/account",
            data={
                "csrf_token": csrf_token(page.text),
                "current": f"guess number {attempt}",
                "password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
            },
        )
    assert response.status_code == 302 and response.location.endswith("/staff/login")
    assert client.get("/staff/account").status_code == 302
    after = stored_user(app, user.id)
    assert after.session_epoch == 1
    assert passwords_unchanged(app, user)
    login_as(app.test_client(), user)  # the owner is not locked out


def passwords_unchanged(app, user) -> bool:
    from intake.staff.accounts import passwords

    with app.app_context():
        return passwords.verify_password(stored_user(app, user.id).password_hash, STAFF_PASSWORD)


def test_captured_cookie_fails_after_deactivation(app, client, make_staff, login_as):
    admin, reviewer = make_staff("admin"), make_staff()
    victim_client = app.test_client()
    login_as(victim_client, reviewer)
    captured = victim_client.get_cookie("session").value
    login_as(client, admin)
    page = client.get(f"/staff/users/{reviewer.id}")
    response = client.post(
        f"/staff/users/{reviewer.id}/deactivate", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302
    assert replay(app, captured).status_code == 302
    assert victim_client.get("/staff/account").status_code == 302


def test_idle_timeout(app, client, make_staff, login_as, clock):
    login_as(client, make_staff())
    clock.advance(minutes=29)
    assert client.get("/staff/account").status_code == 200
    clock.advance(minutes=29)  # 58 minutes after login, but active 29 minutes ago
    assert client.get("/staff/account").status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = client.get("/staff/account")
    assert response.status_code == 302 and response.location.endswith("/staff/login")
    assert "session has ended" in client.get(response.location).text


def test_public_pages_do_not_count_as_activity(app, client, make_staff, login_as, clock):
    login_as(client, make_staff())
    clock.advance(minutes=20)
    public = client.get("/help")
    assert public.status_code == 200 and "Set-Cookie" not in public.headers
    clock.advance(minutes=11)
    assert client.get("/staff/account").status_code == 302


def test_absolute_timeout(app, client, make_staff, login_as, clock):
    login_as(client, make_staff())
    for _ in range(35):  # busy all day, a request every 20 minutes
        clock.advance(minutes=20)
        assert client.get("/staff/account").status_code == 200
    clock.advance(minutes=20)  # 12 h 0 min after login
    clock.advance(seconds=1)
    response = client.get("/staff/account")
    assert response.status_code == 302 and response.location.endswith("/staff/login")


@pytest.mark.parametrize(
    "target",
    ["//evil.com", "https://evil.com", "/\\evil.com", "javascript:alert(1)", "%2F%2Fevil.com"],
)
def test_next_never_leaves_the_site(app, client, make_staff, target):
    user = make_staff()
    guarded = client.get(f"/staff/account?next={target}")
    assert guarded.status_code == 302 and guarded.location == "/staff/login"
    form = client.get(f"/staff/login?next={target}")
    response = client.post(
        f"/staff/login?next={target}",
        data={
            "csrf_token": csrf_token(form.text),
            "email": user.email,
            "password": STAFF_PASSWORD,
            "code": next_totp_code(app, user),
            "next": target,
        },
    )
    assert response.status_code == 302
    assert response.location.startswith("/staff/") and "evil" not in response.location
    assert "javascript" not in response.location


def test_no_remember_me_cookie(client, make_staff, login_as):
    login_as(client, make_staff())
    assert client.get_cookie("remember_token") is None


def test_audit_of_logins_holds_no_secrets(app, client, make_staff, login_as):
    user = make_staff()
    attempt_login(client, user.email, "Hunter2 secret guess", "654321")
    attempt_login(client, "who.is.this@elsewhere.example", "another secret guess", "111111")
    login_as(client, user)
    failed = events(app, "login.failed")
    assert [e.target for e in failed] == [str(user.id), ""]
    assert failed[1].detail == "unknown account"
    for event in events(app):
        for secret in (
            "Hunter2",
            "another secret",
            "654321",
            "111111",
            "elsewhere",
            STAFF_PASSWORD,
        ):
            assert secret not in f"{event.action} {event.target} {event.detail}"

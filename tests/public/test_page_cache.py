"""A release page and the empty form are answered from stored bytes
(intake.public.page_cache), and never once what they were made from has changed:
a release edited or unpublished anywhere (another worker, another host) shows
on the very next request; a new process (a deployed translation, changed
settings) starts with nothing stored."""

import json
import shutil

import pytest
import sqlalchemy as sa
from babel.messages.mofile import read_mo, write_mo

from intake import create_app, form_tokens, locales
from intake.db import db
from intake.models import Release
from intake.public import page_cache, press
from intake.public.screening import views as screening
from tests.support.apps import apps_to_close
from tests.support.tokens import FORM_TOKEN

TRANSLATIONS = page_cache.__file__.rsplit("/public/", 1)[0] + "/translations"


@pytest.fixture
def renders(monkeypatch):
    """How many times each page went through its view's rendering."""
    counts = {"release": 0, "form": 0}
    release, step = press._render_release, screening._render_step

    def count_release(*args, **kwargs):
        counts["release"] += 1
        return release(*args, **kwargs)

    def count_step(*args, **kwargs):
        counts["form"] += 1
        return step(*args, **kwargs)

    monkeypatch.setattr(press, "_render_release", count_release)
    monkeypatch.setattr(screening, "_render_step", count_step)
    return counts


def _change_elsewhere(app, slug, **values):
    """As another worker or host does it: its own connection, through the ORM
    (which sets ``updated_at``), with no event reaching this app."""
    other = create_app({**app.config, "AUTO_MIGRATE": False})
    apps_to_close.append(other)
    with other.app_context():
        release = db.session.execute(sa.select(Release).filter_by(slug=slug)).scalar_one()
        for name, value in values.items():
            setattr(release, name, value)
        db.session.commit()


def test_a_release_page_is_rendered_once_then_served_as_stored(client, make_release, renders):
    slug = make_release(title="First title")
    first = client.get(f"/press/{slug}")
    again = [client.get(f"/press/{slug}") for _ in range(3)]
    assert renders["release"] == 1
    for response in again:
        assert response.status_code == 200
        assert response.get_data() == first.get_data()
        assert sorted(response.headers.items()) == sorted(first.headers.items())
    # Each language is its own page.
    assert '<html lang="es"' in client.get(f"/es/press/{slug}").get_data(as_text=True)
    assert renders["release"] == 2


def test_a_release_edited_elsewhere_is_never_served_stale(app, client, make_release):
    slug = make_release(title="First title")
    assert "First title" in client.get(f"/press/{slug}").get_data(as_text=True)
    _change_elsewhere(app, slug, title="Corrected title")
    page = client.get(f"/press/{slug}").get_data(as_text=True)
    assert "Corrected title" in page and "First title" not in page
    _change_elsewhere(app, slug, body_html="<p>A corrected body.</p>")
    assert "A corrected body." in client.get(f"/press/{slug}").get_data(as_text=True)


def test_a_release_unpublished_elsewhere_is_gone_at_once(app, client, make_release):
    slug = make_release()
    for path in (f"/press/{slug}", f"/es/press/{slug}"):
        assert client.get(path).status_code == 200
        assert client.get(path).status_code == 200  # stored
    _change_elsewhere(app, slug, is_published=False)
    assert client.get(f"/press/{slug}").status_code == 404
    assert client.get(f"/es/press/{slug}").status_code == 404
    assert client.head(f"/press/{slug}").status_code == 404


def test_a_release_deleted_elsewhere_is_gone_at_once(app, client, make_release):
    slug = make_release()
    client.get(f"/press/{slug}")
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM release WHERE slug = :s"), {"s": slug})
    assert client.get(f"/press/{slug}").status_code == 404


def test_etag_last_modified_and_not_modified(app, client, make_release):
    slug = make_release()
    first = client.get(f"/press/{slug}")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    for _ in range(2):  # from the app, then from the store
        again = client.get(f"/press/{slug}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.get_data() == b""
        assert again.headers["ETag"] == etag
        assert "Content-Type" not in again.headers
        assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
        assert again.headers["Cache-Control"] == "no-store"
    since = client.get(f"/press/{slug}", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    _change_elsewhere(app, slug, title="Corrected title")
    changed = client.get(f"/press/{slug}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Corrected title" in changed.get_data(as_text=True)


def test_head_from_the_store_has_the_headers_and_no_body(client, make_release):
    slug = make_release()
    full = client.get(f"/press/{slug}")
    head = client.head(f"/press/{slug}")
    assert head.status_code == 200 and head.get_data() == b""
    assert sorted(head.headers.items()) == sorted(full.headers.items())


def test_a_visitor_with_a_cookie_goes_through_the_app(client, make_release, renders):
    slug = make_release()
    client.get(f"/press/{slug}")
    client.set_cookie("session", "x")
    client.get(f"/press/{slug}")
    assert renders["release"] == 2


def test_the_stored_form_gets_a_new_token_every_time(app, client, renders):
    pages = [client.get("/help").get_data(as_text=True) for _ in range(3)]
    assert renders["form"] == 1
    tokens = [FORM_TOKEN.findall(page) for page in pages]
    assert all(len(t) == 1 for t in tokens)
    assert len({t[0] for t in tokens}) == 3
    with app.test_request_context():
        nonces = {form_tokens.read_token(t[0]) for t in tokens}
    assert len(nonces) == 3
    assert all(page_cache.TOKEN_SLOT not in page for page in pages)
    assert pages[0].replace(tokens[0][0], "") == pages[2].replace(tokens[2][0], "")
    # No ETag: every copy differs by its token.
    assert "ETag" not in client.get("/help").headers


def test_the_front_door_form_is_stored_per_browser_language(client, renders):
    """/help speaks the visitor's Accept-Language at one address: a Spanish
    visitor's page must not be served to the next English one."""
    for _ in range(2):
        spanish = client.get("/help", headers={"Accept-Language": "es"}).get_data(as_text=True)
        english = client.get("/help", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert '<html lang="es"' in spanish
        assert '<html lang="en"' in english
    assert renders["form"] == 2


def test_the_form_from_a_release_follows_the_release(app, client, make_release):
    """The form opened from a release names it as its source; unpublished, the
    release is no longer named (the stored form is not served)."""
    slug = make_release()
    assert f'value="{slug}"' in client.get(f"/help?from={slug}").get_data(as_text=True)
    assert f'value="{slug}"' in client.get(f"/help?from={slug}").get_data(as_text=True)
    _change_elsewhere(app, slug, is_published=False)
    assert f'value="{slug}"' not in client.get(f"/help?from={slug}").get_data(as_text=True)


def test_nothing_is_stored_when_seconds_is_zero(app_factory, make_release, monkeypatch):
    uncached = app_factory(PUBLIC_PAGE_CACHE_SECONDS=0)
    client = uncached.test_client()
    slug = make_release(title="First title")
    client.get(f"/press/{slug}")
    client.get("/help")
    assert uncached.extensions[page_cache.STORE] == {}


def test_stored_answers_are_logged_as_the_app_logs_them(client, make_release, capsys):
    slug = make_release()
    capsys.readouterr()
    client.get(f"/press/{slug}")
    client.get(f"/press/{slug}")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    requests = [line for line in lines if line["logger"] == "intake.request"]
    assert len(requests) == 2
    assert [set(r) for r in requests] == [
        {"ts", "level", "logger", "msg", "method", "rule", "status", "ms"}
    ] * 2
    assert [(r["method"], r["rule"], r["status"]) for r in requests] == [
        ("GET", "/press/<slug>", 200)
    ] * 2


def test_a_partner_frame_is_never_stored(app, client, make_partner):
    partner = make_partner()
    for _ in range(2):
        assert client.get(f"/embed/help?partner={partner.key}").status_code == 200
    assert app.extensions[page_cache.STORE] == {}


def test_the_database_out_of_reach_is_said_by_the_app(app, client, make_release, monkeypatch):
    """A stamp that cannot be read is never taken as unchanged: the request goes
    through the app, which answers as it does without the store."""
    slug = make_release()
    client.get(f"/press/{slug}")

    def unavailable(_slug):
        raise page_cache.StampUnavailable()

    monkeypatch.setattr(page_cache.stamps(app), "release", unavailable)
    monkeypatch.setattr(press, "_render_release", lambda item: "rendered by the app")
    assert client.get(f"/press/{slug}").get_data(as_text=True) == "rendered by the app"


def test_last_modified_is_never_before_the_process_started(app_factory, make_release):
    """An old release's page changes with a deployed translation or setting (new
    processes): If-Modified-Since must not answer 304 for it."""
    slug = make_release()
    with app_factory().app_context():
        release = db.session.execute(sa.select(Release).filter_by(slug=slug)).scalar_one()
        release.updated_at = release.updated_at.replace(year=2020)
        db.session.commit()
    client = app_factory().test_client()
    first = client.get(f"/press/{slug}")
    assert "2020" not in first.headers["Last-Modified"]
    since_2021 = {"If-Modified-Since": "Fri, 01 Jan 2021 00:00:00 GMT"}
    assert client.get(f"/press/{slug}", headers=since_2021).status_code == 200


def test_a_changed_setting_comes_with_a_new_process(app_factory, make_release):
    slug = make_release()
    before = app_factory(ORGANISATION_NAME="Before Org").test_client()
    assert "Before Org" in before.get(f"/press/{slug}").get_data(as_text=True)
    after = app_factory(ORGANISATION_NAME="After Org").test_client()
    page = after.get(f"/press/{slug}").get_data(as_text=True)
    assert "After Org" in page and "Before Org" not in page


def test_a_deployed_translation_comes_with_new_workers(app_factory, tmp_path):
    """Catalogues are read once per process; a deploy starts new workers, which
    store nothing until they render with the new catalogue."""
    folder = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, folder)
    mo = folder / "es" / "LC_MESSAGES" / "messages.mo"
    old = app_factory(BABEL_TRANSLATION_DIRECTORIES=str(folder)).test_client()
    page = old.get("/es/help").get_data(as_text=True)
    with mo.open("rb") as file:
        catalog = read_mo(file)
    message = catalog.get("Skip to main content")
    assert message.string in page
    message.string = "Saltar al contenido nuevo"
    with mo.open("wb") as file:
        write_mo(file, catalog)
    assert old.get("/es/help").get_data(as_text=True).count("Saltar al contenido nuevo") == 0
    catalogues = locales.babel.domain_instance.cache  # one per process, for every app
    catalogues.clear()  # a new worker starts with none
    try:
        new = app_factory(BABEL_TRANSLATION_DIRECTORIES=str(folder)).test_client()
        assert "Saltar al contenido nuevo" in new.get("/es/help").get_data(as_text=True)
    finally:
        catalogues.clear()  # the next test loads the real ones again


def test_a_broken_stamp_connection_is_replaced(app, client, make_release, renders):
    """The stamp's connection closed under it (a database restart): that request
    goes through the app, and the next ones open a new connection and are served
    from the store again."""
    slug = make_release(title="First title")
    client.get(f"/press/{slug}")
    client.get(f"/press/{slug}")
    assert renders["release"] == 1
    page_cache.stamps(app).local.conn.close()
    assert "First title" in client.get(f"/press/{slug}").get_data(as_text=True)
    assert renders["release"] == 2
    for _ in range(2):
        assert "First title" in client.get(f"/press/{slug}").get_data(as_text=True)
    assert renders["release"] == 2

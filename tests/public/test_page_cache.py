"""Public pages that are the same for everyone are rendered once per few seconds
per process (intake.public.page_cache); edits made through the app show at once."""

import sqlalchemy as sa

from intake import form_tokens
from intake.db import db
from intake.models import Release
from intake.public import page_cache
from tests.support.tokens import FORM_TOKEN


def _retitle_behind_the_apps_back(app, slug, title):
    """As another worker or host would: straight SQL, no ORM event here."""
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE release SET title = :t WHERE slug = :s"), {"t": title, "s": slug}
        )


def test_release_page_is_rendered_once_within_the_cache_seconds(app, client, make_release):
    slug = make_release(title="First title")
    assert "First title" in client.get(f"/press/{slug}").get_data(as_text=True)
    _retitle_behind_the_apps_back(app, slug, "Second title")
    assert "First title" in client.get(f"/press/{slug}").get_data(as_text=True)
    # Each language (and each query string) is its own page.
    assert "Second title" in client.get(f"/es/press/{slug}").get_data(as_text=True)


def test_no_cache_when_seconds_is_zero(app_factory, make_release):
    uncached = app_factory(PUBLIC_PAGE_CACHE_SECONDS=0)
    client = uncached.test_client()
    slug = make_release(title="First title")
    client.get(f"/press/{slug}")
    _retitle_behind_the_apps_back(uncached, slug, "Second title")
    assert "Second title" in client.get(f"/press/{slug}").get_data(as_text=True)


def test_an_edit_through_the_app_shows_at_once(app, client, make_release):
    slug = make_release(title="First title")
    client.get(f"/press/{slug}")
    with app.app_context():
        release = db.session.execute(sa.select(Release).filter_by(slug=slug)).scalar_one()
        release.title = "Corrected title"
        db.session.commit()
    assert "Corrected title" in client.get(f"/press/{slug}").get_data(as_text=True)
    with app.app_context():
        release = db.session.execute(sa.select(Release).filter_by(slug=slug)).scalar_one()
        release.is_published = False
        db.session.commit()
    assert client.get(f"/press/{slug}").status_code == 404


def test_cached_form_gets_a_new_token_every_time(app, client):
    pages = [client.get("/help").get_data(as_text=True) for _ in range(3)]
    tokens = [FORM_TOKEN.findall(page) for page in pages]
    assert all(len(t) == 1 for t in tokens)
    assert len({t[0] for t in tokens}) == 3
    with app.test_request_context():
        nonces = {form_tokens.read_token(t[0]) for t in tokens}
    assert len(nonces) == 3
    assert all(page_cache.TOKEN_SLOT not in page for page in pages)
    # Apart from the token, the same page: it came from the cache.
    assert pages[0].replace(tokens[0][0], "") == pages[1].replace(tokens[1][0], "")
    with app.app_context():
        assert any(key[1].startswith("/help") for key in app.extensions["intake.memo.public_pages"])


def test_the_front_door_form_is_cached_per_negotiated_language(client):
    """/help speaks the visitor's Accept-Language at one address: a Spanish
    visitor's page must not be served to the next English one."""
    spanish = client.get("/help", headers={"Accept-Language": "es"}).get_data(as_text=True)
    english = client.get("/help", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="es"' in spanish
    assert '<html lang="en"' in english

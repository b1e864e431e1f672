"""Stored public pages under a real gunicorn with two workers, each with a store
of its own: a release edited or unpublished from outside (another host, the
staff pages of another worker) is never served as it was, by either worker,
from the next request on (intake.public.page_cache)."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text

from intake.public.releases import SEED_FILE, parse_release
from tests.support.apps import make_test_app
from tests.support.servers import Gunicorn, fresh_database, get, production_env

ROUNDS = 40  # requests per check, on new connections: both workers answer some


@pytest.fixture
def database(tmp_path):
    with fresh_database(tmp_path) as uri:
        yield uri


def _all(url: str) -> list:
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda _n: get(url), range(ROUNDS)))


def _edit(uri: str, slug: str, **values) -> None:
    """Through the app's own models, from another process's point of view: no
    event reaches the server."""
    from intake.db import db
    from intake.models import Release

    other = make_test_app(uri)
    with other.app_context():
        release = db.session.execute(db.select(Release).filter_by(slug=slug)).scalar_one()
        for name, value in values.items():
            setattr(release, name, value)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_two_workers_never_serve_an_edited_or_unpublished_release(database, tmp_path):
    slug = parse_release(SEED_FILE.read_text(encoding="utf-8")).slug
    page, form = f"/press/{slug}", f"/help?from={slug}"
    env = production_env(database)
    with Gunicorn(env, tmp_path / "gunicorn.log", workers=2).start() as server:
        # Both workers render and store the release page and the form from it.
        first = _all(server.url + page)
        assert {r.status for r in first} == {200}
        assert len({r.headers["etag"] for r in first}) == 1
        assert all(f'value="{slug}"' in r.text for r in _all(server.url + form))

        _edit(database, slug, title="A corrected title")
        edited = _all(server.url + page)
        assert {r.status for r in edited} == {200}
        assert all("A corrected title" in r.text for r in edited)
        assert first[0].headers["etag"] not in {r.headers["etag"] for r in edited}

        _edit(database, slug, is_published=False)
        assert {r.status for r in _all(server.url + page)} == {404}
        assert not any(f'value="{slug}"' in r.text for r in _all(server.url + form))

        _edit(database, slug, is_published=True)
        assert {r.status for r in _all(server.url + page)} == {200}


def test_a_database_without_the_release_row_answers_404_from_every_worker(database, tmp_path):
    """Deleted by SQL outside the app (no ORM at all): the stamp is gone too."""
    slug = parse_release(SEED_FILE.read_text(encoding="utf-8")).slug
    env = production_env(database)
    with Gunicorn(env, tmp_path / "gunicorn.log", workers=2).start() as server:
        assert {r.status for r in _all(server.url + f"/press/{slug}")} == {200}
        engine = create_engine(database)
        try:
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM release WHERE slug = :s"), {"s": slug})
        finally:
            engine.dispose()
        responses = _all(server.url + f"/press/{slug}")
        assert {r.status for r in responses} == {404}
        assert not any(re.search("Russian delegation", r.text) for r in responses)

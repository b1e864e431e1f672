"""Public pages served as stored bytes: a release page and the empty form.

A release page and the empty form are the same for every visitor of one address
and are asked for at a rate that can be a campaign's whole load. The first
request for an address goes through the app as any other; the view hands its
page to ``keep`` and the response (status, every header the app's hooks set,
body) is stored in this process. The next request for the same address is
answered from the store before Flask sees it (``FastPath``, a WSGI layer inside
ProxyFix): no routing, hooks, session or template, only what the page needs.

Nothing is served that the app would not serve now:

- an entry names what it was made from (its ``Stamp``: the release's id and
  last change, read before the page was rendered) and every hit reads that
  again, in one query on a connection of this process's own, before serving:
  a release edited or unpublished, in this process or any other, or on another
  host, is rendered afresh by the very next request, never served stale;
- only GET and HEAD without a cookie are answered here (``Vary: Cookie``), and
  the address (host, scheme, path, query) is the key, with ``Accept-Language``
  at a front door (``/help`` speaks the browser's language): the method,
  host, input and language checks gave their answer for exactly this key when
  the app made the entry;
- the form's single-use token is put in for each visitor (``TOKEN_SLOT``);
- each answer is logged as the app logs it (rule, method, status, time);
- a release page carries an ETag and Last-Modified and answers a matching
  conditional request with 304;
- entries live at most ``PUBLIC_PAGE_CACHE_SECONDS`` (0: nothing is kept) and
  belong to the app (settings and translations are loaded when a process starts,
  so a changed setting or a deployed translation comes with new processes and
  an empty store).
"""

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, g, request
from psycopg import pq
from sqlalchemy import event
from werkzeug.http import http_date, is_resource_modified, remove_entity_headers

from intake import form_tokens, locales, logs, timeutil
from intake.db import db

MAX_PAGES = 512  # a bound on memory: query strings are the visitor's to choose
TOKEN_SLOT = "FORM-TOKEN-SLOT-8c1e0f"  # noqa: S105 - a placeholder, not a secret
STORE = "intake.public_pages"
STARTED = "intake.public_pages.started"
ENVIRON_KEY = "intake.page_cache.keep"
# The views whose pages may be kept (never their /embed/ twins: a partner's frame).
STORABLE = frozenset({"press.release", "screening.form"})
FRONT_DOORS = frozenset(locales.FRONT_DOORS.values())
RELEASE_STAMP_SQL = "SELECT id, updated_at FROM release WHERE slug = {} AND is_published"
PG_STAMP = b"intake_release_stamp"  # the prepared statement's name on its connection
PG_STAMP_SQL = RELEASE_STAMP_SQL.format("$1").encode()


@dataclass(frozen=True)
class Stamp:
    """What a page was made from: the published release of ``slug`` as it was
    (its id and last change; None when there is none). A form without a source
    has no slug and nothing to check."""

    slug: str | None = None
    value: tuple | None = None
    known: bool = True  # False: it could not be read, so the page is not kept


@dataclass
class Entry:
    rule: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    stamp: Stamp
    token: bool  # the body holds TOKEN_SLOT, filled per visitor
    expires: float
    etag: str | None = None
    last_modified: str | None = None
    _parts: tuple[bytes, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Keep:
    """A view's word that its page may be stored (``environ[ENVIRON_KEY]``)."""

    rule: str
    page: str  # with TOKEN_SLOT where each visitor's token goes
    stamp: Stamp
    token: bool


# --- in the views ---------------------------------------------------------------------


def storing() -> bool:
    """Whether this request's page may be kept (and so should be made to be)."""
    return (
        bool(current_app.config["PUBLIC_PAGE_CACHE_SECONDS"])
        and request.endpoint in STORABLE
        and g.get("partner") is None
    )


def stamp_for(slug: str | None) -> Stamp:
    """The stamp of the published release ``slug``, read BEFORE the page is made
    from the database: an edit committed in between makes the entry older than
    its stamp (rendered again next time), never the other way round."""
    if not slug or not storing():
        return Stamp(slug)
    try:
        return Stamp(slug, stamps(current_app).release(slug))
    except StampUnavailable:
        return Stamp(slug, known=False)


def keep(page: str, stamp: Stamp, *, token: bool = False, last_modified=None) -> Response:
    """The response for ``page`` (a release page with its ETag and Last-Modified,
    304 when the visitor has it already), offered to the store; a form gets a
    fresh token in its slot."""
    response = current_app.response_class(
        page.replace(TOKEN_SLOT, form_tokens.issue_token()) if token else page,
        mimetype="text/html",
    )
    if not token:
        response.headers["ETag"] = etag_of(page.encode())
        if last_modified is not None:
            # Never before this process started: a deployed translation or a
            # changed setting (new processes) changes the page, not the release.
            started = current_app.extensions[STARTED]
            response.headers["Last-Modified"] = http_date(max(last_modified, started))
        if not is_resource_modified(
            request.environ,
            response.headers["ETag"],
            last_modified=response.headers.get("Last-Modified"),
        ):
            response.status_code = 304
    if stamp.known and storing():
        request.environ[ENVIRON_KEY] = Keep(request.url_rule.rule, page, stamp, token)
    return response


def etag_of(page: bytes) -> str:
    return '"' + hashlib.blake2b(page, digest_size=16).hexdigest() + '"'


def _store(app: Flask) -> dict:
    return app.extensions.setdefault(STORE, {})


# --- the stamps ------------------------------------------------------------------------


class StampUnavailable(Exception):
    """The database did not answer: the request goes through the app, which says so."""


class Stamps:
    """Reads the stamp of a release on a database connection of its own (one per
    process and thread, in autocommit): one statement per hit, without the pool's
    liveness ping, transaction and reset around it, and on PostgreSQL prepared
    once. Closed when the app's engine is disposed; a connection that fails is
    dropped and opened again next time."""

    def __init__(self, app: Flask):
        self.app = app
        self.local = threading.local()
        self.opened: list = []
        self.lock = threading.Lock()
        self.engine = None
        self.sql = ""

    def _connection(self):
        conn = getattr(self.local, "conn", None)
        if conn is not None and self.local.pid == os.getpid():
            return conn
        if self.engine is None:
            with self.app.app_context():
                self.engine = db.engine
            event.listen(self.engine, "engine_disposed", lambda _engine: self.close())
            marker = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
            self.sql = RELEASE_STAMP_SQL.format(marker)
        if self.engine.url.get_backend_name() == "sqlite" and self.engine.url.database in (
            None,
            "",
            ":memory:",
        ):
            return None
        pooled = self.engine.raw_connection()
        conn = pooled.dbapi_connection
        pooled.detach()  # ours now: the pool neither pings, resets nor counts it
        try:
            self.local.libpq = self._set_up(conn)
        except Exception:
            _close_quietly(conn)
            raise
        self.local.conn, self.local.pid = conn, os.getpid()
        with self.lock:
            self.opened.append((conn, os.getpid()))
        return conn

    def _set_up(self, conn) -> bool:
        """Autocommit; on PostgreSQL (psycopg) the lookup prepared once, its plan
        kept (the app's connections plan each statement afresh, for the reports),
        and run through libpq itself: psycopg's Python layer around one statement
        cost more than the round trip. Returns whether libpq runs it."""
        if self.engine.dialect.name == "sqlite":
            conn.isolation_level = None
            return False
        conn.autocommit = True
        if self.engine.dialect.driver != "psycopg":
            return False
        cursor = conn.cursor()
        cursor.execute("SET plan_cache_mode = auto")
        cursor.close()
        if conn.pgconn.prepare(PG_STAMP, PG_STAMP_SQL).status != pq.ExecStatus.COMMAND_OK:
            raise StampUnavailable()
        return True

    def release(self, slug: str) -> tuple | None:
        try:
            conn = self._connection()
            if conn is None:  # an in-memory database: the pool's one connection
                with self.engine.connect() as shared:
                    row = shared.exec_driver_sql(self.sql, (slug,)).first()
            elif self.local.libpq:
                found = conn.pgconn.exec_prepared(PG_STAMP, [slug.encode()])
                if found.status != pq.ExecStatus.TUPLES_OK:
                    raise StampUnavailable()
                row = (found.get_value(0, 0), found.get_value(0, 1)) if found.ntuples else None
                row = row and (int(row[0]), row[1].decode())
            else:
                cursor = conn.cursor()
                try:
                    cursor.execute(self.sql, (slug,))
                    row = cursor.fetchone()
                finally:
                    cursor.close()
        except Exception as exc:
            self._drop()
            raise StampUnavailable() from exc
        return None if row is None else (row[0], str(row[1]))

    def _drop(self) -> None:
        conn = getattr(self.local, "conn", None)
        self.local.conn = None
        if conn is not None:
            with self.lock:
                self.opened = [(c, pid) for c, pid in self.opened if c is not conn]
            _close_quietly(conn)

    def close(self) -> None:
        """Close the connections this process opened (the engine is disposed). A
        forked worker never closes its parent's: that would end them for both."""
        with self.lock:
            opened, self.opened = self.opened, []
        for conn, pid in opened:
            if pid == os.getpid():
                _close_quietly(conn)
        self.local = threading.local()


def _close_quietly(conn) -> None:
    with contextlib.suppress(Exception):  # broken already: nothing more to release
        conn.close()


def stamps(app: Flask) -> Stamps:
    return app.extensions["intake.page_stamps"]


# --- before Flask ----------------------------------------------------------------------


class FastPath:
    """The WSGI layer that answers a stored page (see the module's docstring)."""

    def __init__(self, app: Flask, wsgi_app: Callable):
        self.app = app
        self.wsgi_app = wsgi_app
        self.store = _store(app)
        self.stamps = stamps(app)

    def key(self, environ) -> tuple:
        path = environ.get("PATH_INFO", "")
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("SCRIPT_NAME", ""),
            path,
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT_LANGUAGE") if path in FRONT_DOORS else None,
        )

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or "HTTP_COOKIE" in environ:
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        key = self.key(environ)
        entry = self.store.get(key)
        if entry is not None and self.fresh(entry):
            return self.answer(entry, environ, start_response, method, started)
        return self.through_app(key, environ, start_response, method, started)

    def fresh(self, entry: Entry) -> bool:
        if entry.expires < time.monotonic():
            return False
        if entry.stamp.slug is None:
            return True
        try:
            return self.stamps.release(entry.stamp.slug) == entry.stamp.value
        except StampUnavailable:
            return False  # the app answers, and says what is wrong

    def answer(self, entry: Entry, environ, start_response, method, started):
        conditional = "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
        if (
            conditional
            and entry.etag
            and not is_resource_modified(
                environ, etag=entry.etag, last_modified=entry.last_modified
            )
        ):
            headers = list(entry.headers)
            remove_entity_headers(headers)
            start_response("304 NOT MODIFIED", headers)
            logs.request_line(method, entry.rule, 304, started)
            return []
        if entry.token:
            token = form_tokens.issue_token(self.app.config["SECRET_KEY"]).encode()
            body = token.join(entry._parts)
        else:
            body = entry.body
        start_response(entry.status, [*entry.headers, ("Content-Length", str(len(body)))])
        logs.request_line(method, entry.rule, int(entry.status[:3]), started)
        return [] if method == "HEAD" else [body]

    def through_app(self, key, environ, start_response, method, started):
        answered = []

        def remember(status, headers, exc_info=None):
            answered[:] = [status, headers]
            return lambda _data: None  # Flask never writes; the body is returned

        body = self.wsgi_app(environ, remember)
        kept = environ.get(ENVIRON_KEY)
        if kept is None or method != "GET" or not answered or answered[0][:3] != "200":
            if answered:
                start_response(*answered)
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        entry = self.entry(kept, *answered)
        if len(self.store) >= MAX_PAGES:
            self.store.clear()
        self.store[key] = entry
        start_response(*answered)
        return [content]

    def entry(self, kept: Keep, status: str, headers) -> Entry:
        page = kept.page.encode()
        # The app's own headers, but those of this one answer: its length (the
        # form's token is new each time) and a date, if anything set one.
        headers = [(k, v) for k, v in headers if k.lower() not in ("content-length", "date")]
        found = {k.lower(): v for k, v in headers}
        return Entry(
            rule=kept.rule,
            status=status,
            headers=headers,
            body=page,
            stamp=kept.stamp,
            token=kept.token,
            expires=time.monotonic() + self.app.config["PUBLIC_PAGE_CACHE_SECONDS"],
            etag=found.get("etag"),
            last_modified=found.get("last-modified"),
            _parts=tuple(page.split(TOKEN_SLOT.encode())) if kept.token else (),
        )


def init_app(app: Flask) -> None:
    """Before intake.hardening (ProxyFix wraps this layer: the key is the address
    the visitor asked for)."""
    app.extensions["intake.page_stamps"] = Stamps(app)
    app.extensions[STARTED] = timeutil.utcnow().replace(microsecond=0)
    app.wsgi_app = FastPath(app, app.wsgi_app)

"""Real servers for the fault tests and the benchmark: the app under gunicorn in
its production configuration, a fresh database per test, and a plain-HTTP
visitor that walks the public form (GET /help → check → submit) as a browser
would; and the app in a thread (``LiveServer``) for the browser tests.

Nothing here goes through Flask's test client: what the tests see is what a
client of the deployed app sees (sockets, worker processes, real failures)."""

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, make_url, text

from . import ROOT
from .apps import PRODUCTION_SITE, TEST_KEYS, make_test_app
from .form import VALID as ANSWERS  # the form's own valid answers
from .form import reference_in
from .tokens import form_token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The app served from a thread on a free localhost port."""

    def __init__(self, app, host="127.0.0.1"):
        from werkzeug.serving import make_server

        self.server = make_server(host, 0, app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        """Stop serving and wait for requests still in flight (the browser may have
        moved on before the server finished one), so none of them is still holding
        a database connection when the test's app disposes of its engine."""
        self.server.shutdown()
        self.server.server_close()  # joins the request threads (block_on_close)
        self.thread.join(5)


# --- the database -------------------------------------------------------------------


def is_postgres(uri: str | None) -> bool:
    return bool(uri) and make_url(uri).get_backend_name() == "postgresql"


@contextlib.contextmanager
def fresh_database(tmp_path):
    """A database of its own for one test, with the schema and the bundled
    release: a new PostgreSQL database (dropped afterwards) on the server of
    INTAKE_TEST_DATABASE_URI when that is PostgreSQL, else a SQLite file."""
    base = os.environ.get("INTAKE_TEST_DATABASE_URI")
    if is_postgres(base):
        name = f"intake_fault_{secrets.token_hex(4)}"
        admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        uri = make_url(base).set(database=name).render_as_string(hide_password=False)
    else:
        admin, name = None, None
        uri = f"sqlite:///{tmp_path}/fault.sqlite3"
    from intake.db import db
    from intake.public import releases

    app = make_test_app(uri)
    with app.app_context():
        db.create_all()
    releases.seed(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    try:
        yield uri
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def stored_requests(uri: str) -> list[tuple[str, str]]:
    """(reference, submission_key) of every stored help request."""
    engine = create_engine(uri)
    try:
        with engine.connect() as conn:
            return [
                tuple(row)
                for row in conn.execute(text("SELECT reference, submission_key FROM help_request"))
            ]
    finally:
        engine.dispose()


# --- gunicorn -----------------------------------------------------------------------


def production_env(database_uri: str, **settings) -> dict[str, str]:
    """The environment of a production server: keys from the environment,
    migrations not run at start; ``settings`` become INTAKE_<KEY> variables
    (values that are not strings are written as JSON, as Flask reads them)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    env.update({f"INTAKE_{key}": value for key, value in TEST_KEYS.items()})
    env.update({f"INTAKE_{key}": json.dumps(value) for key, value in PRODUCTION_SITE.items()})
    env["INTAKE_CONFLICT_HASH_COST"] = "10"  # cheap scrypt, as in the test apps
    env.update(
        {
            "INTAKE_PRODUCTION": "true",
            "INTAKE_HELPLINE_PHONE": "none",
            "INTAKE_AUTO_MIGRATE": "false",
            "INTAKE_SQLALCHEMY_DATABASE_URI": database_uri,
            "INTAKE_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    for key, value in settings.items():
        env[f"INTAKE_{key}"] = value if isinstance(value, str) else json.dumps(value)
    return env


class Gunicorn:
    """``gunicorn intake.wsgi:app`` (or another ``app``, such as the benchmark's
    floor) with the repository's gunicorn.conf.py, on a port of its own, in its
    own process group (so a kill takes the master and every worker at once, as a
    crashed host would). Output goes to ``log``."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        workers: int = 2,
        port: int | None = None,
        app: str = "intake.wsgi:app",
    ):
        self.env = env
        self.log = log
        self.workers = workers
        self.app = app
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, ready_path: str = "/readyz", timeout: float = 30) -> "Gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            self.app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--graceful-timeout",
            "3",
            # One control socket per user by default: several servers on one host
            # (two here, or another test run) would take each other's.
            "--no-control-socket",
        ]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_until(ready_path, timeout)
        return self

    def wait_until(self, path: str, timeout: float) -> None:
        """Poll ``path`` until it answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            with contextlib.suppress(OSError):
                # A generous timeout: under load the check waits its turn behind
                # other requests, and a new one would go to the back of the queue.
                if get(self.url + path, timeout=timeout).status == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"{path} did not answer 200 within {timeout} s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL the master and every worker together: no cleanup runs."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """Graceful stop (SIGTERM), then SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(8)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --- HTTP ---------------------------------------------------------------------------


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes, seconds: float):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")
        self.seconds = seconds


def request(
    method: str,
    url: str,
    data: dict | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Response:
    """One request on a new connection; no redirects followed, no cookie jar.
    Connection failures raise OSError (ConnectionError, http.client errors)."""
    assert url.startswith("http://")
    host, _, path = url[len("http://") :].partition("/")
    headers = dict(headers or {})
    body = None
    if data is not None:
        body = urlencode(data, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.monotonic()
    conn = http.client.HTTPConnection(host, timeout=timeout)
    try:
        conn.request(method, "/" + path, body=body, headers=headers)
        response = conn.getresponse()
        # Headers may repeat (Set-Cookie): keep them all, joined.
        merged: dict[str, str] = {}
        for name, value in response.getheaders():
            key = name.lower()
            merged[key] = f"{merged[key]}\n{value}" if key in merged else value
        payload = response.read()
    except http.client.HTTPException as exc:  # e.g. RemoteDisconnected is both
        raise ConnectionError(str(exc)) from exc
    finally:
        conn.close()
    return Response(response.status, merged, payload, time.monotonic() - started)


def get(url: str, **kwargs) -> Response:
    return request("GET", url, **kwargs)


def post(url: str, data: dict, **kwargs) -> Response:
    return request("POST", url, data=data, **kwargs)


def submit(url: str, data: dict, **kwargs) -> Response:
    """POST the form's last step and follow its redirect to the confirmation, as
    a browser does; any other answer (an error, the answers kept) as it came."""
    sent = post(url, data, **kwargs)
    if sent.status != 303:
        return sent
    host = url.split("/", 3)[:3]
    return get("/".join(host) + sent.headers["location"], headers=kwargs.get("headers"))


# --- the public form ------------------------------------------------------------------


def stored_reference(page: str) -> str:
    """The reference on a confirmation page, as stored (without the dashes)."""
    return reference_in(page).replace("-", "")


class _FormValues(HTMLParser):
    """What a browser would post from the page's forms: inputs with their
    values, checked boxes and radios, selected options, text areas."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str | None, value: str) -> None:
        if name:
            self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a.get("name"), a.get("value") or "on")
            elif kind not in ("submit", "button", "image", "reset"):
                self._add(a.get("name"), a.get("value") or "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._add(self._textarea, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # HTML drops one line break right after <textarea> (WTForms writes "\r\n").
            value = self.values[self._textarea][-1].replace("\r\n", "\n")
            self.values[self._textarea][-1] = value.removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_values(page: str) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(page)
    return parser.values


def keeps_answers(page: str, answers: dict) -> list[str]:
    """The answers the page does not carry back in its inputs (empty: all kept)."""
    values = form_values(page)
    return [
        name
        for name, value in answers.items()
        if sorted(values.get(name, [])) != sorted(value if isinstance(value, list) else [value])
    ]


def filled_form(base_url: str, headers: dict | None = None, **changes) -> dict:
    """GET /help and fill it in: valid answers with the page's token."""
    page = get(base_url + "/help", headers=headers)
    assert page.status == 200, page.status
    return {**ANSWERS, "csrf_token": form_token(page.text), **changes}


# --- a database connection that can be cut ---------------------------------------------


class TcpProxy:
    """Forwards a local port to the database server, and can stop doing so.

    ``cut("refuse")``: the port closes and every open connection is reset, as when
    the database server stops. ``cut("hang")``: connections are accepted but never
    answered, as when a firewall drops packets. ``restore()`` forwards again, on
    the same port."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.mode = "forward"
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.listener: socket.socket | None = None
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed
            with self.lock:
                self.sockets.add(client)
                if self.mode == "hang":
                    continue  # held open, never answered
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                self._close(client)
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets.add(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        self._close(source)
        self._close(sink)

    def _close(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def _close_all(self) -> None:
        with self.lock:
            sockets = list(self.sockets)
        for sock in sockets:
            self._close(sock)

    def cut(self, mode: str = "refuse") -> None:
        assert mode in ("refuse", "hang")
        with self.lock:
            self.mode = mode
        if mode == "refuse":
            self._stop_listening()
        elif self.listener is None:
            self._listen()
        self._close_all()

    def restore(self) -> None:
        self._close_all()  # connections held in "hang" mode
        with self.lock:
            self.mode = "forward"
        if self.listener is None:
            self._listen()

    def _stop_listening(self) -> None:
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone may not.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None

    def close(self) -> None:
        self._stop_listening()
        self._close_all()

"""Where one request's time goes, in-process: the app as gunicorn loads it
(``intake.wsgi``, production settings), one path called through WSGI many times,
then cProfile's top functions. Used to find the fixed cost per response.

    python -m bench.profile_request /healthz
    python -m bench.profile_request /press/<slug> --uri postgresql+psycopg://…/db
    python -m bench.profile_request /help/check --post     # the form's answers
    python -m bench.profile_request /help/submit --post    # a new request each time

``--post`` sends the answers bench/submit.lua sends, each time with a new form
token (a submission stores a new request per call; the form's per-client limit
is raised, as in bench.run).
"""

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import re
import tempfile
import time
from pathlib import Path

TEST_KEY = "su20xohi1vgeHqJtSnqpew6O-qSJPQwF8JwHKiMrqNQ="  # a fixed key for a scratch database
SUBMIT_SCRIPT = Path(__file__).with_name("submit.lua")


def answers() -> str:
    """The form's answers, as bench/submit.lua posts them (one list for both)."""
    block = re.search(
        r"local answers = table.concat\(\{(.*?)\}, \"&\"\)", SUBMIT_SCRIPT.read_text(), re.S
    )
    return "&".join(re.findall(r'"([^"]*)"', block[1]))


def load_app(uri: str):
    os.environ.update(
        INTAKE_PRODUCTION="true",
        INTAKE_HELPLINE_PHONE="none",
        INTAKE_SECRET_KEY="profile-" + "x" * 24,
        INTAKE_ENCRYPTION_KEYS=TEST_KEY,
        INTAKE_LOOKUP_KEY="profile-lookup-key",
        INTAKE_CONFLICT_KEY="profile-conflict-key",
        INTAKE_STATUS_CODE_KEY="profile-status-code-key",
        INTAKE_TRUSTED_HOSTS="localhost,127.0.0.1",
        INTAKE_PUBLIC_BASE_URL="http://localhost",
        INTAKE_SQLALCHEMY_DATABASE_URI=uri,
        INTAKE_AUTO_MIGRATE="false",
        INTAKE_HELP_RATE_LIMIT="1000000 per second",
    )
    from intake.db import db
    from intake.public import releases
    from intake.wsgi import app

    with app.app_context():
        db.create_all()  # a scratch database; an existing one is left as it is
    releases.seed(app)  # the bundled release, when the database has none
    return app


def caller(app, path: str, post: bool = False):
    from werkzeug.test import EnvironBuilder

    from intake import form_tokens

    body = answers()

    def call() -> str:
        statuses = []
        if post:
            token = form_tokens.issue_token(app.config["SECRET_KEY"])
            builder = EnvironBuilder(
                path=path,
                method="POST",
                headers={"Host": "localhost"},
                data=f"{body}&csrf_token={token}",
                content_type="application/x-www-form-urlencoded",
            )
        else:
            builder = EnvironBuilder(path=path, headers={"Host": "localhost"})
        environ = builder.get_environ()
        response = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(response)
        if hasattr(response, "close"):
            response.close()
        return statuses[0]

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--uri", help="database (default: a scratch SQLite file)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--post", action="store_true", help="POST the form's answers")
    args = parser.parse_args()
    uri = args.uri or f"sqlite:///{tempfile.mkdtemp()}/profile.sqlite3"
    app = load_app(uri)
    call = caller(app, args.path, args.post)
    with contextlib.redirect_stderr(io.StringIO()):  # the request log, one line each
        status = call()
        for _ in range(min(200, args.requests)):
            call()
        started = time.perf_counter()
        for _ in range(args.requests):
            call()
        per_request = (time.perf_counter() - started) / args.requests * 1000
        profile = cProfile.Profile()
        profile.runcall(lambda: [call() for _ in range(args.requests // 2 or 1)])
    print(f"{args.path}: {status}, {per_request:.3f} ms per request (in-process, unprofiled)")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()

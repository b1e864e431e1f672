"""The production entry point prepares what every forked worker shares: the
public templates compiled, each language's catalogue loaded, and the objects
loaded so far frozen out of the garbage collector's sight (intake.wsgi)."""

import json
import subprocess
import sys

from tests.support import ROOT
from tests.support.apps import PRODUCTION_SITE, TEST_KEYS

PROBE = """
import gc, json
from flask_babel import get_domain
import intake.wsgi as wsgi
compiled = sorted(name for _loader, name in wsgi.app.jinja_env.cache.keys())
with wsgi.app.test_request_context():
    catalogues = sorted(locale for locale, _domain in get_domain().cache)
print(json.dumps({"compiled": compiled, "catalogues": catalogues, "frozen": gc.get_freeze_count()}))
"""


def test_the_entry_point_compiles_loads_and_freezes_before_the_fork(tmp_path):
    env = {f"INTAKE_{key}": value for key, value in TEST_KEYS.items()}
    env.update({f"INTAKE_{key}": json.dumps(value) for key, value in PRODUCTION_SITE.items()})
    env.update(
        INTAKE_HELPLINE_PHONE="none",
        INTAKE_SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/never-opened.sqlite3",
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**env, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(done.stdout.splitlines()[-1])
    for page in ("base.html", "public/press/release.html", "public/screening/step.html"):
        assert page in found["compiled"]
    assert not any(name.startswith("staff/") for name in found["compiled"])
    assert set(found["catalogues"]) >= {"es", "ar", "zh_Hans", "fa_AF"}
    assert found["frozen"] > 0
    assert not (tmp_path / "never-opened.sqlite3").exists()  # no connection before the fork

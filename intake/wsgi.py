"""Production entry point: ``gunicorn intake.wsgi:app``.

Production mode is on unless INTAKE_PRODUCTION says otherwise, so a missing
secret key stops the server instead of falling back to a generated one.
"""

import os

from intake import create_app

os.environ.setdefault("INTAKE_PRODUCTION", "true")
os.environ.setdefault("INTAKE_AUTO_MIGRATE", "false")
app = create_app()

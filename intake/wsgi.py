"""Production entry point: ``gunicorn intake.wsgi:app``.

Production mode is on unless INTAKE_PRODUCTION says otherwise, so a missing
secret key stops the server instead of falling back to a generated one.

gunicorn loads this module once in its master and forks the workers from it
(``preload_app``), and recycles each worker after ``max_requests``. So that a
new worker answers at once: the public pages' templates are compiled and every
language's catalogue is loaded here, before the fork, and everything loaded so
far is frozen out of the garbage collector's sight (``gc.freeze``): the workers
share those pages instead of copying them as the collector touches them, and a
worker that is recycled exits in milliseconds instead of walking every object
of the app first. Nothing here opens a database connection.
"""

import gc
import os

from flask import Flask
from flask_babel import force_locale, get_translations

from intake import create_app, locales

os.environ.setdefault("INTAKE_PRODUCTION", "true")
os.environ.setdefault("INTAKE_AUTO_MIGRATE", "false")

# Compiled before the fork: the pages anyone can open, and the error pages.
PUBLIC_TEMPLATES = ("public/", "errors/", "base.html", "_macros.html", "_language_switcher.html")


def warm_up(app: Flask) -> None:
    """Compile the public templates and load each language's catalogue."""
    for name in app.jinja_env.list_templates():
        if name.startswith(PUBLIC_TEMPLATES):
            app.jinja_env.get_template(name)
    with app.test_request_context():
        for language in locales.enabled(app.config):
            with force_locale(language.code):
                get_translations()


app = create_app()
warm_up(app)
gc.freeze()

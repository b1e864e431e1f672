"""Default configuration. Every key can be overridden by ``instance/config.py``
and then by an ``INTAKE_<KEY>`` environment variable (see the README)."""

from datetime import timedelta

# Production turns on Secure cookies and HSTS and makes a missing SECRET_KEY an
# error; ``intake.wsgi`` (the gunicorn entry point) switches it on.
PRODUCTION = False

# None means: generate one and keep it in instance/ (development only).
SECRET_KEY = None

# None means: SQLite in instance/intake.sqlite3.
SQLALCHEMY_DATABASE_URI = None
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

# Upgrade the schema and publish the bundled release when the app starts.
# Off in production, where several workers start at once: run
# ``flask --app intake db upgrade`` on deploy instead.
AUTO_MIGRATE = True
SEED_RELEASE = True

# Absolute base for canonical and share links, e.g. "https://help.example.org".
# None means: the host of the current request.
PUBLIC_BASE_URL = None

ORGANISATION_NAME = "Human Rights First"

# Where "Leave this site" sends the visitor: a neutral page.
QUICK_EXIT_URL = "https://www.google.com/search?q=weather+tomorrow"

MAX_CONTENT_LENGTH = 64 * 1024
MAX_FORM_MEMORY_SIZE = 64 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

WTF_CSRF_TIME_LIMIT = 4 * 60 * 60

LANGUAGES = ["en"]
BABEL_DEFAULT_LOCALE = "en"
BABEL_DEFAULT_TIMEZONE = "UTC"

# Flask-Limiter: "memory://" for one process; "redis://host:6379/0" to share
# counters between workers and hosts.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_STRATEGY = "moving-window"
RATELIMIT_ENABLED = True

# Per client address, on the framed pages and on the oEmbed endpoint. Generous:
# a partner's readers may share one address (an office, a mobile carrier).
EMBED_RATE_LIMIT = "120 per minute"
OEMBED_RATE_LIMIT = "60 per minute"

"""Every setting: its default, and the checks and derived values once the
configuration is loaded (``finish``).

Every key can be overridden by ``instance/config.py`` and then by an
``INTAKE_<KEY>`` environment variable (see docs/operating.md); ``create_app`` reads
only the UPPERCASE names here.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import phonenumbers
from flask import Flask

# Production turns on Secure cookies and HSTS and makes a missing SECRET_KEY an
# error; ``intake.wsgi`` (the gunicorn entry point) switches it on.
PRODUCTION = False

# None means: generate one and keep it in instance/ (development only).
SECRET_KEY = None
# Fernet keys for the encrypted answers, newest first (a list or "NEW,OLD"), and
# the HMAC key of the duplicate lookups (intake.crypto). None: generated into
# instance/ in development; in production every write of personal data fails.
ENCRYPTION_KEYS = None
LOOKUP_KEY = None
# The key of the conflict-of-interest index (intake.cases.conflicts), and the work of
# its scrypt: N = 2**cost (14: 16 MiB and tens of milliseconds a hash). Changing
# either is a rotation: run `rotate-keys`. None: generated into instance/ in
# development; production refuses to start without it.
CONFLICT_KEY = None
CONFLICT_HASH_COST = 14
# The HMAC keys of the applicants' status codes (intake.cases.status_codes),
# newest first (a list or "NEW,OLD"): a code hashed under an older key is still
# accepted and hashed again under the newest when used; `rotate-keys` hashes
# nothing (the codes are not kept), so keep an old key while codes made under it
# matter. None: generated into instance/ in development; production refuses to start.
STATUS_CODE_KEY = None

# None means: SQLite in instance/intake.sqlite3.
SQLALCHEMY_DATABASE_URI = None
# hide_parameters: an error message or SQL log never shows the values of a
# statement (they can hold an applicant's answers before encryption).
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
# PostgreSQL: seconds to wait for a connection before the page answers 503
# (a "connect_timeout" in the URI or in the engine options takes precedence).
DATABASE_CONNECT_TIMEOUT = 5

# Upgrade the schema and publish the bundled release when the app starts.
# Off in production, where several workers start at once: run
# ``flask --app intake db upgrade`` on deploy instead.
AUTO_MIGRATE = True
SEED_RELEASE = True

# Public pages that are the same for everyone (a release, the empty form) are
# kept as rendered in each process for at most this many seconds and served
# before Flask (intake.public.page_cache); every request checks the release's
# last change first, so an edit anywhere shows at once. 0 renders every time.
PUBLIC_PAGE_CACHE_SECONDS = 10

# Absolute base for canonical and share links, e.g. "https://help.example.org".
# None means: the host of the current request.
PUBLIC_BASE_URL = None

ORGANISATION_NAME = "Human Rights First"

# Where "Leave this site" sends the visitor: a neutral page.
QUICK_EXIT_URL = "https://www.google.com/search?q=weather+tomorrow"

MAX_CONTENT_LENGTH = 64 * 1024
MAX_FORM_MEMORY_SIZE = 64 * 1024

SESSION_COOKIE_HTTPONLY = True
# Only staff pages set a cookie (public pages set none), so this is the staff cookie.
SESSION_COOKIE_SAMESITE = "Strict"
PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

WTF_CSRF_TIME_LIMIT = 4 * 60 * 60

# Interface languages, English first (the unprefixed URLs). Each needs a compiled
# catalogue in intake/translations/<code>/LC_MESSAGES/ (see translations/README.md).
# Pashto ("ps") and Tigrinya ("ti") are known but not offered: no faithful
# translation yet.
LANGUAGES = ["en", "es", "fr", "ht", "pt_BR", "ar", "fa_AF", "ru", "uk", "zh_Hans"]
BABEL_DEFAULT_LOCALE = "en"
# Relative to the intake package, so the installed package finds its catalogues.
BABEL_TRANSLATION_DIRECTORIES = "translations"
BABEL_DEFAULT_TIMEZONE = "UTC"

# Flask-Limiter: "memory://" for one process; "redis://host:6379/0" to share
# counters between workers and hosts.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_STRATEGY = "moving-window"
RATELIMIT_ENABLED = True
# Namespaces the counters, so several apps (or the tests) can share one Redis.
RATELIMIT_KEY_PREFIX = "intake"

# Host names the app answers to, e.g. ["help.example.org"]; a request for any
# other Host gets 400. None accepts any (development).
TRUSTED_HOSTS = None

# Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host
# headers are trusted (werkzeug ProxyFix). 0: not behind a proxy.
PROXY_FIX = 0

# Closed requests (accepted, referred, declined, withdrawn) are deleted by
# ``flask --app intake purge`` once unchanged for this many days.
# The privacy notice on the form states it in months (RETENTION_DAYS // 30).
RETENTION_DAYS = 365

# Application log level; logs are JSON lines on stderr (intake.logs).
LOG_LEVEL = "INFO"

# --- The screening form (/help) ---------------------------------------------
# Urgency thresholds in days, and the income limit as a % of the HHS poverty
# guideline (see intake.law.urgency.Thresholds): staff policy, not code.
URGENCY_CRITICAL_HEARING_DAYS = 14
URGENCY_HIGH_HEARING_DAYS = 60
URGENCY_CRITICAL_DEADLINE_DAYS = 30
URGENCY_HIGH_DEADLINE_DAYS = 90
INCOME_LIMIT_PERCENT = 200
# A deadline passed at most this many days ago still ranks high; older, it is a
# flag ("exception needed"). SIJS turns critical this many days before the 21st
# birthday; "turning 18" is flagged this many days ahead (intake.law.urgency, intake.law.flags).
URGENCY_PASSED_DEADLINE_GRACE_DAYS = 30
URGENCY_SIJS_CRITICAL_DAYS = 180
URGENCY_TURNING_18_FLAG_DAYS = 365
# Where the case page says a rule comes from when it is this organisation's own
# policy (detention is critical, a hearing near, a person under 18...) rather
# than law: its own words, e.g. the name of its intake policy.
ORGANISATION_POLICY_SOURCE = "This organisation's policy"

# How long a form token stays valid, in seconds. Generous: someone may leave the
# form open for hours; an expired token keeps the answers and asks again.
FORM_TOKEN_MAX_AGE = 24 * 60 * 60

# Submissions of the form per client address (Flask-Limiter syntax).
HELP_RATE_LIMIT = "10 per hour"
# The applicant's status page (/status): WRONG lookups per reference and client
# (stepped: a backoff), per client, and per reference from everyone together
# (intake.public.status, intake.limits.Budget). A status code has 40 random bits; at 200
# guesses a day on one reference, guessing it takes longer than any case lasts.
STATUS_REFERENCE_CLIENT_RATE_LIMIT = "5 per 10 minutes; 10 per hour; 20 per day"
STATUS_RATE_LIMIT = "30 per hour"
STATUS_REFERENCE_RATE_LIMIT = "200 per day"

# The organisation's intake line, shown on the confirmation to people who need
# help at once (detained, hearing soon). A wrong number is worse than none, so
# each deployment sets its own; production refuses to start without it, unless
# it is set to "none" on purpose (then no number is shown).
HELPLINE_PHONE = None  # e.g. "+1 212 555 0100"
HELPLINE_HOURS = None  # e.g. "Monday to Friday, 9 am to 5 pm Eastern Time"
# When staff reply, in working days: "what happens next" on the confirmation. A
# request nobody has reached within them is overdue (intake.staff.followup.outreach).
REPLY_WITHIN_DAYS = 5
# How long the confirmation page of a sent request shows its reference and status
# code again on reload (intake.public.screening.confirmations); then it is deleted.
CONFIRMATION_MINUTES = 30
# The office's calendar (intake.law.working_days): its time zone (an IANA name), and
# the dates it is closed besides weekends, e.g. ["2026-12-25"] or
# "2026-12-25,2027-01-01" from the environment.
OFFICE_TIMEZONE = "America/New_York"
OFFICE_CLOSED_DAYS = []
# The office's country (ISO 3166 code, as ``phonenumbers`` knows it): a phone number
# written without a country code is read as one of it, and shown to staff in its
# national format (intake.cases.contact).
PHONE_REGION = "US"
# Reminders of the dates the rules know (intake.messages.reminders): how many days
# before each date a reminder is sent, e.g. "7,2,1".
REMINDER_OFFSETS_DAYS = "7,2,1"
# Staff may close a request as "could not reach" after this many attempts that
# did not reach the person, the first and the last at least this many days apart.
COULD_NOT_REACH_ATTEMPTS = 3
COULD_NOT_REACH_DAYS = 7

# Triage
# Where to email "a critical request is waiting" and the daily digest (counts per
# urgency of open requests with a deadline within DIGEST_DAYS; no personal
# data); empty: off.
STAFF_NOTIFY_EMAIL = ""
DIGEST_DAYS = 7
MAIL_SERVER = "localhost"
# "starttls" (port 587) or "ssl" (SMTPS, port 465), both verifying the server's
# certificate; "none" sends in clear text and is for a relay on this host only.
MAIL_SECURITY = "starttls"
MAIL_PORT = 587
MAIL_USERNAME = ""
MAIL_PASSWORD = ""
MAIL_FROM = "intake@localhost"
MAIL_TIMEOUT_SECONDS = 10
# A notification the mail server did not take is retried after MAIL_RETRY_SECONDS,
# then twice as long each time up to MAIL_RETRY_MAX_SECONDS, and given up after
# MAIL_MAX_ATTEMPTS (30 with these delays: about a day).
MAIL_RETRY_SECONDS = 60
MAIL_RETRY_MAX_SECONDS = 60 * 60
MAIL_MAX_ATTEMPTS = 30
# The CSV export needs a login within this many minutes.
EXPORT_RECENT_LOGIN_MINUTES = 15
# The queue's counts per status read the whole table; each process reuses them
# for this many seconds (its own changes show at once).
QUEUE_COUNTS_SECONDS = 10

# Reports (/staff/reports): counts from 1 to this number minus one are shown as
# "fewer than N" in charts, tables and CSV, so no one can be picked out.
REPORT_SMALL_COUNT_THRESHOLD = 5
# Every published count is rounded to a multiple of this, so that no difference
# of two reports (overlapping ranges, a funder against all) is exact.
REPORT_ROUND_TO = 5
# Nationalities, languages and states: this many largest, the rest as "Other".
REPORT_TOP_N = 10
# Report views and downloads per member of staff (Flask-Limiter syntax).
REPORT_RATE_LIMIT = "20 per minute;300 per day"

# Staff accounts
# A staff session ends after this long without a request, and this long after login.
STAFF_IDLE_MINUTES = 30
STAFF_ABSOLUTE_HOURS = 12
# Login attempts per client address (Flask-Limiter syntax), right or wrong.
STAFF_LOGIN_LIMIT = "20 per 15 minutes"
# Wrong logins per account AND client (stepped windows: a backoff that slows the
# guesser, never the account's owner elsewhere), and per account from everyone
# (spent, a client with no wrong guess at that account may still try).
STAFF_LOGIN_BACKOFF = "3 per minute; 10 per hour; 30 per day"
STAFF_LOGIN_ACCOUNT_LIMIT = "200 per day"
# argon2-cffi PasswordHasher arguments; empty means its defaults (Argon2id,
# RFC 9106 low-memory profile). Stored hashes are upgraded at the next login.
STAFF_ARGON2_PARAMETERS = {}


# --- Text and WhatsApp messages (intake.messages, docs/messaging.md) ------------
# "twilio": Twilio's Messages API; "log": nothing leaves the app, staff read
# each message on the dev-messages page (for development and staging); "none":
# no messages. None means "log" in development and "none" in production.
MESSAGING_PROVIDER = None
TWILIO_ACCOUNT_SID = ""
TWILIO_AUTH_TOKEN = ""
# The Twilio number texts come from, in E.164 ("+12125550100"); empty: no SMS.
TWILIO_FROM_SMS = ""
# The WhatsApp sender registered with Twilio, in E.164; empty: no WhatsApp.
TWILIO_FROM_WHATSAPP = ""
# Twilio's API; a test points it at a stand-in on the loopback.
TWILIO_API_BASE = "https://api.twilio.com"
# The message templates (/staff/message-templates) WhatsApp approved, each by
# its name and language and the Content SID Twilio gave it: {"cita/es": "HX..."}
# or "cita/es=HX...,cita/en=HX...". Outside 24 hours from a person's last
# WhatsApp message only these may be sent to them by WhatsApp, and they are
# sent as that content template.
WHATSAPP_TEMPLATES = {}
# Webhook calls (inbound messages, status callbacks) per client address.
MESSAGING_WEBHOOK_RATE_LIMIT = "600 per minute"

# Per client address, on the framed pages and on the oEmbed endpoint. Generous:
# a partner's readers may share one address (an office, a mobile carrier).
EMBED_RATE_LIMIT = "120 per minute"
OEMBED_RATE_LIMIT = "60 per minute"

# --- Hand-offs: referral packets and the API for case-management systems ---------
# Days a referral packet's link works (days, not weeks: it carries a person's story).
PACKET_LINK_DAYS = 7
# Wrong codes typed at one link before it opens no more (staff send a new one).
PACKET_CODE_ATTEMPTS = 5
# Minutes an opened packet's page may download and answer before the code is asked again.
PACKET_OPENING_MINUTES = 60
# Requests to the packet's pages per client address (the address is only a counter key).
PACKET_RATE_LIMIT = "30 per minute;300 per day"
# Requests per API key (or, before the key is known, per client address).
API_RATE_LIMIT = "120 per minute;5000 per day"
# Cases per page of the API's lists (a client may ask for fewer).
API_PAGE_SIZE = 50
# Seconds an acceptance waits before the API lists it: longer than any
# acceptance takes to commit, so a case accepted just before a client's cursor
# is never passed over while its transaction is still open.
API_SETTLE_SECONDS = 5


# --- Checks and derived values, once configuration is loaded ---------------------


def finish(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    cfg = app.config
    # Each secret has one job, so one can be rotated without the others.
    _require_secret(app, "SECRET_KEY", "sessions and form tokens")
    _require_secret(app, "CONFLICT_KEY", "the conflict index")
    _require_secret(app, "STATUS_CODE_KEY", "the applicants' status codes")
    if not cfg.get("SQLALCHEMY_DATABASE_URI"):
        cfg["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
            Path(app.instance_path) / "intake.sqlite3"
        )
    for name in ("REPORT_SMALL_COUNT_THRESHOLD", "REPORT_ROUND_TO"):
        value = cfg[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 2:
            # Below 2 nothing would be suppressed, or every count exact: a report,
            # or two compared, could single a person out.
            raise RuntimeError(f"INTAKE_{name} must be a whole number of 2 or more.")
    cfg["PHONE_REGION"] = str(cfg.get("PHONE_REGION") or "").strip().upper()
    if cfg["PHONE_REGION"] not in phonenumbers.SUPPORTED_REGIONS:
        raise RuntimeError("INTAKE_PHONE_REGION must be a country code such as US.")
    cfg["REMINDER_OFFSETS_DAYS"] = _offsets(cfg.get("REMINDER_OFFSETS_DAYS"))
    if cfg["PRODUCTION"]:
        cfg["SESSION_COOKIE_SECURE"] = True
        for name, why in (
            ("TRUSTED_HOSTS", "any Host header would be answered"),
            ("PUBLIC_BASE_URL", "links (oEmbed, share links, emails) would follow the Host header"),
        ):
            # /oembed builds absolute URLs and is cached publicly: from a
            # visitor's Host header, one request could poison it for everyone.
            if not cfg.get(name):
                raise RuntimeError(f"INTAKE_{name} is not set: {why}; refusing to start.")
        if not str(cfg.get("HELPLINE_PHONE") or "").strip():
            # An urgent applicant is told not to wait for a reply: they need a
            # number to call. "none" says the organisation has none, on purpose.
            raise RuntimeError(
                "INTAKE_HELPLINE_PHONE is not set. Urgent applicants are told to call "
                "it; set it, or set it to 'none' if there is no helpline; refusing to start."
            )
        if cfg.get("STAFF_NOTIFY_EMAIL") and not cfg.get("PUBLIC_BASE_URL"):
            # The staff email links to the queue: from the Host header, anyone
            # submitting a critical request could point that link at their own
            # site (a phishing page for staff logins); from `flask send-mail`
            # there is no request at all.
            raise RuntimeError(
                "INTAKE_STAFF_NOTIFY_EMAIL is set but INTAKE_PUBLIC_BASE_URL is not. "
                "The staff email's link to the queue must come from configuration, "
                "not from a visitor's Host header; refusing to start."
            )
    _check_messaging(cfg)
    if str(cfg.get("HELPLINE_PHONE") or "").strip().lower() == "none":
        cfg["HELPLINE_PHONE"] = None  # none on purpose: no number is shown


def _offsets(value) -> tuple[int, ...]:
    """Days before a date, largest first, from "7,2,1" or a list; refuses nonsense."""
    parts = value.split(",") if isinstance(value, str) else list(value or ())
    try:
        days = {int(str(part).strip()) for part in parts if str(part).strip()}
    except ValueError:
        days = {-1}
    if any(not 0 <= day <= 365 for day in days):
        raise RuntimeError("INTAKE_REMINDER_OFFSETS_DAYS must be days such as 7,2,1.")
    return tuple(sorted(days, reverse=True))


def _check_messaging(cfg) -> None:
    """A known provider, and Twilio whole or not at all (webhook signatures are
    checked against PUBLIC_BASE_URL). Unset: "log" in development; "none" in
    production, where a provider that sends nothing must be chosen on purpose."""
    cfg["WHATSAPP_TEMPLATES"] = _whatsapp_templates(cfg.get("WHATSAPP_TEMPLATES"))
    provider = cfg.get("MESSAGING_PROVIDER") or ("none" if cfg["PRODUCTION"] else "log")
    cfg["MESSAGING_PROVIDER"] = provider
    if provider not in ("none", "log", "twilio"):
        raise RuntimeError(
            "INTAKE_MESSAGING_PROVIDER must be none, log or twilio; refusing to start."
        )
    if provider != "twilio":
        return
    required = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL")
    missing = [name for name in required if not cfg.get(name)]
    if not (cfg.get("TWILIO_FROM_SMS") or cfg.get("TWILIO_FROM_WHATSAPP")):
        missing.append("TWILIO_FROM_SMS or TWILIO_FROM_WHATSAPP")
    if missing:
        raise RuntimeError(
            "The twilio messaging provider is half configured: "
            + ", ".join("INTAKE_" + name for name in missing)
            + " not set; refusing to start."
        )


def _whatsapp_templates(value) -> dict[str, str]:
    """{"name/language": "Content SID"} from a dict or "name/lang=HX...,..."."""
    if isinstance(value, str):
        pairs = [item.split("=", 1) for item in value.split(",") if item.strip()]
        if any(len(pair) != 2 for pair in pairs):
            raise RuntimeError("INTAKE_WHATSAPP_TEMPLATES must read name/language=HX...,...")
        value = {key.strip(): sid.strip() for key, sid in pairs}
    value = dict(value or {})
    for key, sid in value.items():
        name, _, language = key.partition("/")
        if not (name and language and sid):
            raise RuntimeError(
                f"INTAKE_WHATSAPP_TEMPLATES: {key!r} must be name/language with a Content SID."
            )
    return value


def _require_secret(app: Flask, name: str, purpose: str) -> None:
    """Production refuses to start without ``name``; development keeps a random
    one in instance/ so it survives a restart."""
    if app.config.get(name):
        return
    if app.config["PRODUCTION"]:
        raise RuntimeError(
            f"INTAKE_{name} is not set ({purpose}). In production it must come from "
            "the environment or instance/config.py; refusing to start."
        )
    app.config[name] = _development_secret(Path(app.instance_path) / name.lower())


def _development_secret(path: Path) -> str:
    """A random key kept in instance/ so sessions survive a restart in development."""
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()

"""Input hygiene: unreadable input is refused, text is normalised.

Every request whose path, query string or form body holds a NUL byte or is not
valid UTF-8 (raw invalid bytes, or percent-encoded ones such as ``%ED%A0%80``, a
lone surrogate) is refused with a 400 page before any view, CSRF check or rate
limit reads it: such bytes are never legitimate typing, and they break storage,
logs and comparisons further down.

``normalise_text`` and ``clean_name`` are pure helpers for the form code.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote_to_bytes

from flask import Flask, render_template, request
from werkzeug.exceptions import BadRequest

# Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they
# reorder the text that follows them ("Trojan Source").
BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Invisible characters that reorder or hide text: the bidi controls, zero-width
# space, word joiner, byte-order mark. They let a name display differently from
# what is stored ("spoofing"). Every other format character (Unicode category
# Cf) goes too, except the two joiners below.
INVISIBLE = BIDI_CONTROLS | {"\u200b", "\u2060", "\ufeff"}
# The zero-width non-joiner and joiner are part of correct spelling in Persian,
# Dari and Pashto (and of Indic scripts and emoji): they change how letters
# join, not the order text is shown in, so names keep them.
JOINERS = frozenset({"\u200c", "\u200d"})
WHITESPACE = re.compile(r"\s+")
FORM_URLENCODED = "application/x-www-form-urlencoded"


class UnreadableInput(BadRequest):
    description = "The request holds a NUL byte or bytes that are not UTF-8."


def normalise_text(value: str | None) -> str | None:
    """NFC (one code point sequence per visible text, so equal-looking answers
    compare, store and hash one way) and no surrounding whitespace. None (a
    field that was not sent) stays None: a form filter must not invent an answer."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value).strip()


def clean_name(value: str | None) -> str:
    """A person's name as staff should see it: NFC; bidi controls, zero-width and
    all other format (Cf), control (Cc) and surrogate (Cs) characters removed;
    runs of whitespace collapsed to one space. The zero-width (non-)joiner stays:
    Persian and Dari spelling needs it."""
    text = unicodedata.normalize("NFC", value or "")
    text = WHITESPACE.sub(" ", text)
    text = "".join(
        ch
        for ch in text
        if ch in JOINERS
        or (ch not in INVISIBLE and unicodedata.category(ch) not in ("Cf", "Cc", "Cs"))
    )
    return WHITESPACE.sub(" ", text).strip()


def readable(raw: bytes, encoded: bool = True) -> bool:
    """True if ``raw`` (percent-decoded first when ``encoded``) is UTF-8 without
    surrogates and without NUL."""
    decoded = unquote_to_bytes(raw.replace(b"+", b" ")) if encoded else raw
    try:
        text = decoded.decode("utf-8")  # strict: rejects lone surrogates too
    except UnicodeDecodeError:
        return False
    return "\x00" not in text


def check_request() -> None:
    # PATH_INFO is already percent-decoded by the server (WSGI: bytes as latin-1).
    path = request.environ.get("PATH_INFO", "").encode("latin-1", "replace")
    if not readable(path, encoded=False) or not readable(request.query_string):
        raise UnreadableInput()
    if request.method in ("POST", "PUT", "PATCH"):
        if request.mimetype == FORM_URLENCODED:
            # cache=True: the form is parsed from these same bytes afterwards.
            if not readable(request.get_data(cache=True)):
                raise UnreadableInput()
        elif request.mimetype == "multipart/form-data":
            # Werkzeug has decoded these already (invalid bytes become U+FFFD).
            for key, value in request.form.items(multi=True):
                if "\x00" in key or "\x00" in value or "\ufffd" in value:
                    raise UnreadableInput()


def init_app(app: Flask) -> None:
    """Register before anything else that reads the body (CSRF, the limiter)."""
    app.before_request(check_request)

    @app.errorhandler(UnreadableInput)
    def unreadable(error):
        return render_template("errors/unreadable.html"), 400


MAX_MONTHLY_INCOME = Decimal(1_000_000)


def parse_income(text: str | None) -> Decimal | None:
    """A monthly amount in USD from what people type ("$1,200.50"), or None."""
    if not text:
        return None
    cleaned = re.sub(r"[\s,$]", "", text)
    if not re.fullmatch(r"[0-9]{1,7}(\.[0-9]{1,2})?", cleaned):
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if amount <= MAX_MONTHLY_INCOME else None

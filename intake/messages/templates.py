"""The wording editors keep for messages: one text per template name and
language, with {placeholders} filled when staff pick it on a case.

A phone may be seen or taken by someone else, so a message says little: the
placeholders are the organisation's name and its phone, never the person's
name, their case or the status code.
"""

import re
import string

from flask import current_app
from sqlalchemy import select

from intake.db import db
from intake.models import MessageTemplate

PLACEHOLDERS = ("organisation", "helpline")
NAME_SHAPE = re.compile(r"[a-z0-9_]{1,40}")
# Names editors may not use: the reminders' approved WhatsApp template
# (``intake.messages.reminders.TEMPLATE``), whose variable is a date.
RESERVED = frozenset({"reminder"})
BODY_MAX = 1600


def unknown_placeholders(wording: str) -> list[str]:
    """What in ``wording`` is not a plain {placeholder} we fill; empty when safe."""
    try:
        parsed = list(string.Formatter().parse(wording))
    except ValueError:
        return ["a lone { or }"]
    return [
        "{" + field + (":" + spec if spec else "") + ("!" + conv if conv else "") + "}"
        for _text, field, spec, conv in parsed
        if field is not None and (field not in PLACEHOLDERS or spec or conv)
    ]


def fill(wording: str) -> str:
    cfg = current_app.config
    return wording.format_map(
        {"organisation": cfg["ORGANISATION_NAME"], "helpline": cfg.get("HELPLINE_PHONE") or ""}
    )


def content_variables(name: str, language: str) -> dict[str, str]:
    """The values of an approved WhatsApp template's variables: {{1}} is the
    organisation, {{2}} the helpline (PLACEHOLDERS' order), each given when our
    wording of the template uses it."""
    kept = find(name, language)
    body = kept.body if kept else ""
    cfg = current_app.config
    values = {"organisation": cfg["ORGANISATION_NAME"], "helpline": cfg.get("HELPLINE_PHONE") or ""}
    return {
        str(number): values[placeholder]
        for number, placeholder in enumerate(PLACEHOLDERS, start=1)
        if "{" + placeholder + "}" in body
    }


def names() -> list[str]:
    query = select(MessageTemplate.name).distinct().order_by(MessageTemplate.name)
    return list(db.session.execute(query).scalars())


def in_language(language: str) -> list[MessageTemplate]:
    """The templates written in ``language``, by name."""
    query = select(MessageTemplate).filter_by(language=language).order_by(MessageTemplate.name)
    return list(db.session.execute(query).scalars())


def find(name: str, language: str) -> MessageTemplate | None:
    return db.session.execute(
        select(MessageTemplate).filter_by(name=name, language=language)
    ).scalar_one_or_none()

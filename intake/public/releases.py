"""Publishing press releases: parse the plain-text shape, import, seed on first start."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from markupsafe import escape
from sqlalchemy.exc import OperationalError

from intake.db import db
from intake.models import Release
from intake.safe_html import clean_body

SEED_FILE = (
    Path(__file__).resolve().parents[1] / "seed" / "release-2012-02-07-russian-delegation-syria.txt"
)

_PUBLISHED = re.compile(r"^Published on (?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})$")
# Page furniture in the text shape: rendered by the page, never part of the body.
_SHARE = "Share"
_CALL_TO_ACTION = "Seeking asylum?"


class ReleaseFormatError(ValueError):
    """The text file is not in the shape of a release."""


@dataclass(frozen=True)
class ParsedRelease:
    title: str
    paragraphs: tuple[str, ...]
    section: str
    published_on: date

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def body_html(self) -> str:
        return clean_body("\n".join(f"<p>{escape(p)}</p>" for p in self.paragraphs))


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:150] or "release"


def parse_release(text: str) -> ParsedRelease:
    """Title line, body paragraphs, an optional section label, "Published on <date>",
    then furniture ("Share", the "Seeking asylum?" block) that the page supplies."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    if not blocks:
        raise ReleaseFormatError("the file is empty")
    title, rest = blocks[0], blocks[1:]
    dated = [i for i, block in enumerate(rest) if _PUBLISHED.match(block)]
    if not dated:
        raise ReleaseFormatError('no "Published on <Month> <day>, <year>" line')
    at = dated[0]
    try:
        published = datetime.strptime(_PUBLISHED.match(rest[at])["date"], "%B %d, %Y").date()
    except ValueError as exc:
        raise ReleaseFormatError(f"unreadable date in {rest[at]!r}") from exc
    body = rest[:at]
    section = "Press"
    if body and len(body[-1]) <= 40 and not body[-1].endswith((".", "!", "?", '"', "”")):
        section = body.pop()
    body = [b for b in body if b not in (_SHARE, _CALL_TO_ACTION)]
    if not body:
        raise ReleaseFormatError("the release has no body")
    return ParsedRelease(title, tuple(body), section, published)


def publish(parsed: ParsedRelease) -> tuple[Release, bool]:
    """Create or update the release with the same slug; returns (release, created)."""
    release = db.session.execute(
        db.select(Release).filter_by(slug=parsed.slug)
    ).scalar_one_or_none()
    created = release is None
    if created:
        release = Release(slug=parsed.slug)
        db.session.add(release)
    release.title = parsed.title
    release.body_html = parsed.body_html
    release.section = parsed.section
    release.published_on = parsed.published_on
    release.is_published = True
    db.session.commit()
    return release, created


def seed(app: Flask) -> None:
    """Publish the bundled release on first start (when there are no releases yet)."""
    with app.app_context():
        try:
            if db.session.execute(db.select(Release.id).limit(1)).first() is None:
                publish(parse_release(SEED_FILE.read_text(encoding="utf-8")))
        except OperationalError:
            db.session.rollback()
            app.logger.warning("database unavailable: the release was not seeded")


@click.command("import-release")
@with_appcontext
@click.argument("file", type=click.File(encoding="utf-8"))
def import_release_command(file) -> None:
    """Publish a release from a text file in the seed's shape."""
    try:
        parsed = parse_release(file.read())
    except ReleaseFormatError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from exc
    release, created = publish(parsed)
    verb = "Published" if created else "Updated"
    click.echo(f"{verb} /press/{release.slug} ({release.published_on.isoformat()})")


def init_app(app: Flask) -> None:
    app.cli.add_command(import_release_command)

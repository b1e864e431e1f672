"""Importing releases from the plain-text shape."""

from datetime import date

import pytest

from intake.db import db
from intake.models import Release
from intake.public.releases import SEED_FILE, ReleaseFormatError, parse_release, slugify

SHAPE = """A Title With “Quotes”

Washington, DC - First paragraph.

Second <b>paragraph</b> & more.

Press

Published on March 1, 2024

Share

Seeking asylum?

If you do not already have legal representation, we can help.
"""


def test_parse_reads_title_body_section_and_date():
    parsed = parse_release(SHAPE)
    assert parsed.title == "A Title With “Quotes”"
    assert parsed.paragraphs == (
        "Washington, DC - First paragraph.",
        "Second <b>paragraph</b> & more.",
    )
    assert parsed.section == "Press"
    assert parsed.published_on == date(2024, 3, 1)
    assert parsed.slug == "a-title-with-quotes"
    # Text is text: markup in a plain-text file is escaped, never interpreted.
    assert "&lt;b&gt;paragraph&lt;/b&gt; &amp; more" in parsed.body_html
    assert "Seeking asylum" not in parsed.body_html and "Share" not in parsed.body_html


def test_parse_the_seed():
    parsed = parse_release(SEED_FILE.read_text(encoding="utf-8"))
    assert parsed.published_on == date(2012, 2, 7)
    assert len(parsed.paragraphs) == 1
    assert parsed.paragraphs[0].startswith("Washington, DC -Today")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "empty"),
        ("Title\n\nBody.\n", "Published on"),
        ("Title\n\nBody.\n\nPublished on Febtober 31, 2012\n", "Published on"),
        ("Title\n\nBody.\n\nPublished on February 30, 2012\n", "unreadable date"),
        ("Title\n\nPress\n\nPublished on February 7, 2012\n", "no body"),
    ],
)
def test_parse_rejects_what_is_not_a_release(text, problem):
    with pytest.raises(ReleaseFormatError, match=problem):
        parse_release(text)


def test_slugify_is_ascii_and_bounded():
    assert slugify("Ça va? Über  alles!") == "ca-va-uber-alles"
    assert slugify("سلام") == "release"
    assert len(slugify("x" * 500)) == 150


def test_import_release_command_is_idempotent(app, runner, tmp_path):
    path = tmp_path / "release.txt"
    path.write_text(SHAPE, encoding="utf-8")
    first = runner.invoke(args=["import-release", str(path)])
    assert first.exit_code == 0, first.output
    assert "Published /press/a-title-with-quotes (2024-03-01)" in first.output
    second = runner.invoke(args=["import-release", str(path)])
    assert second.exit_code == 0 and "Updated" in second.output
    with app.app_context():
        rows = db.session.execute(db.select(Release)).scalars().all()
        assert len(rows) == 1
        assert rows[0].published_on == date(2024, 3, 1)


def test_import_release_command_reports_a_bad_file(app, runner, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Only a title\n", encoding="utf-8")
    result = runner.invoke(args=["import-release", str(path)])
    assert result.exit_code != 0
    assert "Published on" in result.output
    with app.app_context():
        assert db.session.execute(db.select(Release)).first() is None


def test_seed_publishes_once(app, seeded):
    from intake.public import releases

    releases.seed(app)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Release.id))) == 1

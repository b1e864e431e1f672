"""Editing releases: editors and admins create, preview, edit, publish and
unpublish; the body is sanitised; other roles are refused."""

import re

import pytest

from intake.db import db
from intake.models import AuditEvent, Release
from tests.support.tokens import csrf_token

BODY = (
    '<p onclick="x()">Hello <a href="javascript:alert(1)">bad</a> '
    '<a href="https://example.org">good</a></p><script>alert(1)</script>'
)


@pytest.fixture
def editor(make_staff, login_as, client):
    user = make_staff(role="editor")
    login_as(client, user)
    return user


def form_data(client, url, **fields):
    data = {
        "csrf_token": csrf_token(client.get(url).get_data(as_text=True)),
        "title": "Ceasefire monitors arrive",
        "section": "Press",
        "published_on": "2026-03-01",
        "body_html": BODY,
        "show_call_to_action": "y",
        **fields,
    }
    return {k: v for k, v in data.items() if v is not None}


def release_row(app, **by):
    with app.app_context():
        row = db.session.execute(db.select(Release).filter_by(**by)).scalar_one_or_none()
        if row is not None:
            db.session.expunge(row)
        return row


def test_preview_renders_the_cleaned_body_and_saves_nothing(client, app, editor):
    response = client.post(
        "/staff/releases/new", data=form_data(client, "/staff/releases/new", preview="1")
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Preview (not saved)" in page
    preview = page.split('<div class="release-body"', 1)[1].split("</div>", 1)[0]
    assert '<a href="https://example.org" rel="noopener noreferrer">good</a>' in preview
    assert "javascript:" not in preview and "<script>" not in preview and "onclick" not in preview
    assert release_row(app, title="Ceasefire monitors arrive") is None


def test_create_saves_a_clean_draft_then_publish_and_unpublish(client, app, editor):
    response = client.post(
        "/staff/releases/new", data=form_data(client, "/staff/releases/new", save="1")
    )
    assert response.status_code == 302
    row = release_row(app, slug="ceasefire-monitors-arrive")
    assert row.is_published is False
    assert "<script>" not in row.body_html and "javascript:" not in row.body_html
    assert "onclick" not in row.body_html
    assert client.get("/press/ceasefire-monitors-arrive").status_code == 404  # a draft

    token = csrf_token(client.get("/staff/releases/").get_data(as_text=True))
    assert (
        client.post(f"/staff/releases/{row.id}/publish", data={"csrf_token": token}).status_code
        == 302
    )
    public = client.get("/press/ceasefire-monitors-arrive")
    assert public.status_code == 200
    assert "javascript:" not in public.get_data(as_text=True)

    assert (
        client.post(f"/staff/releases/{row.id}/unpublish", data={"csrf_token": token}).status_code
        == 302
    )
    assert client.get("/press/ceasefire-monitors-arrive").status_code == 404
    with app.app_context():
        actions = [
            e.action
            for e in db.session.execute(
                db.select(AuditEvent).where(AuditEvent.target_type == "release")
            ).scalars()
        ]
    assert actions == ["release.create", "release.publish", "release.unpublish"]


def test_longest_title_saves_and_the_audit_names_the_release_by_id(client, app, editor):
    """A 300-character title makes a 150-character slug; the audit target holds
    40 (PostgreSQL refused the slug there: the save failed with a 503)."""
    data = form_data(client, "/staff/releases/new", save="1", title="Long title " * 27 + "end")
    assert client.post("/staff/releases/new", data=data).status_code == 302
    row = release_row(app, title=data["title"])
    assert len(row.slug) == 150
    with app.app_context():
        event = db.session.execute(
            db.select(AuditEvent).filter_by(action="release.create")
        ).scalar_one()
    assert event.target == str(row.id)


def test_same_title_gets_a_unique_slug(client, app, editor, make_release):
    make_release(slug="ceasefire-monitors-arrive", title="Ceasefire monitors arrive")
    client.post("/staff/releases/new", data=form_data(client, "/staff/releases/new", save="1"))
    assert release_row(app, slug="ceasefire-monitors-arrive-2") is not None


def test_edit_keeps_the_slug_and_cleans_the_body(client, app, editor, make_release):
    slug = make_release(title="Old title")
    row = release_row(app, slug=slug)
    url = f"/staff/releases/{row.id}/edit"
    assert "Old title" in client.get(url).get_data(as_text=True)
    response = client.post(
        url, data=form_data(client, url, title="New title", save="1", show_call_to_action=None)
    )
    assert response.status_code == 302
    edited = release_row(app, id=row.id)
    assert (edited.slug, edited.title, edited.show_call_to_action) == (slug, "New title", False)
    assert "<script>" not in edited.body_html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Enter a title."),
        ("published_on", "01/03/2026", "Enter the publication date"),
        ("body_html", "", "Write the body."),
        ("title", "x" * 301, "Field cannot be longer"),
    ],
)
def test_invalid_input_is_explained(client, app, editor, field, value, message):
    data = form_data(client, "/staff/releases/new", save="1", **{field: value})
    response = client.post("/staff/releases/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'href="#{field}"' in page  # the error summary links to the field
    with app.app_context():
        assert db.session.execute(db.select(Release)).first() is None


def test_admin_may_edit_releases(client, make_staff, login_as):
    login_as(client, make_staff(role="admin"))
    assert client.get("/staff/releases/").status_code == 200


@pytest.mark.parametrize("role", ["reviewer", "volunteer"])
def test_case_workers_may_not_edit_releases(client, make_staff, login_as, make_release, app, role):
    slug = make_release()
    row = release_row(app, slug=slug)
    login_as(client, make_staff(role=role))
    assert client.get("/staff/releases/").status_code == 403
    assert client.get("/staff/releases/new").status_code == 403
    token = csrf_token(client.get("/staff/").get_data(as_text=True))
    assert (
        client.post(f"/staff/releases/{row.id}/unpublish", data={"csrf_token": token}).status_code
        == 403
    )
    assert release_row(app, id=row.id).is_published is True


def test_publish_without_csrf_is_refused(client, app, editor, make_release):
    row = release_row(app, slug=make_release(is_published=False))
    assert client.post(f"/staff/releases/{row.id}/publish").status_code == 403
    assert release_row(app, id=row.id).is_published is False


def test_release_list_escapes_titles(client, editor, make_release):
    make_release(title="<img src=x onerror=alert(1)>")
    page = client.get("/staff/releases/").get_data(as_text=True)
    assert "<img src=x" not in page
    assert re.search(r"&lt;img src=x onerror=alert\(1\)&gt;", page)

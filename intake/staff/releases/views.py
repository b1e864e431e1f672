"""Editing press releases in the staff area (editors and admins).

    GET       /staff/releases/                 staff.editorial.releases
    GET, POST /staff/releases/new              staff.editorial.new (preview: nothing saved)
    GET, POST /staff/releases/<id>/edit        staff.editorial.edit
    POST      /staff/releases/<id>/publish     staff.editorial.publish
    POST      /staff/releases/<id>/unpublish   staff.editorial.unpublish

The body is cleaned by ``safe_html.clean_body`` when saved and by ``render_body``
when shown. A new release starts as a draft; publishing makes it public.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from intake.cases import audit
from intake.db import db
from intake.models import Release
from intake.public.releases import slugify
from intake.safe_html import clean_body
from intake.timeutil import today

bp = Blueprint("editorial", __name__, url_prefix="/releases")


class ReleaseForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title."), Length(max=300)])
    section = StringField(
        "Section label",
        default="Press",
        validators=[DataRequired("Enter a section label."), Length(max=60)],
    )
    published_on = DateField(
        "Published on", validators=[DataRequired("Enter the publication date (YYYY-MM-DD).")]
    )
    body_html = TextAreaField(
        "Body",
        description="HTML: paragraphs, links, emphasis, lists, quotes and sub-headings "
        "(h2, h3). Anything else is removed when saved.",
        validators=[DataRequired("Write the body."), Length(max=60_000)],
    )
    show_call_to_action = BooleanField("Show the “Seeking asylum?” call to action", default=True)


class ActionForm(FlaskForm):
    """Publish and unpublish buttons: CSRF only."""


def unique_slug(title: str) -> str:
    base = slugify(title)
    slug, n = base, 1
    while db.session.execute(db.select(Release.id).filter_by(slug=slug)).first():
        n += 1
        slug = f"{base[:150]}-{n}"
    return slug


def save_release(release: Release, form: ReleaseForm) -> None:
    release.title = form.title.data.strip()
    release.section = form.section.data.strip()
    release.published_on = form.published_on.data
    release.body_html = clean_body(form.body_html.data)
    release.show_call_to_action = form.show_call_to_action.data


def set_published(release: Release, published: bool) -> None:
    release.is_published = published
    audit.record("release.publish" if published else "release.unpublish", "release", release.id)
    db.session.commit()


def get_release(release_id: int) -> Release:
    return db.get_or_404(Release, release_id)


@bp.get("/")
def releases():
    items = db.session.execute(
        db.select(Release).order_by(Release.published_on.desc(), Release.id.desc())
    ).scalars()
    return render_template(
        "staff/releases/index.html", releases=list(items), action_form=ActionForm()
    )


def _preview_requested() -> bool:
    return "preview" in request.form


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = ReleaseForm()
    if request.method == "GET":
        form.published_on.data = today()
    if form.validate_on_submit():
        if _preview_requested():
            return _form_page(form, None, preview=clean_body(form.body_html.data))
        release = Release(slug=unique_slug(form.title.data), is_published=False)
        save_release(release, form)
        db.session.add(release)
        # The audit names a release by id: a slug can be 150 characters, the
        # audit's target column holds 40 (PostgreSQL refuses a longer value).
        db.session.flush()
        audit.record("release.create", "release", release.id)
        db.session.commit()
        flash("Draft saved. It is not public until you publish it.", "success")
        return redirect(url_for(".edit", release_id=release.id))
    return _form_page(form, None)


@bp.route("/<int:release_id>/edit", methods=["GET", "POST"])
def edit(release_id: int):
    release = get_release(release_id)
    # A POST is read from the form alone: a field left out is an error, never
    # silently kept from the stored release.
    form = ReleaseForm(obj=release) if request.method == "GET" else ReleaseForm()
    if form.validate_on_submit():
        if _preview_requested():
            return _form_page(form, release, preview=clean_body(form.body_html.data))
        save_release(release, form)
        audit.record("release.edit", "release", release.id)
        db.session.commit()
        flash("Release saved.", "success")
        return redirect(url_for(".edit", release_id=release.id))
    return _form_page(form, release)


def _form_page(form: ReleaseForm, release: Release | None, preview: str | None = None):
    status = 400 if form.errors else 200
    return (
        render_template(
            "staff/releases/form.html",
            form=form,
            release=release,
            preview=preview,
            action_form=ActionForm(),
        ),
        status,
    )


@bp.post("/<int:release_id>/publish")
def publish(release_id: int):
    return _publish(release_id, True)


@bp.post("/<int:release_id>/unpublish")
def unpublish(release_id: int):
    return _publish(release_id, False)


def _publish(release_id: int, published: bool):
    release = get_release(release_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    set_published(release, published)
    flash(
        "Release published." if published else "Release unpublished: it is no longer public.",
        "success",
    )
    return redirect(url_for(".releases"))

"""Public press pages: the press room and one release, each with the call to action."""

from urllib.parse import quote, urlencode

from flask import Blueprint, abort, current_app, render_template, request, url_for
from markupsafe import Markup

from intake.db import db
from intake.locales import public_route
from intake.models import Release
from intake.public import page_cache

bp = Blueprint("press", __name__)


def published_releases():
    return db.select(Release).filter_by(is_published=True)


def release_by_slug(slug: str) -> Release:
    release = db.session.execute(published_releases().filter_by(slug=slug)).scalar_one_or_none()
    if release is None:
        abort(404)
    return release


def absolute_url(endpoint: str, **values) -> str:
    """Canonical URL: the configured public base, else this request's host."""
    base = current_app.config["PUBLIC_BASE_URL"]
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Plain share URLs: nothing from these networks is loaded until clicked."""
    q = quote
    return [
        ("Email", f"mailto:?subject={q(title)}&body={q(url)}"),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{title} {url}"})),
        ("Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": title})),
    ]


def summary(body_html: str, limit: int = 200) -> str:
    """Plain-text opening of a release for the description meta tags."""
    text = Markup(body_html).striptags()  # noqa: S704 - only read as text, never rendered
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


@public_route(bp, "/")
def index():
    page = request.args.get("page", 1, type=int)
    releases = db.paginate(
        published_releases().order_by(Release.published_on.desc(), Release.id.desc()),
        page=page,
        per_page=20,
        error_out=True,
    )
    return render_template(
        "public/press/index.html", releases=releases, canonical=absolute_url("press.index")
    )


@public_route(bp, "/press/<slug>")
def release(slug: str):
    # The stamp is read first, so the stored page is never newer than it says.
    stamp = page_cache.stamp_for(slug)
    item = release_by_slug(slug)  # 404 is raised, so never stored
    return page_cache.keep(_render_release(item), stamp, last_modified=item.updated_at)


def _render_release(item: Release) -> str:
    canonical = absolute_url("press.release", slug=item.slug)
    return render_template(
        "public/press/release.html",
        release=item,
        canonical=canonical,
        description=summary(item.body_html),
        share_links=share_links(canonical, item.title),
    )

"""Embedding on partner sites: the embed script, the framed pages, the snippets
and the oEmbed provider. The only module that lets a page be framed.

Who may frame a page comes only from the partner registry, looked up by the
partner key in the URL — never from a query-string origin or the Referer:

- ``/embed/cta?partner=KEY`` (and ``/embed/help?partner=KEY``): that active
  partner's registered origins;
- ``/embed/cta?oembed=1`` (the card an oEmbed consumer frames, with no partner
  key because a CMS embeds it by URL): the ONE registered origin framing it, named
  by the frame request's Referer (or, for a link inside the card, by ``at``) and
  only if an active partner registered it. Listing every partner's origin would
  publish the partner list to anyone who asks; a Referer or ``at`` naming no
  registered site allows nothing. An unregistered WordPress gets a blocked
  frame (or the notice below), not our card;
- anything else, an unknown or an inactive partner: ``frame-ancestors 'none'``.

One exception, which shows nothing but a notice: the oEmbed card requested by a
site registered for no active partner (the Referer's origin: a WordPress
editor's preview before registration) is a page telling the press officer what
to register, framable only by that site. The Referer never lets anyone frame
the card or the form.

Framed pages set no cookie (browsers block third-party cookies) and send
nothing about the host page back to us: the frame URL carries only the partner
key and the language.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, gettext
from markupsafe import Markup
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from intake import locales
from intake.db import db
from intake.errors import rollback_quietly
from intake.hardening import CONTENT_SECURITY_POLICY, csrf
from intake.limits import limiter
from intake.locales import public_route
from intake.models import Partner
from intake.origins import InvalidOrigin, normalise_origin
from intake.public.press import absolute_url, release_by_slug
from intake.public.screening import views as screening
from intake.public.status import views as status

bp = Blueprint("embed", __name__)
# GET pages, and the framed form, which (like /help) is protected by its signed
# single-use token and the Fetch-Metadata/Origin check, not a session cookie.
csrf.exempt(bp)

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "embed.js"
# Endpoints that may be framed; their framing is decided per request below.
FRAMED = frozenset(
    {
        "embed.cta",
        "embed.help",
        "embed.help_check",
        "embed.help_submit",
        "embed.help_sent",
        "embed.status",
    }
)
# The screening steps and their framed twins.
FORM_STEPS = {
    "form": "embed.help",
    "check": "embed.help_check",
    "submit": "embed.help_submit",
    "sent": "embed.help_sent",
}
# What the framed pages load from /static/ (see frame_assets_load_in_sandboxes).
FRAME_ASSETS = frozenset({"css/site.css", "js/frame-height.js", "js/quick-exit.js", "js/print.js"})
# What an oEmbed URL may point at.
OEMBEDDABLE = frozenset({"press.release", "screening.form"})
OEMBED_WIDTH, OEMBED_HEIGHT = 600, 420


def embed_limit() -> str:
    return current_app.config["EMBED_RATE_LIMIT"]


def oembed_limit() -> str:
    return current_app.config["OEMBED_RATE_LIMIT"]


# --- Who may frame what ---------------------------------------------------------


@dataclass(frozen=True)
class FramingPartner:
    """What a framed page needs of its partner."""

    id: int
    key: str
    origin_list: tuple[str, ...]


def active_partner(key: str | None) -> FramingPartner | None:
    """The active partner with this key. Each process remembers the partners it
    has seen, for one case only: a framed form step POSTed while the database is
    out of reach still answers inside the partner's frame (503 with the visitor's
    answers, from intake.public.screening.views) rather than with a page the browser refuses
    to frame, which would lose them. With the database up, the registry decides."""
    if not key or len(key) > 32:
        return None
    seen = current_app.extensions.setdefault("intake.framing_partners", {})
    try:
        partner = db.session.execute(
            db.select(Partner).filter_by(key=key, active=True)
        ).scalar_one_or_none()
    except DBAPIError:
        if request.method != "POST" or key not in seen:
            raise
        rollback_quietly()
        return seen[key]
    if partner is None:
        seen.pop(key, None)
        return None
    # Bounded by the registry: only registered, active keys are remembered.
    seen[key] = FramingPartner(partner.id, partner.key, tuple(partner.origin_list))
    return seen[key]


def every_active_origin() -> list[str]:
    partners = db.session.execute(db.select(Partner).filter_by(active=True)).scalars()
    return sorted({origin for partner in partners for origin in partner.origin_list})


def policy_with_frame_ancestors(ancestors: list[str]) -> str:
    """The site's CSP with ``frame-ancestors`` replaced (``'none'`` when empty)."""
    directives = [
        d for d in CONTENT_SECURITY_POLICY.split("; ") if not d.startswith("frame-ancestors")
    ]
    directives.append("frame-ancestors " + (" ".join(ancestors) or "'none'"))
    return "; ".join(directives)


@bp.before_request
def resolve_framing():
    """Decide, before the view runs, which partner (if any) this framed page is for."""
    g.frame_ancestors = []
    # Opened as a page of its own (the snippet's link followed without embed.js,
    # or embed.js's fallback to a new tab), a framed page drops what only makes
    # sense in a frame ("Continue in a new tab"). Browsers without Fetch Metadata
    # get the framed version, which works as a page too.
    g.in_frame = request.headers.get("Sec-Fetch-Dest") != "document"
    if request.endpoint not in FRAMED:
        return None
    key = request.args.get("partner")
    if key is not None:
        g.partner = active_partner(key)
        if g.partner is None:
            return render_template("public/embed/unavailable.html"), 404
        g.frame_ancestors = list(g.partner.origin_list)
        if not g.in_frame:
            g.unregistered_host = unregistered_referrer(g.frame_ancestors)
    elif request.endpoint == "embed.cta" and request.args.get("oembed") == "1":
        g.partner = None
        registered = every_active_origin()
        named = request.args.get("at")
        if named not in registered:
            named = referring_origin()
        if named in registered:
            g.frame_ancestors = [named]
            g.kept_params = {"at": named}  # the card's own links stay framable there
            return None
        host = unregistered_referrer(registered) if g.in_frame else None
        if host is not None:
            # The card was requested by an unregistered site (a WordPress editor's
            # preview before registration): rather than a refused, empty frame,
            # that site (only it) may frame a notice that says what to do.
            g.frame_ancestors = [host]
            return render_template("public/embed/unregistered.html", host=host)
    else:
        return render_template("public/embed/unavailable.html"), 404
    return None


def referring_origin() -> str | None:
    """The origin of the page that sent this request (its Referer), when it is
    another site: it only ever picks among registered origins, or explains a
    refusal; it never lets an unregistered site frame anything."""
    parts = urlsplit(request.referrer or "")
    if not parts.scheme or not parts.netloc or parts.netloc == request.host:
        return None
    try:
        return normalise_origin(f"{parts.scheme}://{parts.netloc}")
    except InvalidOrigin:
        return None


def unregistered_referrer(registered: list[str]) -> str | None:
    """The referring site, when it is not one of ``registered``: used only to
    explain a refusal to a press officer."""
    origin = referring_origin()
    return None if origin in registered else origin


@bp.after_request
def framing_headers(response):
    """Set before intake.hardening's defaults, so these win; security.py leaves out
    X-Frame-Options when a response allows named frame ancestors."""
    if request.endpoint in FRAMED:
        response.headers["Content-Security-Policy"] = policy_with_frame_ancestors(
            getattr(g, "frame_ancestors", [])
        )
        response.headers["Cache-Control"] = "no-store"
    return response


# --- The embed script -------------------------------------------------------------


@bp.get("/embed.js")
def script():
    """Cached for an hour (the URL is stable, so a fix reaches hosts within that),
    with an ETag for cheap revalidation; CORP lets hosts that isolate themselves
    (COEP) still load it."""
    response = Response(SCRIPT.read_bytes(), mimetype="text/javascript")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.add_etag()
    return response.make_conditional(request)


# --- Framed pages -----------------------------------------------------------------


@public_route(bp, "/embed/cta")
@limiter.limit(embed_limit)
def cta():
    partner = g.partner
    source = request.args.get("from", "")[:160] or None
    if partner is not None:
        form_href, new_tab = (
            url_for("embed.help", partner=partner.key, **_source_args(source)),
            False,
        )
    else:
        # The oEmbed card (WordPress sandboxes it: forms cannot submit there):
        # the form opens in a new tab on our own site.
        form_href, new_tab = url_for("screening.form", **_source_args(source)), True
    return render_template(
        "public/embed/cta.html",
        source=source,
        form_href=form_href,
        form_in_new_tab=new_tab,
        new_tab_url=url_for("screening.form", **_source_args(source)),
    )


def _source_args(source: str | None) -> dict:
    """URL arguments that carry the release a visitor came from to the form."""
    return {"from": source} if source else {}


@bp.get("/embed/leave")
def leave():
    """The quick exit of every framed page: a fixed redirect to the configured
    neutral site, never to a caller's choice. It lives on our host because
    WordPress's card may only ask its host page to open our own host's URLs
    (a "link" message); the frame itself never loads the neutral site. No
    rate limit: nobody leaving in a hurry may be told to wait."""
    response = redirect(current_app.config["QUICK_EXIT_URL"], code=303)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


# The screening form, framed: the same views and templates as /help (its steps
# post to these twins, with the partner key, and render in the embed layout).
# A submission made here records the partner (intake.public.screening.views reads g.partner).


@public_route(bp, "/embed/help", endpoint="help", methods=["GET", "POST"])
@limiter.limit(embed_limit)
def help_form():
    return screening.form()


@public_route(bp, "/embed/help/check", endpoint="help_check", methods=["POST"])
@limiter.limit(embed_limit)
def help_check():
    return screening.check()


@public_route(bp, "/embed/help/submit", endpoint="help_submit", methods=["POST"])
@limiter.limit(embed_limit)
def help_submit():
    return screening.submit()  # also under the form's own HELP_RATE_LIMIT


@public_route(bp, "/embed/help/sent/<key>", endpoint="help_sent")
@limiter.limit(embed_limit)
def help_sent(key):
    return screening.sent(key)


@public_route(bp, "/embed/status", endpoint="status", methods=["GET", "POST"])
@limiter.limit(embed_limit)
def status_lookup():
    """The applicant's status page in a partner's frame: it needs no cookie, so
    blocked third-party cookies change nothing."""
    return status.view()  # also under the status page's own limits


def for_partner() -> bool:
    """This request is one of a partner's form pages (framed, or opened as a page)."""
    return request.blueprint == "embed" and g.get("partner") is not None


def framed() -> bool:
    """This request is one of a partner's form pages, shown in its frame."""
    return for_partner() and g.get("in_frame", True)


def step_url(step: str, **values) -> str:
    """A screening step's URL: for a partner (in its frame or not), its framed
    twin, so the request still records the partner."""
    if for_partner():
        return url_for(FORM_STEPS[step], partner=g.partner.key, **values)
    return url_for(f"screening.{step}", **values)


def page_layout() -> str:
    return "public/embed/_layout.html" if framed() else "base.html"


def leave_frame() -> Markup:
    """Attributes for a link to another site: a new tab when framed, so the
    host page and the frame stay where they are."""
    return Markup(' target="_blank" rel="noopener"') if framed() else Markup("")


# --- Snippets for partners ----------------------------------------------------------


def snippets(partner: Partner, language: str) -> dict[str, str]:
    """The two snippets an admin copies to a partner, in ``language``:

    ``script``: the call to action as plain HTML with a link to the framed form
    (works with no JavaScript: the link opens it as a page), plus embed.js, which
    turns the link into the frame when the visitor clicks;
    ``iframe``: for sites that allow no script, the call-to-action card framed.
    """
    lang = {"lang": language}
    values = {
        "help_url": absolute_url("embed.help", partner=partner.key, **lang),
        "cta_url": absolute_url("embed.cta", partner=partner.key, **lang),
        "script_url": absolute_url("embed.script"),
        "language": locales.KNOWN[language],
    }
    with force_locale(language):
        return {
            "script": render_template("public/embed/snippet_script.html", **values).strip(),
            "iframe": render_template("public/embed/snippet_iframe.html", **values).strip(),
        }


# --- oEmbed -----------------------------------------------------------------------


@bp.get("/oembed")
@limiter.limit(oembed_limit)
def oembed():
    """oEmbed 1.0 (https://oembed.com): a ``rich`` response framing the card.

    JSON only (XML answers 501, as the spec asks); a URL that is not one of our
    release pages or our form answers 404."""
    if request.args.get("format", "json") != "json":
        abort(501)
    endpoint, values = embeddable(request.args.get("url", ""))
    language = values.get("lang") or locales.DEFAULT
    release = release_by_slug(values["slug"]) if endpoint == "press.release" else None
    source = release.slug if release else None
    width = _bounded(request.args.get("maxwidth"), OEMBED_WIDTH)
    height = _bounded(request.args.get("maxheight"), OEMBED_HEIGHT)
    with force_locale(language):
        html = render_template(
            "public/embed/oembed.html",
            help_url=absolute_url("screening.form", lang=language, **_source_args(source)),
            card_url=absolute_url("embed.cta", lang=language, oembed="1", **_source_args(source)),
            width=width,
            height=height,
        )
        title = release.title if release else gettext("Ask for free legal help")
    response = jsonify(
        version="1.0",
        type="rich",
        provider_name=current_app.config["ORGANISATION_NAME"],
        provider_url=absolute_url("press.index"),
        title=title,
        html=" ".join(html.split()),
        width=width,
        height=height,
        cache_age=3600,
    )
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


def embeddable(url: str) -> tuple[str, dict]:
    """(endpoint, values) for one of our release or form URLs; 404 otherwise."""
    parts = urlsplit(url.strip())
    base = current_app.config["PUBLIC_BASE_URL"]
    ours = urlsplit(base).netloc if base else request.host
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != ours.lower():
        abort(404)
    try:
        endpoint, values = current_app.url_map.bind(ours).match(parts.path or "/", "GET")
    except (HTTPException, RequestRedirect):
        abort(404)
    if endpoint not in OEMBEDDABLE:
        abort(404)
    return endpoint, values


def _bounded(value: str | None, default: int) -> int:
    """``maxwidth``/``maxheight``: honoured downwards, never below 200 px."""
    try:
        return max(200, min(default, int(value))) if value else default
    except ValueError:
        return default


def init_app(app) -> None:
    """Release pages advertise the oEmbed endpoint (the discovery ``<link>``)."""
    app.add_template_global(oembed_url, "oembed_url")
    for helper in (framed, step_url, page_layout, leave_frame):
        app.add_template_global(helper)

    @app.after_request
    def frame_assets_load_in_sandboxes(response):
        """WordPress frames the card in a sandbox: its document has an opaque
        origin, so loading our own stylesheet and scripts is a cross-origin load
        there, which the site-wide CORP "same-origin" would block. These public
        files (and only these) may be loaded from anywhere."""
        if request.endpoint == "static" and (request.view_args or {}).get("filename") in (
            FRAME_ASSETS
        ):
            response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response


def oembed_url(page_url: str) -> str:
    return absolute_url("embed.oembed", url=page_url, format="json")

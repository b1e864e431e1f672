"""Partners: the sites allowed to frame our call to action and form (admin only).

An origin typed by an admin ends up in a ``Content-Security-Policy`` header, so
it is parsed strictly and stored normalised (``scheme://host[:port]``): https
only (plain http only for localhost and 127.0.0.1, for development), no path,
no wildcard, nothing that could break out of the header.
"""

import re
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from intake import audit, locales
from intake.db import db
from intake.models import Partner
from intake.public import embed

bp = Blueprint("partners", __name__, url_prefix="/partners")

DEVELOPMENT_HOSTS = frozenset({"localhost", "127.0.0.1"})
MAX_ORIGINS = 20
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")
# Anything that is never part of an origin and could change a CSP header's meaning.
_FORBIDDEN = re.compile(r"[\s*;,'\"\\<>@?#%]")


class InvalidOrigin(ValueError):
    """Not an origin we can put in ``frame-ancestors``; the message says why."""


def normalise_origin(text: str) -> str:
    """``HTTPS://Press.Example.org:443/`` → ``https://press.example.org``."""
    value = text.strip()
    if value.endswith("/"):
        value = value[:-1]
    if not value or len(value) > 300:
        raise InvalidOrigin(f"{text!r} is not a web address.")
    scheme, sep, rest = value.partition("://")
    if not sep or _FORBIDDEN.search(rest) or "/" in rest:
        raise InvalidOrigin(
            f"{text!r}: give only the origin, like https://press.example.org "
            "(no path, no wildcard, no spaces)."
        )
    parts = urlsplit(value)
    try:
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        raise InvalidOrigin(f"{text!r} has an invalid host or port.") from None
    if not _HOST.match(host):
        raise InvalidOrigin(f"{text!r} has an invalid host name.")
    scheme = scheme.lower()
    if scheme == "http" and host not in DEVELOPMENT_HOSTS:
        raise InvalidOrigin(
            f"{text!r} must use https (plain http only for localhost, in development)."
        )
    if scheme not in ("http", "https"):
        raise InvalidOrigin(f"{text!r} must start with https://.")
    default_port = 443 if scheme == "https" else 80
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    return f"{scheme}://{netloc}"


def parse_origins(text: str) -> list[str]:
    """One origin per line (or separated by spaces); normalised, duplicates dropped."""
    origins: list[str] = []
    for entry in text.split():
        origin = normalise_origin(entry)
        if origin not in origins:
            origins.append(origin)
    if not origins:
        raise InvalidOrigin("Give at least one origin, like https://press.example.org.")
    if len(origins) > MAX_ORIGINS:
        raise InvalidOrigin(f"At most {MAX_ORIGINS} origins per partner.")
    return origins


# --- Operations (the caller's request commits nothing else) ---------------------


def create_partner(name: str, origins: list[str], active: bool = True) -> Partner:
    partner = Partner(name=name.strip(), origins=" ".join(origins), active=active)
    db.session.add(partner)
    db.session.flush()
    audit.record("partner.create", "partner", partner.id, _describe(partner))
    db.session.commit()
    return partner


def update_partner(partner: Partner, name: str, origins: list[str], active: bool) -> None:
    partner.name = name.strip()
    partner.origins = " ".join(origins)
    partner.active = active
    audit.record("partner.update", "partner", partner.id, _describe(partner))
    db.session.commit()


def set_partner_active(partner: Partner, active: bool) -> None:
    partner.active = active
    audit.record("partner.activate" if active else "partner.deactivate", "partner", partner.id)
    db.session.commit()


def _describe(partner: Partner) -> str:
    state = "active" if partner.active else "inactive"
    return f"{state}; origins: {partner.origins}"


# --- Views ----------------------------------------------------------------------


class PartnerForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    origins = TextAreaField(
        "Allowed origins",
        description="One per line, e.g. https://press.example.org — the site's address "
        "without any path. Only these sites may show the framed form.",
        validators=[DataRequired()],
    )
    active = BooleanField("Active (may embed)", default=True)

    def validate_origins(self, field):
        try:
            self.parsed_origins = parse_origins(field.data or "")
        except InvalidOrigin as error:
            raise ValidationError(str(error)) from None


def partner_or_404(partner_id: int) -> Partner:
    return db.get_or_404(Partner, partner_id)


@bp.get("/")
def index():
    partners = db.session.execute(db.select(Partner).order_by(Partner.name, Partner.id)).scalars()
    return render_template("partners/index.html", partners=list(partners))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = PartnerForm()
    if form.validate_on_submit():
        partner = create_partner(form.name.data, form.parsed_origins, form.active.data)
        flash(f"Partner “{partner.name}” registered. Copy its snippet below.", "ok")
        return redirect(url_for(".show", partner_id=partner.id))
    return render_template("partners/form.html", form=form, partner=None)


@bp.route("/<int:partner_id>", methods=["GET", "POST"])
def show(partner_id: int):
    partner = partner_or_404(partner_id)
    form = PartnerForm(obj=partner)
    if request.method == "GET":
        form.origins.data = "\n".join(partner.origin_list)
    elif form.validate_on_submit():
        update_partner(partner, form.name.data, form.parsed_origins, form.active.data)
        flash("Partner saved.", "ok")
        return redirect(url_for(".show", partner_id=partner.id))
    language = request.args.get("snippet_lang", locales.DEFAULT)
    languages = locales.enabled(current_app.config)
    if language not in {lang.code for lang in languages}:
        abort(404)
    return render_template(
        "partners/form.html",
        form=form,
        partner=partner,
        languages=languages,
        snippet_lang=language,
        snippets=embed.snippets(partner, language),
    )


@bp.post("/<int:partner_id>/active")
def toggle_active(partner_id: int):
    partner = partner_or_404(partner_id)
    active = request.form.get("active") == "1"
    set_partner_active(partner, active)
    flash(f"Partner “{partner.name}” {'activated' if active else 'deactivated'}.", "ok")
    return redirect(url_for(".index"))

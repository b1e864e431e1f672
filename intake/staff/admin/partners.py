"""Partners: the sites allowed to frame our call to action and form (admin only).

An origin typed by an admin ends up in a ``Content-Security-Policy`` header, so
it is parsed strictly and stored normalised (``scheme://host[:port]``): https
only (plain http only for localhost and 127.0.0.1, for development), no path,
no wildcard, nothing that could break out of the header.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
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

from intake import locales
from intake.cases import audit
from intake.db import db
from intake.models import Partner
from intake.origins import InvalidOrigin, normalise_origin
from intake.public import embed

bp = Blueprint("partners", __name__, url_prefix="/partners")

MAX_ORIGINS = 20


@dataclass(frozen=True)
class FramingCheck:
    """Whether a press page's address may frame this partner's pages."""

    origin: str | None  # the page's origin, exactly as frame-ancestors compares it
    allowed: bool
    problem: str | None = None


def check_page(partner: Partner, page_url: str) -> FramingCheck:
    """For a press officer's pasted address (``http://localhost:8200/?p=7``):
    its origin — scheme, host and port, which must match a registered origin
    exactly (``http://127.0.0.1:8200`` is another site) — and whether this
    partner's pages may be framed there now."""
    parts = urlsplit(page_url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return FramingCheck(None, False, "Paste the full address, starting with https://.")
    try:
        origin = normalise_origin(f"{parts.scheme}://{parts.netloc}")
    except InvalidOrigin as error:
        return FramingCheck(None, False, str(error))
    if not partner.active:
        return FramingCheck(origin, False, "This partner is inactive: activate it first.")
    return FramingCheck(origin, origin in partner.origin_list)


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
    return render_template("staff/admin/partners/index.html", partners=list(partners))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = PartnerForm()
    if form.validate_on_submit():
        partner = create_partner(form.name.data, form.parsed_origins, form.active.data)
        flash(f"Partner “{partner.name}” registered. Copy its snippet below.", "ok")
        return redirect(url_for(".show", partner_id=partner.id))
    return render_template("staff/admin/partners/form.html", form=form, partner=None)


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
    page_url = request.args.get("page_url", "")[:2000]
    return render_template(
        "staff/admin/partners/form.html",
        form=form,
        partner=partner,
        languages=languages,
        snippet_lang=language,
        snippets=embed.snippets(partner, language),
        page_url=page_url,
        framing=check_page(partner, page_url) if page_url.strip() else None,
    )


PLUGIN_SLUG = "asylum-help-cta"


def wordpress_plugin(partner: Partner) -> bytes:
    """A WordPress plugin (zip, as WordPress's "Upload Plugin" takes it) whose
    shortcode ``[asylum_help lang="xx"]`` prints this partner's script snippet,
    fixed, in each enabled language. Shortcodes are open to every author, so
    people without ``unfiltered_html`` (whose pasted ``<script>`` WordPress
    strips on save) can still place the call to action."""
    languages = [lang.code for lang in locales.enabled(current_app.config)]
    snippets = [(code, embed.snippets(partner, code)["script"]) for code in languages]
    organisation = re.sub(r"[^\w .,&'()-]", "", current_app.config["ORGANISATION_NAME"])
    source = render_template(
        "staff/admin/partners/wordpress_plugin.php",
        organisation=organisation,
        partner_key=partner.key,
        snippets=snippets,
        default=locales.DEFAULT,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{PLUGIN_SLUG}/{PLUGIN_SLUG}.php", source)
    return buffer.getvalue()


@bp.get("/<int:partner_id>/wordpress-plugin.zip")
def download_plugin(partner_id: int):
    partner = partner_or_404(partner_id)
    return Response(
        wordpress_plugin(partner),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{PLUGIN_SLUG}.zip"'},
    )


@bp.post("/<int:partner_id>/active")
def toggle_active(partner_id: int):
    partner = partner_or_404(partner_id)
    active = request.form.get("active") == "1"
    set_partner_active(partner, active)
    flash(f"Partner “{partner.name}” {'activated' if active else 'deactivated'}.", "ok")
    return redirect(url_for(".index"))

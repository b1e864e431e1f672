"""Asylum legal-help intake: the application factory.

Templates, static files and the instance folder live beside the package, at the
top of the repository; this is the one place that wires them in.
"""

from pathlib import Path

from flask import Flask

from intake import (
    crypto,
    db,
    errors,
    hardening,
    health,
    input_hygiene,
    limits,
    locales,
    logs,
    models,  # noqa: F401  (registers every table on the metadata)
    safe_html,
    settings,
    staff,
)
from intake.api import views as api
from intake.cases import (
    choice_lists,
    contact,
    help_requests,
    packet_links,  # noqa: F401  (registers the packet's mail)
    retention,
)
from intake.letters import delivery  # noqa: F401  (registers letters with the outbox)
from intake.mail import critical, digest, outbox  # noqa: F401  (critical registers its mail)
from intake.messages import (
    reminders,
    sending,  # noqa: F401  (registers messages with the outbox)
    webhooks,
)
from intake.ops import backup, demo, keys
from intake.public import embed, page_cache, press, releases
from intake.public.packet import views as packet
from intake.public.screening import views as screening
from intake.public.status import views as status
from intake.staff import roles
from intake.staff.followup import hsds

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then INTAKE_* variables,
    then ``test_config`` (tests only)."""
    app = Flask(
        __name__,
        instance_path=instance_path or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(settings)
    app.config.from_pyfile(str(Path(app.instance_path) / "config.py"), silent=True)
    app.config.from_prefixed_env("INTAKE")
    if test_config:
        app.config.from_mapping(test_config)

    settings.finish(app)
    logs.init_app(app)
    db.init_app(app)
    crypto.init_app(app)
    locales.init_app(app)
    input_hygiene.init_app(app)  # before anything that reads the body
    page_cache.init_app(app)  # before hardening: ProxyFix goes around it
    hardening.init_app(app)
    limits.init_app(app)
    app.add_template_global(roles.staff_nav, "staff_nav")
    app.add_template_global(roles.can, "can")
    app.add_template_global(lambda endpoint: endpoint in app.view_functions, "has_endpoint")
    errors.init_app(app)
    app.add_template_filter(safe_html.render_body, "render_body")
    app.add_template_filter(safe_html.linkify_note, "linkify_note")
    app.add_template_filter(help_requests.format_reference, "reference")
    app.add_template_filter(contact.phone_for_staff, "phone")
    for name_of in (choice_lists.country_name, choice_lists.language_name, choice_lists.state_name):
        app.add_template_filter(name_of)
    app.register_blueprint(health.bp)
    app.register_blueprint(press.bp)
    app.register_blueprint(screening.bp)
    app.register_blueprint(status.bp)
    app.register_blueprint(embed.bp)
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(packet.bp)
    app.register_blueprint(api.bp)
    embed.init_app(app)
    staff.init_app(app)
    releases.init_app(app)
    backup.init_app(app)
    keys.init_app(app)
    retention.init_app(app)
    outbox.init_app(app)
    digest.init_app(app)
    demo.init_app(app)
    reminders.init_app(app)
    hsds.init_app(app)

    if app.config["AUTO_MIGRATE"]:
        db.upgrade_schema(app)
        if app.config["SEED_RELEASE"]:
            releases.seed(app)
    return app

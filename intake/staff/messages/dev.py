"""The development provider's messages: with MESSAGING_PROVIDER "log" nothing
leaves the app, and staff read here what would have been sent (404 otherwise).

    GET /staff/messages/dev   dev_messages.index
"""

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select

from intake.db import db
from intake.messages import consent, sending
from intake.models import HelpRequest, Message

bp = Blueprint("dev_messages", __name__, url_prefix="/messages/dev")
SHOWN = 100


@bp.get("")
def index():
    if current_app.config["MESSAGING_PROVIDER"] != "log":
        abort(404)
    rows = db.session.execute(
        select(Message, HelpRequest.reference)
        .outerjoin(HelpRequest, HelpRequest.id == Message.request_id)
        .where(Message.direction == "out")
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(SHOWN)
    ).all()
    return render_template(
        "staff/messages/dev.html",
        rows=rows,
        channel_labels=consent.CHANNEL_LABELS,
        state_labels=sending.STATE_LABELS,
    )

"""The audit log viewer, newest first, filtered by action.

GET /staff/audit    staff.audit_log.index
"""

from flask import Blueprint, render_template, request

from intake.db import db
from intake.models import AuditEvent, StaffUser

bp = Blueprint("audit_log", __name__)

AUDIT_PAGE_SIZE = 50


@bp.route("/audit")
def index():
    action = request.args.get("action", "")[:40]
    page = request.args.get("page", 1, type=int)
    page = max(1, min(page, 100_000))
    query = db.select(AuditEvent, StaffUser.email).outerjoin(
        StaffUser, StaffUser.id == AuditEvent.actor_id
    )
    if action:
        query = query.where(AuditEvent.action == action)
    rows = db.session.execute(
        query.order_by(AuditEvent.id.desc())
        .limit(AUDIT_PAGE_SIZE + 1)
        .offset((page - 1) * AUDIT_PAGE_SIZE)
    ).all()
    actions = db.session.execute(
        db.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).scalars()
    return render_template(
        "staff/admin/audit.html",
        rows=rows[:AUDIT_PAGE_SIZE],
        has_next=len(rows) > AUDIT_PAGE_SIZE,
        page=page,
        action=action,
        actions=list(actions),
    )

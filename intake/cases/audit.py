"""Writing the audit log. Callers add the event in the same transaction as the
change it describes, so a change is never committed without its record."""

from flask_login import current_user

from intake.db import db
from intake.models import AuditEvent


def record(
    action: str,
    target_type: str = "",
    target: str = "",
    detail: str = "",
    actor_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the session (the caller commits).

    ``detail`` must never hold an applicant's answers: statuses, counts, reasons
    chosen from lists and references only."""
    if actor_id is None and current_user and current_user.is_authenticated:
        actor_id = current_user.id
    event = AuditEvent(
        action=action,
        target_type=target_type,
        target=str(target),
        detail=detail[:500],
        actor_id=actor_id,
    )
    db.session.add(event)
    return event

"""Typed models, one module per domain; importing this package registers every table."""

from .audit import AuditEvent
from .casework import Note, StatusChange
from .help_request import HelpRequest
from .outbox import OutgoingMail
from .partner import Partner
from .release import Release
from .staff import ROLES, Invitation, StaffUser

__all__ = [
    "ROLES",
    "AuditEvent",
    "HelpRequest",
    "Invitation",
    "Note",
    "OutgoingMail",
    "Partner",
    "Release",
    "StaffUser",
    "StatusChange",
]

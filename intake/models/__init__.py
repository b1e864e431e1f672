"""Typed models, one module per domain; importing this package registers every table."""

from .audit import AuditEvent
from .casework import Note, StatusChange
from .funder import Funder, request_funder
from .help_request import HelpRequest
from .outbox import OutgoingMail
from .outcome import CaseOutcome, Disposition, Outcome
from .partner import Partner
from .release import Release
from .staff import ROLES, Invitation, StaffUser

__all__ = [
    "ROLES",
    "AuditEvent",
    "CaseOutcome",
    "Disposition",
    "Funder",
    "HelpRequest",
    "Invitation",
    "Note",
    "OutgoingMail",
    "Outcome",
    "Partner",
    "Release",
    "StaffUser",
    "StatusChange",
    "request_funder",
]

"""Typed models, one module per domain; importing this package registers every table."""

from .audit import AuditEvent
from .casework import Note, StatusChange
from .conflict import AdverseParty, ConflictKey
from .help_request import HelpRequest
from .outbox import OutgoingMail
from .outreach import Callback, ContactAttempt
from .partner import Partner
from .referral import Referral, ReferralOrganisation
from .release import Release
from .staff import ROLES, Invitation, StaffUser

__all__ = [
    "ROLES",
    "AdverseParty",
    "AuditEvent",
    "Callback",
    "ConflictKey",
    "ContactAttempt",
    "HelpRequest",
    "Invitation",
    "Note",
    "OutgoingMail",
    "Partner",
    "Referral",
    "ReferralOrganisation",
    "Release",
    "StaffUser",
    "StatusChange",
]

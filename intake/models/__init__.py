"""Typed models, one module per domain; importing this package registers every table."""

from intake.models.audit import AuditEvent
from intake.models.casework import Note, StatusChange
from intake.models.confirmation import Confirmation
from intake.models.conflict import AdverseParty, ConflictKey
from intake.models.funder import Funder, request_funder
from intake.models.handoff import ApiKey, ReceiverOutcome, ReferralPacket
from intake.models.help_request import HelpRequest
from intake.models.letter import Letter, LetterTemplate
from intake.models.message import Message, MessageOptOut, MessageTemplate
from intake.models.outbox import OutgoingMail
from intake.models.outcome import CaseOutcome, Disposition, Outcome
from intake.models.outreach import Callback, ContactAttempt
from intake.models.partner import Partner
from intake.models.referral import Referral, ReferralOrganisation
from intake.models.release import Release
from intake.models.reminder import Reminder
from intake.models.staff import ROLES, Invitation, StaffUser

__all__ = [
    "ROLES",
    "AdverseParty",
    "ApiKey",
    "AuditEvent",
    "CaseOutcome",
    "Disposition",
    "Funder",
    "Callback",
    "Confirmation",
    "ConflictKey",
    "ContactAttempt",
    "HelpRequest",
    "Invitation",
    "Letter",
    "LetterTemplate",
    "Message",
    "MessageOptOut",
    "MessageTemplate",
    "Note",
    "OutgoingMail",
    "Outcome",
    "Partner",
    "ReceiverOutcome",
    "Referral",
    "ReferralPacket",
    "ReferralOrganisation",
    "Release",
    "Reminder",
    "StaffUser",
    "StatusChange",
    "request_funder",
]

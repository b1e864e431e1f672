"""Typed models, one module per domain; importing this package registers every table."""

from .audit import AuditEvent
from .help_request import HelpRequest
from .partner import Partner
from .release import Release
from .staff import ROLES, StaffUser

__all__ = ["ROLES", "AuditEvent", "HelpRequest", "Partner", "Release", "StaffUser"]

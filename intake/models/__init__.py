"""Typed models, one module per domain; importing this package registers every table."""

from .help_request import HelpRequest
from .release import Release

__all__ = ["HelpRequest", "Release"]

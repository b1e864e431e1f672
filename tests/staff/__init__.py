"""Tests of the staff area under /staff: login, accounts, triage, casework, partners."""

"""Helpers the tests (and ``bench/``) import: apps and their keys, servers, the
public form's answers, tokens, staff logins, browsers, attack payloads, an SMTP
sink, axe-core. Fixtures stay in ``tests/conftest.py``; a test never imports
``conftest`` or another test module (tests/test_layout.py checks it)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository

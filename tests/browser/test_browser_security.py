"""The browser accepts our header set without a single complaint."""

import pytest

pytestmark = pytest.mark.browser


def test_headers_raise_no_console_warning_or_error(page, seeded):
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    for path in ("/", "/help"):
        page.goto(page.base + path)
    page.wait_for_timeout(300)
    # e.g. "Unrecognized feature" (Permissions-Policy) or a CSP violation.
    assert messages == []
    assert all(url.startswith(page.base) for url in page.requested)

"""The anti-forgery tokens in a page: Flask-WTF's ``csrf_token`` (staff forms)
and the public form's signed token, posted under the same name ``csrf_token``."""

import re


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token in the page"
    return match.group(1)


FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(page: str) -> str:
    """The public form's token (/help, /embed/help, the check page)."""
    match = FORM_TOKEN.search(page)
    assert match, "no form token in the page"
    return match.group(1)

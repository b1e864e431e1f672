"""The attack suite's payloads and the checks that a page rendered them inert,
in one place (tests/attack/)."""

import re
from html.parser import HTMLParser

# Markup and template payloads for every free-text field. Each must come back as
# text: escaped in HTML, never evaluated by Jinja, never a live link.
XSS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "<a href=javascript:alert(1)>click</a>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "{{7*7}}",
    "{% raw %}{{7*7}}{% endraw %}",
    "${7*7}",
    "#{7*7}",
)

# Spreadsheet formulas (CSV injection): each cell must come out as text. At most
# 40 characters: they go in the preferred-language column.
FORMULAS = (
    '=HYPERLINK("https://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    " =1+1",
)

# CR/LF header injection, raw and in the encodings a naive decoder might undo.
HEADER_INJECTION = (
    "x\r\nBcc: attacker@evil.example",
    "x\nTo: attacker@evil.example",
    "x\rCc: attacker@evil.example",
    "x%0d%0aBcc: attacker@evil.example",
    "x\\r\\nBcc: attacker@evil.example",
    "=?utf-8?q?x=0D=0ABcc=3A_attacker=40evil.example?=",
    "x\u2028Bcc: attacker@evil.example",
    "x\u0085Bcc: attacker@evil.example",
)

# Places a redirect must never take anyone: another host, however it is spelt.
FOREIGN_TARGETS = (
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "http:/evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    " //evil.example",
    "/.//evil.example",
)

# Fields a form never offers but a forged POST may add (mass assignment).
FORGED_FIELDS = {
    "id": "999999",
    "reference": "FORGED0001",
    "status": "accepted",
    "screen": "screened_out_represented",
    "screen_override": "screened_out_represented",
    "urgency": "critical",
    "urgency_rank": "0",
    "version": "999",
    "assignee_id": "1",
    "partner_id": "1",
    "submission_key": "forged",
    "created_at": "2000-01-01T00:00:00",
    "role": "admin",
    "is_admin": "1",
    "active": "1",
    "password_hash": "forged",
    "totp_secret": "JBSWY3DPEHPK3PXP",
    "session_epoch": "0",
    "slug": "forged-slug",
    "is_published": "1",
    "key": "forged-key",
    "actor_id": "1",
}

# Elements no page of ours has (the enrolment QR code is an <img> of a data:
# URL; scripts are files under /static/); a payload that became markup shows up
# as one of these, or as an event handler or a javascript: URL on any element.
FOREIGN_ELEMENTS = frozenset(
    {"svg", "math", "iframe", "object", "embed", "style", "noscript", "base", "mglyph", "img"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})


class _Markup(HTMLParser):
    """Collect what a browser would treat as markup: elements and attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.scripts = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in FOREIGN_ELEMENTS and not (
            tag == "img" and (values.get("src") or "").startswith("data:image/")
        ):
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            if not (values.get("src") or "").startswith("/static/"):
                self.problems.append(f"<script> not from /static/: {values}")
            self._in_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name in URL_ATTRIBUTES and url.startswith(("javascript:", "vbscript:", "data:text")):
                self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data[:60]!r}")


def assert_inert(page: str) -> None:
    """Nothing on the HTML ``page`` is markup a payload made: no foreign element,
    no inline script or script from elsewhere, no event handler, no script URL."""
    parser = _Markup()
    parser.feed(page)
    parser.close()
    assert parser.problems == []


def shown_as_text(page: str, payload: str) -> bool:
    """The payload is on the page as text a person reads (so a template payload
    such as {{7*7}} was not evaluated, and markup was escaped, not dropped)."""
    return payload in visible_text(page)


def visible_text(page: str) -> str:
    """The page's text and form values, entities decoded."""
    parser = _Text()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


class _Text(HTMLParser):
    """The page's text and form values, as a person sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "input" and values.get("value"):
            self.parts.append("\n" + values["value"] + "\n")

    def handle_data(self, data):
        self.parts.append(data)

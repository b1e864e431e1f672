"""The only place bleach is used: the HTML we allow in release bodies."""

import bleach
import bleach.linkifier
from bleach.html5lib_shim import Filter
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset(
    {"p", "a", "strong", "em", "ul", "ol", "li", "blockquote", "h2", "h3", "br"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"


class _LinkRel(Filter):
    """Every link gets rel="noopener noreferrer", whatever the author wrote."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attrs = dict(token["data"])
                attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


_body_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkRel],
)


def clean_body(html: str) -> str:
    """Sanitise a release body. Cleaning is idempotent: clean(clean(x)) == clean(x)."""
    return _body_cleaner.clean(html)


def render_body(html: str) -> Markup:
    """Clean again on the way out, so a row written around the sanitiser is still safe."""
    return Markup(clean_body(html))  # noqa: S704 - cleaned by bleach just above


# Internal notes are plain text: escape everything, then turn web and email
# addresses into links. Only http(s) and mailto links survive.
NOTE_LINK_PROTOCOLS = frozenset({"http", "https", "mailto"})
NOTE_LINK_REL = "noopener noreferrer nofollow"


def _note_link(attrs, new=False):
    href = attrs.get((None, "href"), "")
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme not in NOTE_LINK_PROTOCOLS:
        return None  # drop the link, keep the text
    attrs[(None, "rel")] = NOTE_LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


_note_linker = bleach.linkifier.Linker(
    callbacks=[_note_link],
    url_re=bleach.linkifier.build_url_re(protocols=["http", "https"]),
    parse_email=True,
)


def linkify_note(text: str) -> Markup:
    """Escaped note text with its http(s) and email addresses made into links."""
    return Markup(_note_linker.linkify(str(escape(text))))  # noqa: S704 - escaped, then linkified

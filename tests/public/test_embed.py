"""Embedding on partner sites: framing headers, the card, embed.js, snippets, oEmbed."""

import gzip
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from intake.hardening import CONTENT_SECURITY_POLICY
from tests.support import ROOT
from tests.support.apps import make_test_app

SLUG = "russian-delegation-visit-to-syria-viewed-with-skepticism"
RELEASE_URL = f"http://localhost/press/{SLUG}"
CTA_SENTENCE = (
    "If you do not already have legal representation, cannot afford an attorney, and "
    "need help with a claim for asylum or other protection-based form of immigration "
    "status, we can help."
)
STATIC_JS = ROOT / "static" / "js"


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in policy.split("; ")}


def assert_framing_denied(response):
    assert directives(response)["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def assert_no_cookie(response):
    assert "Set-Cookie" not in response.headers


# --- Who may frame what ------------------------------------------------------------


def test_embed_page_for_a_registered_partner_names_only_its_origins(client, make_partner):
    partner = make_partner(origins=("https://press.example.org", "http://127.0.0.1:8123"))
    make_partner(name="Other", origins=("https://other.example.net",))
    response = client.get(
        f"/embed/cta?partner={partner.key}&origin=https://evil.example",
        headers={"Referer": "https://evil.example/page", "Origin": "https://evil.example"},
    )
    assert response.status_code == 200
    policy = directives(response)
    assert policy["frame-ancestors"] == "https://press.example.org http://127.0.0.1:8123"
    assert "X-Frame-Options" not in response.headers
    # The rest of the site's policy is unchanged.
    baseline = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert {k: v for k, v in policy.items() if k != "frame-ancestors"} == {
        k: v for k, v in baseline.items() if k != "frame-ancestors"
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert_no_cookie(response)


@pytest.mark.parametrize(
    "query", ["partner=unknownkey12345", "partner=", "", "partner=" + "a" * 40]
)
def test_unknown_partner_is_refused_framing_with_a_clear_page(client, query):
    response = client.get(f"/embed/cta?{query}")
    assert response.status_code == 404
    assert_framing_denied(response)
    assert_no_cookie(response)
    page = response.get_data(as_text=True)
    assert "This form cannot be shown here" in page
    # Never framed, so opened as a page: the form in this same tab.
    assert '<a class="button" href="/help">' in page
    assert "new tab" not in page


def test_inactive_partner_is_refused_framing(client, make_partner):
    partner = make_partner(active=False)
    response = client.get(f"/embed/cta?partner={partner.key}")
    assert response.status_code == 404
    assert_framing_denied(response)
    assert "This form cannot be shown here" in response.get_data(as_text=True)


def test_every_other_page_denies_framing(client, seeded, make_partner):
    make_partner()
    for path in ("/", f"/press/{SLUG}", "/help", "/healthz", "/no-such-page", "/embed.js"):
        response = client.get(path)
        assert_framing_denied(response)


def test_oembed_card_may_be_framed_only_by_the_partner_framing_it(client, make_partner):
    make_partner(origins=("https://a.example.org",))
    make_partner(origins=("https://b.example.org", "https://a.example.org"))
    make_partner(origins=("https://gone.example.org",), active=False)
    framed_at_b = {"Sec-Fetch-Dest": "iframe", "Referer": "https://b.example.org/news/1"}
    response = client.get("/embed/cta?oembed=1", headers=framed_at_b)
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == "https://b.example.org"
    page = response.get_data(as_text=True)
    assert "a.example.org" not in page and "a.example.org" not in str(response.headers)
    assert 'data-parent-origins="https://b.example.org"' in page
    assert "X-Frame-Options" not in response.headers
    assert_no_cookie(response)
    # Nobody learns the partner list by asking without a Referer, or with another
    # site's (which gets the notice for unregistered sites, framable only there).
    for headers, allowed in (
        ({}, "'none'"),
        ({"Referer": "https://gone.example.org/"}, "https://gone.example.org"),
    ):
        response = client.get("/embed/cta?oembed=1", headers=headers)
        assert directives(response)["frame-ancestors"] == allowed
        seen = response.get_data(as_text=True) + str(response.headers)
        assert "a.example.org" not in seen and "b.example.org" not in seen


def test_oembed_card_without_any_partner_is_not_framable(client):
    response = client.get("/embed/cta?oembed=1")
    assert response.status_code == 200
    assert_framing_denied(response)


# --- The card ---------------------------------------------------------------------


def test_card_shows_the_call_to_action_with_minimal_chrome(client, make_partner):
    partner = make_partner(origins=("https://press.example.org",))
    page = client.get(f"/embed/cta?partner={partner.key}").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Seeking asylum?" in text and CTA_SENTENCE in text
    assert page.count("<h1") == 1
    assert "Continue in a new tab" in page
    assert re.search(r'<a class="new-tab" href="/help" target="_blank" rel="noopener">', page)
    # The quick exit leaves the whole host page, not just the frame, through our
    # fixed redirect (WordPress's card may only ask its host to open our URLs).
    assert re.search(r'class="quick-exit" href="/embed/leave" target="_top" rel="noreferrer"', page)
    # Heights go only to the partner's registered origins.
    assert (
        '<script src="/static/js/frame-height.js" '
        'data-parent-origins="https://press.example.org" defer></script>'
    ) in page
    assert 'href="/press/' not in page  # no press-room navigation inside the frame
    assert "<form" not in page and "csrf_token" not in page


def test_oembed_card_opens_the_form_in_a_new_tab(client, make_partner):
    make_partner()
    page = client.get(f"/embed/cta?oembed=1&from={SLUG}").get_data(as_text=True)
    assert re.search(
        rf'<a class="button" href="/help\?from={SLUG}" target="_blank" rel="noopener">', page
    )


def test_card_in_another_language_keeps_the_language_in_its_links(database_uri, make_partner):
    app = make_test_app(database_uri, LANGUAGES=["en", "es"])
    partner = make_partner()
    page = app.test_client().get(f"/es/embed/cta?partner={partner.key}").get_data(as_text=True)
    assert '<html lang="es"' in page
    assert 'href="/es/help"' in page


# --- embed.js and the framed pages' script ------------------------------------------


def test_embed_js_is_served_small_cacheable_and_as_javascript(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert_no_cookie(response)
    body = response.get_data()
    assert len(body) < 6144 and len(gzip.compress(body)) < 2400
    etag = response.headers["ETag"]
    assert client.get("/embed.js", headers={"If-None-Match": etag}).status_code == 304


def test_embed_js_checks_sender_and_stores_nothing():
    source = (STATIC_JS / "embed.js").read_text()
    assert "event.origin !== ours" in source
    assert "event.source !== entry.iframe.contentWindow" in source
    assert "Math.min(MAX, Math.max(MIN, height))" in source
    assert 'referrerPolicy = "no-referrer"' in source
    for forbidden in ("document.cookie", "Storage", "document.referrer", "fetch(", "XMLHttp"):
        assert forbidden not in source
    # embed.js posts only "we listen" to frames of our own origin.
    assert re.findall(r"postMessage\(([^)]*)\)", source) == ['{ type: "intake:ready" }, ours']
    frame = (STATIC_JS / "frame-height.js").read_text()
    calls = re.findall(r"postMessage\(([^)]*)\)", frame)
    assert calls == ["message, origin"]  # always a named target origin, never "*"
    assert 'getAttribute("data-parent-origins")' in frame


# --- Snippets ----------------------------------------------------------------------


def test_snippets_carry_only_the_partner_key_and_language(database_uri, make_partner):
    from intake.public import embed

    app = make_test_app(
        database_uri, LANGUAGES=["en", "es"], PUBLIC_BASE_URL="https://help.example.org"
    )
    partner = make_partner(name='Press "site" <b>')
    with app.test_request_context():
        english = embed.snippets(partner, "en")
        spanish = embed.snippets(partner, "es")
    link = re.search(r'<a class="intake-cta-link" href="([^"]+)">', english["script"]).group(1)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc) == ("https", "help.example.org")
    assert parts.path in ("/embed/help", "/embed/cta")
    assert parse_qs(parts.query) == {"partner": [partner.key]}
    assert '<script src="https://help.example.org/embed.js" async></script>' in english["script"]
    assert CTA_SENTENCE in english["script"]
    assert "/es/embed/" in spanish["script"] and 'lang="es"' in spanish["script"]
    assert f'src="https://help.example.org/es/embed/cta?partner={partner.key}"' in spanish["iframe"]
    for snippet in (*english.values(), *spanish.values()):
        assert '"site"' not in snippet and "<b>" not in snippet  # the name stays ours


# --- oEmbed -----------------------------------------------------------------------


def test_oembed_json_for_a_release(client, seeded):
    response = client.get("/oembed", query_string={"url": RELEASE_URL, "format": "json"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = json.loads(response.get_data())
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["provider_name"] == "Human Rights First"
    assert data["provider_url"] == "http://localhost/"
    assert data["title"] == "Russian Delegation Visit to Syria Viewed with Skepticism"
    assert (data["width"], data["height"]) == (600, 420)
    iframe = re.search(r"<iframe ([^>]+)></iframe>", data["html"]).group(1)
    src = re.search(r'src="([^"]+)"', iframe).group(1).replace("&amp;", "&")
    assert urlsplit(src).path == "/embed/cta"
    assert parse_qs(urlsplit(src).query) == {"oembed": ["1"], "from": [SLUG]}
    assert 'width="600" height="420"' in iframe and 'title="' in iframe
    assert 'referrerpolicy="no-referrer"' in iframe
    # WordPress keeps a blockquote with a plain link as the fallback.
    assert re.match(r'<blockquote><a href="http://localhost/help\?from=[^"]+">', data["html"])
    assert_no_cookie(response)


def test_oembed_for_the_form_and_in_another_language(database_uri, seeded):
    app = make_test_app(database_uri, LANGUAGES=["en", "es"])
    client = app.test_client()
    data = client.get("/oembed", query_string={"url": "http://localhost/es/help"}).get_json()
    assert data["title"] == "Pida ayuda legal gratuita"  # the oEmbed title follows the language
    assert 'src="http://localhost/es/embed/cta?oembed=1"' in data["html"]
    release = client.get(
        "/oembed", query_string={"url": f"http://localhost/es/press/{SLUG}", "maxwidth": "320"}
    ).get_json()
    assert release["width"] == 320 and "/es/embed/cta?" in release["html"]


def test_oembed_other_formats_are_not_implemented(client, seeded):
    response = client.get("/oembed", query_string={"url": RELEASE_URL, "format": "xml"})
    assert response.status_code == 501


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://localhost/press/no-such-release",
        "http://localhost/press/unpublished",
        "https://evil.example/press/" + SLUG,
        "http://localhost.evil.example/press/" + SLUG,
        "http://localhost/staff/partners/",
        "http://localhost/healthz",
        "javascript:alert(1)//localhost/help",
        "http://localhost/press/%00",
    ],
)
def test_oembed_unknown_urls_are_404(client, seeded, make_release, url):
    make_release(slug="unpublished", is_published=False)
    response = client.get("/oembed", query_string={"url": url})
    assert response.status_code == 404


def test_release_page_carries_the_oembed_discovery_link(client, seeded):
    page = client.get(f"/press/{SLUG}").get_data(as_text=True)
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page)
    assert link, "no oEmbed discovery link"
    href = link.group(1).replace("&amp;", "&")
    parts = urlsplit(href)
    assert (parts.netloc, parts.path) == ("localhost", "/oembed")
    assert parse_qs(parts.query) == {"url": [RELEASE_URL], "format": ["json"]}
    assert client.get(parts.path + "?" + parts.query).get_json()["type"] == "rich"


# --- Rate limits ---------------------------------------------------------------------


def test_embed_pages_and_oembed_are_rate_limited(database_uri, seeded, make_partner):
    app = make_test_app(
        database_uri,
        RATELIMIT_ENABLED=True,
        EMBED_RATE_LIMIT="2 per minute",
        OEMBED_RATE_LIMIT="1 per minute",
    )
    client = app.test_client()
    partner = make_partner()
    assert [client.get(f"/embed/cta?partner={partner.key}").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert [client.get("/oembed", query_string={"url": RELEASE_URL}).status_code for _ in "ab"] == [
        200,
        429,
    ]
    # The script itself is static and cached: not counted.
    assert all(client.get("/embed.js").status_code == 200 for _ in range(5))


def test_only_the_framed_pages_assets_may_load_cross_origin(client):
    """WordPress's sandboxed frame has an opaque origin: the card's stylesheet and
    scripts must load from there; every other response stays same-origin."""
    for path in ("/static/css/site.css", "/static/js/frame-height.js", "/static/js/quick-exit.js"):
        response = client.get(path)
        assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin", path
        response.close()
    for path in ("/static/js/embed.js", "/", "/help"):
        response = client.get(path)
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin", path
        response.close()

"""The call to action embedded on another site (real Chromium, two origins).

The partner's page is served on 127.0.0.1:<port>; the app on localhost:<other
port> — two different sites, so everything the frame does is third-party, and
Chromium runs with third-party cookies blocked.
"""

from datetime import date
from urllib.parse import urlsplit

import pytest

from intake import timeutil
from intake.cases.help_requests import format_reference
from intake.db import db
from intake.models import HelpRequest
from intake.public import embed
from tests.support.a11y import assert_no_axe_violations
from tests.support.browser import REFERENCE, fill_with_pointer

pytestmark = pytest.mark.browser

INITIAL_HEIGHT = "0"  # embed.js's starting height, unseen until the first message


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """The answers of fill_with_pointer (a hearing on 10 May 2026) need this date."""
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


@pytest.fixture
def visit(cookieless_chromium):
    """Open a host page in a fresh context; record every request with its headers."""
    contexts = []

    def open_page(url):
        context = cookieless_chromium.new_context()
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request))
        page.goto(url)
        page.wait_for_load_state("networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()


def show_snippet(app, our_site, host, partner) -> None:
    with app.test_request_context(base_url=our_site.url):
        host.show(embed.snippets(partner, "en")["script"])


def from_us(page, our_site):
    return [r.url for r in page.requests if r.url.startswith(our_site.url)]


def click_call_to_action(page):
    page.get_by_role("link", name="Ask for free legal help").click()
    frame_element = page.locator("iframe.intake-frame")
    frame_element.wait_for()
    return frame_element


def test_visitor_fills_and_sends_the_form_inside_the_partner_page(
    app, our_site, host, visit, make_partner
):
    partner = make_partner(name="Partner", origins=(host.url,))
    show_snippet(app, our_site, host, partner)
    page = visit(host.url)
    # Before any click, the only thing fetched from us is embed.js.
    assert from_us(page, our_site) == [our_site.url + "/embed.js"]

    frame_element = click_call_to_action(page)
    assert frame_element.get_attribute("referrerpolicy") == "no-referrer"
    assert frame_element.get_attribute("title") == "Ask for free legal help"
    assert "allow-top-navigation " not in frame_element.get_attribute("sandbox") + " "
    frame = frame_element.content_frame
    frame.get_by_role("heading", name="Ask for free legal help").wait_for()
    page.wait_for_function(
        f"document.querySelector('iframe.intake-frame').height !== '{INITIAL_HEIGHT}'"
    )
    form_height = int(frame_element.get_attribute("height"))
    assert 1000 < form_height <= 20000  # the whole empty form, no inner scrollbar
    assert form_height % 400 == 0  # rounded up to a coarse step

    # The frame URL carries only the partner key, and no referrer was sent.
    framed = next(r for r in page.requests if "/embed/" in r.url)
    assert urlsplit(framed.url).query == f"partner={partner.key}"
    assert "referer" not in framed.headers

    # A height message from anyone but our frame is ignored.
    page.evaluate("window.postMessage({type: 'intake:height', height: 200}, '*')")
    page.wait_for_timeout(200)
    assert int(frame_element.get_attribute("height")) == form_height

    fill_with_pointer(frame)
    frame.get_by_role("button", name="Continue", exact=True).click()
    frame.get_by_role("heading", name="Check your answers").wait_for()
    assert "Mariam" in frame.locator("main").inner_text()
    frame.get_by_role("button", name="Send my request").click()
    reference = frame.locator(".reference").inner_text()
    assert REFERENCE.match(reference)
    # The pages holding answers keep the frame as it was: its height tells the
    # host page nothing of them.
    page.wait_for_timeout(300)
    assert int(frame_element.get_attribute("height")) == form_height

    with app.app_context():
        (row,) = db.session.execute(db.select(HelpRequest)).scalars().all()
        assert format_reference(row.reference) == reference
        assert row.partner_id == partner.id and row.name == "Mariam"
    # No cookie anywhere: the framed pages set none (and the browser blocks them).
    assert page.context.cookies() == []
    # The host page never left the partner's site; the frame never left ours.
    assert page.url == host.url + "/"
    assert {urlsplit(r.url).netloc for r in page.requests} == {
        urlsplit(host.url).netloc,
        urlsplit(our_site.url).netloc,
    }


def test_unregistered_site_gets_no_frame_content(app, our_site, host, visit, make_partner):
    """The browser refuses the frame; embed.js removes it (no dead box), keeps the
    link and opens the form in a new tab instead."""
    partner = make_partner(name="Partner", origins=("https://press.example.org",))
    show_snippet(app, our_site, host, partner)
    page = visit(host.url)
    with (
        page.context.expect_page() as new_tab,
        page.expect_response(lambda r: "/embed/" in r.url) as response,
    ):
        page.get_by_role("link", name="Ask for free legal help").click()
    assert (
        "frame-ancestors https://press.example.org"
        in (response.value.headers["content-security-policy"])
    )
    page.wait_for_function("!document.querySelector('iframe')")
    assert page.get_by_role("link", name="Ask for free legal help").is_visible()
    tab = new_tab.value
    tab.get_by_role("heading", name="Ask for free legal help").wait_for()
    assert tab.url.startswith(our_site.url + "/embed/help")


def test_oembed_card_speaks_wordpress_embed_protocol(app, our_site, host, visit, make_partner):
    """The card in WordPress's sandboxed frame (#?secret=…) sends WordPress's height
    message and, when its button is clicked, a link message instead of a blocked
    new tab."""
    make_partner(name="WordPress site", origins=(host.url,))
    with app.test_request_context(base_url=our_site.url):
        card = embed.absolute_url("embed.cta", oembed="1")
    secret = "k3Yw9XqP2a"
    host.show(
        f'<blockquote data-secret="{secret}"><a href="{our_site.url}/help">Ask</a></blockquote>'
        f'<iframe class="wp-embedded-content" sandbox="allow-scripts" security="restricted" '
        f'src="{card}#?secret={secret}" data-secret="{secret}" width="600" height="420" '
        f'title="Seeking asylum?"></iframe>'
        "<script>window.received = []; addEventListener('message', function (e) {"
        " var frame = document.querySelector('iframe');"
        " received.push({data: e.data, fromFrame: e.source === frame.contentWindow}); });"
        "</script>"
    )
    page = visit(host.url)
    page.wait_for_function("received.some(m => m.data.message === 'height')")
    height = page.evaluate("received.find(m => m.data.message === 'height')")
    assert height["fromFrame"] is True
    assert height["data"]["secret"] == secret
    assert 200 <= height["data"]["value"] < 1000

    frame = page.frame_locator("iframe.wp-embedded-content")
    frame.get_by_role("link", name="Ask for free legal help").click()
    page.wait_for_function("received.some(m => m.data.message === 'link')")
    link = page.evaluate("received.find(m => m.data.message === 'link').data")
    assert link == {"message": "link", "value": our_site.url + "/help", "secret": secret}


def test_card_and_unavailable_page_pass_axe(page, make_partner):
    """axe-core finds nothing on the card or on the page an unknown partner gets."""
    partner = make_partner()
    for path in (f"/embed/cta?partner={partner.key}", "/embed/cta?partner=unknown"):
        page.goto(page.base + path)
        assert_no_axe_violations(page)

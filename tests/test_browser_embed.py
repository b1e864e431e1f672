"""The call to action embedded on another site (real Chromium, two origins).

The partner's page is served on 127.0.0.1:<port>; the app on localhost:<other
port> — two different sites, so everything the frame does is third-party, and
Chromium runs with third-party cookies blocked.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer

from intake import embed

pytestmark = pytest.mark.browser

INITIAL_HEIGHT = "600"  # embed.js's starting height, before the first message


class HostSite:
    """A partner's static page on its own origin; ``show(snippet)`` sets its content."""

    def __init__(self):
        self.page = b""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                status, body = (200, site.page) if self.path == "/" else (404, b"")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def show(self, snippet: str) -> None:
        self.page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Partner press page</title></head><body>"
            f"<h1>Partner press page</h1><p>News of the week.</p>{snippet}</body></html>"
        ).encode()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def cookieless_chromium(chromium):
    """A second Chromium from the same Playwright, with third-party cookies blocked."""
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"]
    )
    yield browser
    browser.close()


@pytest.fixture
def our_site(app):
    server = LiveServer(app, host="localhost")
    yield server
    server.stop()


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


@pytest.fixture
def host():
    site = HostSite()
    yield site
    site.stop()


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


def test_registered_partner_frames_the_call_to_action_and_it_resizes(
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
    frame = frame_element.content_frame
    frame.get_by_role("heading", name="Seeking asylum?").wait_for()
    page.wait_for_function(
        f"document.querySelector('iframe.intake-frame').height !== '{INITIAL_HEIGHT}'"
    )
    height = int(frame_element.get_attribute("height"))
    assert 200 <= height < 4000

    # The frame URL carries only the partner key, and no referrer was sent.
    framed = next(r for r in page.requests if "/embed/" in r.url)
    assert urlsplit(framed.url).query == f"partner={partner.key}"
    assert "referer" not in framed.headers

    # A height message from anyone but our frame is ignored.
    page.evaluate("window.postMessage({type: 'intake:height', height: 3999}, '*')")
    page.wait_for_timeout(200)
    assert int(frame_element.get_attribute("height")) == height
    # No cookie anywhere: the embed pages set none.
    assert page.context.cookies() == []


def test_unregistered_site_gets_no_frame_content(app, our_site, host, visit, make_partner):
    partner = make_partner(name="Partner", origins=("https://press.example.org",))
    show_snippet(app, our_site, host, partner)
    page = visit(host.url)
    with page.expect_response(lambda r: "/embed/" in r.url) as response:
        frame_element = click_call_to_action(page)
    assert (
        "frame-ancestors https://press.example.org"
        in (response.value.headers["content-security-policy"])
    )
    page.wait_for_timeout(300)
    frame = frame_element.element_handle().content_frame()
    assert frame.url == "chrome-error://chromewebdata/"  # Chromium's "refused to connect"
    assert frame.locator("form").count() == 0
    assert frame.get_by_text("Seeking asylum?").count() == 0
    assert frame_element.get_attribute("height") == INITIAL_HEIGHT  # no message came

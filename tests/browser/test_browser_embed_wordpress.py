"""Embedding as a real press page does it (Chromium, two sites).

The press site on 127.0.0.1:<port> imitates WordPress: an oEmbed card framed the
way ``wp_filter_oembed_result`` frames an untrusted provider (``sandbox=
"allow-scripts" security="restricted"``, ``#?secret=`` on the URL, a hidden
frame behind a blockquote) and a host script that speaks ``wp-embed.js``'s
protocol: ``{message: "ready"}`` to each card on DOMContentLoaded, ``height``
(clamped to 200–1000) and ``link`` (followed only to the card's own host, and
only while the card has focus). The protocol is copied, not WordPress's code.
Our app runs on localhost:<other port>.
"""

import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from intake import timeutil
from intake.db import db
from intake.models import Partner
from intake.public import embed
from tests.support.a11y import assert_no_axe_violations
from tests.support.browser import REFERENCE, browser_login, fill_with_pointer
from tests.support.servers import LiveServer

pytestmark = pytest.mark.browser

# The host side of WordPress's embed protocol, written from its description.
WP_HOST_SCRIPT = """
(function () {
  function cards() { return document.querySelectorAll("iframe.wp-embedded-content"); }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || !data.secret || /[^a-zA-Z0-9]/.test(data.secret)) return;
    document.querySelectorAll('blockquote[data-secret="' + data.secret + '"]')
      .forEach(function (quote) { quote.style.display = "none"; });
    var frames = document.querySelectorAll('iframe[data-secret="' + data.secret + '"]');
    frames.forEach(function (frame) {
      if (event.source !== frame.contentWindow) return;
      frame.removeAttribute("style");
      if (data.message === "height") {
        frame.height = Math.min(1000, Math.max(200, parseInt(data.value, 10) || 0));
      } else if (data.message === "link") {
        var target = new URL(data.value), source = new URL(frame.getAttribute("src"));
        if (/^https?:$/.test(target.protocol) && target.host === source.host &&
            document.activeElement === frame) window.top.location.href = data.value;
      }
    });
  });
  function ready() {
    cards().forEach(function (frame) {
      var secret = frame.getAttribute("data-secret");
      frame.contentWindow.postMessage({message: "ready", secret: secret}, "*");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
"""
SECRET = "Wq7xK2mP9a"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """The answers of fill_with_pointer (a hearing on 10 May 2026) need this date."""
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


class PressSite:
    """The partner's site: ``/`` (set by ``show``), ``/wp-embed.js`` (the host
    script, after ``?delay=`` seconds), ``/neutral`` (stands in for the quick
    exit's neutral site) and ``/slow`` (a script that holds up the parser)."""

    def __init__(self):
        self.page = b""
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                url = urlsplit(self.path)
                site.hits.append(url.path)
                delay = float(parse_qs(url.query).get("delay", ["0"])[0])
                time.sleep(min(delay, 3))
                kind, body = {
                    "/": ("text/html", site.page),
                    "/wp-embed.js": ("text/javascript", WP_HOST_SCRIPT.encode()),
                    "/slow.js": ("text/javascript", b"window.slow = true;"),
                    "/neutral": (
                        "text/html",
                        b"<!doctype html><title>Weather</title><h1>Weather</h1>",
                    ),
                }.get(url.path, ("text/plain", None))
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", kind + "; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def show(self, body: str, above: str = "<p>News of the week.</p>") -> None:
        self.page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Partner press page</title></head><body>"
            f"<h1>Partner press page</h1>{above}{body}<p>Comments</p></body></html>"
        ).encode()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def press():
    site = PressSite()
    yield site
    site.stop()


@pytest.fixture
def ours(app, press):
    """Our app on another site, its quick exit pointing at the press site's
    stand-in neutral page (so that leaving can be seen without the internet)."""
    app.config["QUICK_EXIT_URL"] = press.url + "/neutral"
    server = LiveServer(app, host="localhost")
    yield server
    server.stop()


@pytest.fixture
def browser_context(chromium):
    contexts = []

    def make(**options):
        context = chromium.new_context(**options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def wordpress_card(card_url: str) -> str:
    """What WordPress prints for our oEmbed response (an untrusted provider)."""
    return (
        f'<blockquote class="wp-embedded-content" data-secret="{SECRET}">'
        f'<a href="{card_url}">Seeking asylum?</a></blockquote>'
        f'<iframe class="wp-embedded-content" sandbox="allow-scripts" security="restricted" '
        f'style="position: absolute; visibility: hidden;" title="Seeking asylum?" '
        f'src="{card_url}#?secret={SECRET}" data-secret="{SECRET}" width="600" height="338" '
        f'frameborder="0" marginwidth="0" marginheight="0" scrolling="no"></iframe>'
    )


def card_url(app, ours, lang="en") -> str:
    with app.test_request_context(base_url=ours.url):
        return embed.absolute_url("embed.cta", oembed="1", lang=lang)


def assert_card_shows(page):
    page.wait_for_function(
        "(() => { const f = document.querySelector('iframe.wp-embedded-content');"
        " return !f.hasAttribute('style') && +f.height !== 338; })()",
        timeout=5000,
    )
    frame = page.frame_locator("iframe.wp-embedded-content")
    frame.get_by_role("link", name="Ask for free legal help").wait_for()
    assert page.locator("blockquote.wp-embedded-content").is_hidden()
    assert page.locator("iframe.wp-embedded-content").is_visible()


HOST_SCRIPT = '<script src="/wp-embed.js"></script>'


def open_wordpress_card(app, ours, press, browser_context, make_partner):
    """The press site registered, our card embedded as WordPress does: shown."""
    make_partner(name="WordPress site", origins=(press.url,))
    press.show(HOST_SCRIPT + wordpress_card(card_url(app, ours)))
    page = browser_context().new_page()
    page.goto(press.url)
    assert_card_shows(page)
    return page


# The card loads while a slow script holds up the parser, so the host script
# runs (and says "ready") only after the card has sent its first height to nobody.
HOST_SCRIPT_LATE = '<script src="/slow.js?delay=1.5"></script><script src="/wp-embed.js"></script>'


@pytest.mark.parametrize(
    "before, after",
    [(HOST_SCRIPT, ""), ("", HOST_SCRIPT), ("", HOST_SCRIPT_LATE)],
    ids=["script-before-card", "script-with-card", "script-after-card-loaded"],
)
def test_wordpress_card_shows_whatever_order_the_scripts_arrive_in(
    app, ours, press, browser_context, make_partner, before, after
):
    make_partner(name="WordPress site", origins=(press.url,))
    press.show(before + wordpress_card(card_url(app, ours)) + after)
    page = browser_context().new_page()
    page.goto(press.url)
    assert_card_shows(page)


def test_wordpress_card_does_not_promise_new_tabs(app, ours, press, browser_context, make_partner):
    """WordPress follows the card's links in the same tab: no "new tab" wording."""
    page = open_wordpress_card(app, ours, press, browser_context, make_partner)
    frame = page.frame_locator("iframe.wp-embedded-content")
    assert frame.get_by_text("new tab").count() == 0
    with page.expect_navigation():
        frame.get_by_role("link", name="Ask for free legal help").click()
    assert urlsplit(page.url).path == "/help"  # the form, on our site, in this tab


def test_quick_exit_from_the_wordpress_card_leaves_the_press_page(
    app, ours, press, browser_context, make_partner
):
    """WordPress's sandbox forbids top navigation: the card asks the host (a link
    message to our /embed/leave), which redirects to the neutral site."""
    page = open_wordpress_card(app, ours, press, browser_context, make_partner)
    requests = []
    page.on("request", lambda r: requests.append((r.url, r.frame == page.main_frame)))
    page.frame_locator("iframe.wp-embedded-content").get_by_role(
        "link", name="Leave this site"
    ).click()
    page.wait_for_url(press.url + "/neutral")
    # Loaded as the whole tab, never inside the card.
    assert [top for url, top in requests if url.endswith("/neutral")] == [True]


def test_escape_twice_in_the_wordpress_card_leaves_too(
    app, ours, press, browser_context, make_partner
):
    page = open_wordpress_card(app, ours, press, browser_context, make_partner)
    frame = page.frame_locator("iframe.wp-embedded-content")
    frame.get_by_role("heading", name="Seeking asylum?").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(press.url + "/neutral")


def test_quick_exit_from_a_sandbox_that_forbids_leaving_says_how(
    app, ours, press, browser_context, make_partner
):
    """A frame with neither top navigation nor pop-ups nor WordPress's host script:
    nothing can take the host page away. The card says how to leave (and hides
    itself); it never loads the neutral site inside the frame."""
    partner = make_partner(name="Strict CMS", origins=(press.url,))
    with app.test_request_context(base_url=ours.url):
        card = embed.absolute_url("embed.cta", partner=partner.key)
    press.show(
        f'<iframe sandbox="allow-scripts allow-same-origin" src="{card}" height="500"></iframe>'
    )
    page = browser_context().new_page()
    page.goto(press.url)
    frame = page.frame_locator("iframe")
    frame.get_by_role("link", name="Leave this site").click()
    help_text = frame.get_by_text("close this tab or window now")
    help_text.wait_for(timeout=5000)
    assert frame.locator("main").is_hidden()
    assert page.url == press.url + "/"
    assert "/neutral" not in press.hits
    assert page.frames[1].url.startswith(ours.url + "/embed/cta")


def test_quick_exit_from_the_snippet_frame_leaves_the_press_page(
    app, ours, press, browser_context, make_partner
):
    partner = make_partner(name="Partner", origins=(press.url,))
    with app.test_request_context(base_url=ours.url):
        press.show(embed.snippets(partner, "en")["script"])
    page = browser_context().new_page()
    page.goto(press.url)
    entries = page.evaluate("history.length")
    page.get_by_role("link", name="Ask for free legal help").click()
    frame = page.frame_locator("iframe.intake-frame")
    frame.get_by_role("link", name="Leave this site").wait_for()
    # The link shows before the frame's scripts have run; the quick exit's
    # replacing of the history entry is theirs.
    page.locator("iframe.intake-frame").element_handle().content_frame().wait_for_load_state()
    frame.get_by_role("link", name="Leave this site").click()
    page.wait_for_url(press.url + "/neutral")
    # Replaced, not added: the back button does not return to the form.
    assert page.evaluate("history.length") == entries


def test_language_switch_inside_the_wordpress_card_stays_framed(
    app, ours, press, browser_context, make_partner
):
    page = open_wordpress_card(app, ours, press, browser_context, make_partner)
    page.evaluate("window.stillHere = true")
    frame = page.frame_locator("iframe.wp-embedded-content")
    frame.get_by_role("link", name="Español").click()
    frame.get_by_role("heading", name="¿Busca asilo?").wait_for()
    # The heading shows while the page's scripts may still be on their way; the
    # quick exit asks the host to leave only once they have run.
    page.frames[1].wait_for_load_state("load")
    inner = page.frames[1].url
    assert urlsplit(inner).path == "/es/embed/cta"
    assert parse_qs(urlsplit(inner).query)["oembed"] == ["1"]
    assert urlsplit(inner).fragment == f"?secret={SECRET}"  # still speaks to the host
    assert page.evaluate("window.stillHere") is True  # the press page never left
    assert page.locator("iframe.wp-embedded-content").is_visible()
    # The Spanish card's quick exit still leaves the whole tab.
    frame.get_by_role("link", name="Salir de este sitio").click()
    page.wait_for_url(press.url + "/neutral")


def frame_top_in_view(page) -> bool:
    return page.evaluate(
        "(() => { const top = document.querySelector('iframe.intake-frame')"
        ".getBoundingClientRect().top; return top >= 0 && top < innerHeight / 2; })()"
    )


def test_snippet_frame_on_a_phone_keeps_each_step_in_sight(
    app, ours, press, browser_context, make_partner
):
    """390 px wide: the frame is as tall as the form (no scrolling inside it), and
    after each step and on the confirmation its top is in the viewport, with the
    reference visible without scrolling."""
    partner = make_partner(name="Partner", origins=(press.url,))
    with app.test_request_context(base_url=ours.url):
        snippet = embed.snippets(partner, "en")["script"]
    press.show(snippet, above="<p>News of the week.</p>" * 5)
    context = browser_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.goto(press.url)
    page.get_by_role("link", name="Ask for free legal help").click()
    frame_element = page.locator("iframe.intake-frame")
    frame = frame_element.content_frame
    frame.get_by_role("heading", name="Ask for free legal help").wait_for()
    # The first page of the form, about 2,200 px tall at this width.
    page.wait_for_function("+document.querySelector('iframe.intake-frame').height > 1500")
    inner = frame_element.element_handle().content_frame()
    content = inner.evaluate("document.documentElement.scrollHeight")
    assert abs(int(frame_element.get_attribute("height")) - content) <= 1  # the cap follows
    assert inner.evaluate("document.documentElement.scrollWidth <= innerWidth")

    fill_with_pointer(frame)
    frame.get_by_role("button", name="Continue", exact=True).click()
    frame.get_by_role("heading", name="Check your answers").wait_for()
    page.wait_for_function(
        "(() => { const t = document.querySelector('iframe.intake-frame')"
        ".getBoundingClientRect().top; return t >= 0 && t < innerHeight / 2; })()"
    )
    assert frame_top_in_view(page)

    frame.get_by_role("button", name="Send my request").click()
    reference = frame.locator(".reference")
    reference.wait_for()
    assert REFERENCE.match(reference.inner_text())
    page.wait_for_function(
        "(() => { const t = document.querySelector('iframe.intake-frame')"
        ".getBoundingClientRect().top; return t >= 0 && t < innerHeight / 2; })()"
    )
    box = reference.bounding_box()  # in the page's viewport coordinates
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844


def click_expecting_new_tab(page):
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Ask for free legal help").click()
    tab = new_tab.value
    tab.wait_for_load_state()
    return tab


def test_deactivated_partner_leaves_the_working_link(
    app, ours, press, browser_context, make_partner
):
    partner = make_partner(name="Partner", origins=(press.url,))
    with app.test_request_context(base_url=ours.url):
        press.show(embed.snippets(partner, "en")["script"])
    with app.app_context():
        db.session.get(Partner, partner.id).active = False
        db.session.commit()
    page = browser_context().new_page()
    page.goto(press.url)
    tab = click_expecting_new_tab(page)
    assert tab.get_by_role("heading", name="This form cannot be shown here").is_visible()
    # The press page keeps the link, and no dead box.
    page.wait_for_function("!document.querySelector('iframe')")
    link = page.get_by_role("link", name="Ask for free legal help")
    assert link.is_visible() and link.get_attribute("target") == "_blank"
    # Clicked again, it opens the page in a new tab as a plain link does.
    assert click_expecting_new_tab(page).url.startswith(ours.url + "/embed/help")


def test_mismatched_origin_leaves_the_working_link_and_tells_the_editors(
    app, ours, press, browser_context, make_partner
):
    """Registered as localhost, the site runs at 127.0.0.1: another origin."""
    port = urlsplit(press.url).port
    partner = make_partner(name="Partner", origins=(f"http://localhost:{port}",))
    with app.test_request_context(base_url=ours.url):
        press.show(embed.snippets(partner, "en")["script"])
    page = browser_context().new_page()
    page.goto(press.url)
    tab = click_expecting_new_tab(page)
    tab.get_by_role("heading", name="Ask for free legal help").wait_for()
    hint = tab.locator(".unregistered-host")
    assert hint.is_visible()
    assert press.url in hint.inner_text()
    # In a tab of its own: no "Continue in a new tab" anywhere.
    assert tab.get_by_text("Continue in a new tab").count() == 0
    page.wait_for_function("!document.querySelector('iframe')")
    assert page.get_by_role("link", name="Ask for free legal help").is_visible()


def test_wordpress_editor_preview_before_registration_explains_itself(
    app, ours, press, browser_context, make_partner
):
    """No partner registered for this WordPress yet: instead of an empty, refused
    frame, the card says what the press officer must register."""
    make_partner(name="Someone else", origins=("https://press.example.org",))
    press.show(HOST_SCRIPT + wordpress_card(card_url(app, ours)))
    page = browser_context().new_page()
    page.goto(press.url)
    assert_card_shows(page)
    frame = page.frame_locator("iframe.wp-embedded-content")
    notice = frame.get_by_role("heading", name="This site is not registered yet")
    assert notice.is_visible()
    assert press.url in frame.locator("main").inner_text()


def test_frame_only_snippet_follows_its_content(app, ours, press, browser_context, make_partner):
    partner = make_partner(name="Partner", origins=(press.url,))
    with app.test_request_context(base_url=ours.url):
        press.show(embed.snippets(partner, "en")["iframe"])
    page = browser_context().new_page()
    page.goto(press.url)
    frame_element = page.locator("iframe.intake-frame")
    page.wait_for_function("+document.querySelector('iframe.intake-frame').height !== 480")
    content = (
        frame_element.element_handle()
        .content_frame()
        .evaluate("document.documentElement.scrollHeight")
    )
    assert abs(int(frame_element.get_attribute("height")) - content) <= 1
    # Its button opens the form in the same frame, which grows to fit it.
    frame_element.content_frame.get_by_role("link", name="Ask for free legal help").click()
    page.wait_for_function("+document.querySelector('iframe.intake-frame').height > 1000")


def test_new_embed_pages_pass_axe(page, make_partner, make_staff, axe_check):
    """axe-core finds nothing on the unregistered notice, a partner's form opened
    as a page with the editors' note, the card once the quick exit could not leave,
    and the partner page with its origin check and plugin."""

    partner = make_partner(origins=("https://press.example.org",))
    # Requested as a frame of an unregistered WordPress editor would request it.
    editor = {"referer": "http://localhost:8200/wp-admin/post.php", "sec-fetch-dest": "iframe"}
    page.route(
        "**/embed/cta?oembed=1",
        lambda route, request: route.fulfill(
            response=route.fetch(headers={**request.headers, **editor})
        ),
    )
    page.goto(page.base + "/embed/cta?oembed=1")
    assert page.get_by_role("heading", name="This site is not registered yet").is_visible()
    axe_check(page)
    page.set_extra_http_headers({"Referer": "http://localhost:8200/wp-admin/post.php"})
    page.goto(page.base + f"/embed/help?partner={partner.key}")
    assert page.locator(".unregistered-host").is_visible()
    axe_check(page)
    page.set_extra_http_headers({})
    page.goto(page.base + f"/embed/cta?partner={partner.key}")
    page.evaluate(
        "document.getElementById('quick-exit-help').hidden = false;"
        "document.getElementById('main').style.display = 'none'"
    )
    axe_check(page)
    browser_login(page, make_staff(role="admin"))
    page.goto(page.base + f"/staff/partners/{partner.id}?page_url=http://localhost:8200/x")
    assert page.get_by_text("is not registered for this partner").is_visible()
    # The staff layout around it is another issue's (its navigation's contrast).
    axe_check(page, ".framing-check")
    axe_check(page, ".snippets")


def test_unregistered_notice_passes_axe_right_to_left(page):
    """The notice an unregistered editor's preview shows, in Arabic: laid out right
    to left and clean for axe-core, as the English one above."""
    editor = {"referer": "http://localhost:8200/wp-admin/post.php", "sec-fetch-dest": "iframe"}
    page.route(
        "**/ar/embed/cta?oembed=1",
        lambda route, request: route.fulfill(
            response=route.fetch(headers={**request.headers, **editor})
        ),
    )
    page.goto(page.base + "/ar/embed/cta?oembed=1")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".unregistered-host, h1").first.is_visible()
    assert_no_axe_violations(page)

"""Embedding on a real press page, as requests: the quick exit's fixed redirect, framed pages opened
as pages, links that keep what framing needs, the notice for an unregistered
WordPress, the partner page's origin check and the snippets."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from intake.public import embed
from intake.staff.admin.partners import check_page
from tests.support.apps import make_test_app


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in policy.split("; ")}


# --- /embed/leave -----------------------------------------------------------------


def test_leave_redirects_only_to_the_configured_neutral_site(database_uri):
    app = make_test_app(database_uri, QUICK_EXIT_URL="https://weather.example/today")
    client = app.test_client()
    for query in ("", "?next=https://evil.example", "?url=//evil.example&to=x"):
        response = client.get("/embed/leave" + query)
        assert response.status_code == 303
        assert response.headers["Location"] == "https://weather.example/today"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response.headers
        # Never framed: it only ever leads the whole tab away.
        assert directives(response)["frame-ancestors"] == "'none'"


def test_leave_answers_get_only(client):
    assert client.post("/embed/leave").status_code == 405


def test_leave_is_never_rate_limited(database_uri):
    app = make_test_app(database_uri, RATELIMIT_ENABLED=True, EMBED_RATE_LIMIT="1 per minute")
    client = app.test_client()
    assert {client.get("/embed/leave").status_code for _ in range(5)} == {303}


def test_every_framed_page_quick_exit_goes_through_leave(client, make_partner):
    partner = make_partner()
    for path in (
        f"/embed/cta?partner={partner.key}",
        "/embed/cta?oembed=1",
        f"/embed/help?partner={partner.key}",
    ):
        page = client.get(path).get_data(as_text=True)
        assert re.search(r'class="quick-exit" href="/embed/leave" target="_top"', page), path
        assert 'id="quick-exit-help"' in page and " hidden>" in page


# --- Links inside framed pages keep what framing needs ------------------------------


def test_language_links_in_the_oembed_card_keep_oembed_and_from(client, make_partner):
    make_partner()
    page = client.get("/embed/cta?oembed=1&from=some-release").get_data(as_text=True)
    hrefs = re.findall(r'<li><a href="([^"]+)" lang="es"', page)
    assert len(hrefs) == 1
    parts = urlsplit(hrefs[0].replace("&amp;", "&"))
    assert parts.path == "/es/embed/cta"
    assert parse_qs(parts.query) == {"from": ["some-release"], "oembed": ["1"]}
    # ...and that link is framable where the card was.
    assert client.get(parts.path + "?" + parts.query).status_code == 200


def test_every_link_in_a_framed_page_stays_framable_or_leaves_the_frame(client, make_partner):
    """Links without a target open in the frame: each must be a page the partner may
    frame. Everything else opens a new tab or leaves the whole tab."""
    partner = make_partner()
    # The card learns its framing site from the Referer; its own links carry it
    # on (their Referer is then our page).
    at_partner = {"Sec-Fetch-Dest": "iframe", "Referer": "https://press.example.org/"}
    for path in (
        f"/embed/cta?partner={partner.key}",
        f"/embed/help?partner={partner.key}",
        "/embed/cta?oembed=1",
    ):
        page = client.get(path, headers=at_partner).get_data(as_text=True)
        for tag in re.findall(r"<a [^>]*>", page):
            href = re.search(r'href="([^"]+)"', tag).group(1).replace("&amp;", "&")
            if "target=" in tag or href.startswith("#"):
                continue
            response = client.get(href, headers={"Sec-Fetch-Dest": "iframe"})
            assert response.status_code == 200, (path, href)
            assert directives(response)["frame-ancestors"] != "'none'", (path, href)


# --- A framed page opened as a page (Sec-Fetch-Dest: document) ---------------------


def test_form_opened_as_a_page_has_no_new_tab_links_and_keeps_the_partner(client, make_partner):
    partner = make_partner()
    framed = client.get(f"/embed/help?partner={partner.key}", headers={"Sec-Fetch-Dest": "iframe"})
    assert "Continue in a new tab" in framed.get_data(as_text=True)
    page = client.get(
        f"/embed/help?partner={partner.key}", headers={"Sec-Fetch-Dest": "document"}
    ).get_data(as_text=True)
    assert "Continue in a new tab" not in page
    assert "quick-exit-help" not in page  # our own page layout: the quick exit just leaves
    # Its steps still post to the partner's twins, so the request records the partner.
    assert f'action="/embed/help?partner={partner.key}"' in page


def test_card_opened_as_a_page_has_no_new_tab_footer(client, make_partner):
    partner = make_partner()
    page = client.get(
        f"/embed/cta?partner={partner.key}", headers={"Sec-Fetch-Dest": "document"}
    ).get_data(as_text=True)
    assert 'class="new-tab"' not in page


def test_page_opened_from_an_unregistered_origin_tells_the_editors(client, make_partner):
    partner = make_partner(origins=("http://127.0.0.1:8200",))
    headers = {"Sec-Fetch-Dest": "document", "Referer": "http://localhost:8200/?p=7"}
    page = client.get(f"/embed/help?partner={partner.key}", headers=headers).get_data(as_text=True)
    assert 'class="wrap notice unregistered-host"' in page
    assert "register exactly http://localhost:8200" in page


@pytest.mark.parametrize(
    "referer",
    [
        None,
        "http://127.0.0.1:8200/news",
        "http://localhost/help",
        "javascript:alert(1)",
        "http://evil.example/<script>",
    ],
)
def test_no_editor_hint_from_a_registered_page_our_own_or_nonsense(client, make_partner, referer):
    partner = make_partner(origins=("http://127.0.0.1:8200",))
    headers = {"Sec-Fetch-Dest": "document", **({"Referer": referer} if referer else {})}
    page = client.get(f"/embed/help?partner={partner.key}", headers=headers).get_data(as_text=True)
    assert "unregistered-host" not in page


# --- The oEmbed card asked for by an unregistered site ------------------------------


def test_oembed_card_from_an_unregistered_site_is_a_notice_framable_only_there(
    client, make_partner
):
    make_partner(origins=("https://press.example.org",))
    response = client.get(
        "/embed/cta?oembed=1",
        headers={"Sec-Fetch-Dest": "iframe", "Referer": "http://localhost:8200/wp-admin/"},
    )
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == "http://localhost:8200"
    page = response.get_data(as_text=True)
    assert "This site is not registered yet" in page and "http://localhost:8200" in page
    assert 'data-parent-origins="http://localhost:8200"' in page
    assert "<form" not in page


def test_oembed_card_from_a_registered_site_is_the_card(client, make_partner):
    make_partner(origins=("https://press.example.org",))
    response = client.get(
        "/embed/cta?oembed=1",
        headers={"Sec-Fetch-Dest": "iframe", "Referer": "https://press.example.org/2026/release"},
    )
    assert directives(response)["frame-ancestors"] == "https://press.example.org"
    assert "not registered" not in response.get_data(as_text=True)


def test_partner_key_is_never_relaxed_by_a_referer(client, make_partner):
    partner = make_partner(origins=("https://press.example.org",))
    response = client.get(
        f"/embed/help?partner={partner.key}",
        headers={"Sec-Fetch-Dest": "iframe", "Referer": "https://evil.example/"},
    )
    assert directives(response)["frame-ancestors"] == "https://press.example.org"


# --- The partner page's origin check ------------------------------------------------


@pytest.mark.parametrize(
    "url, origin, allowed",
    [
        ("http://127.0.0.1:8200/?p=7", "http://127.0.0.1:8200", True),
        ("http://localhost:8200/?p=7", "http://localhost:8200", False),
        ("https://Press.Example.org:443/news/x", "https://press.example.org", True),
        ("https://press.example.org:8443/news", "https://press.example.org:8443", False),
        ("http://press.example.org/news", None, False),
        ("press.example.org/news", None, False),
        ("javascript:alert(1)", None, False),
    ],
)
def test_check_page_compares_scheme_host_and_port(app, make_partner, url, origin, allowed):
    partner = make_partner(origins=("http://127.0.0.1:8200", "https://press.example.org"))
    result = check_page(partner, url)
    assert (result.origin, result.allowed) == (origin, allowed)
    assert (result.problem is None) == (origin is not None)


def test_partner_page_checks_a_pasted_address(client, make_staff, login_as, make_partner):
    login_as(client, make_staff(role="admin"))
    partner = make_partner(origins=("http://127.0.0.1:8200",))
    url = f"/staff/partners/{partner.id}"
    page = client.get(url, query_string={"page_url": "http://localhost:8200/?p=7"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'Add exactly <code dir="ltr">http://localhost:8200</code>' in text
    ok = client.get(url, query_string={"page_url": "http://127.0.0.1:8200/news"})
    assert "Yes: pages at" in ok.get_data(as_text=True)
    bad = client.get(url, query_string={"page_url": "<script>alert(1)</script>"})
    assert "Paste the full address" in bad.get_data(as_text=True)
    assert "<script>alert(1)" not in bad.get_data(as_text=True)
    huge = client.get(url, query_string={"page_url": "https://" + "a" * 5000 + ".org/"})
    assert huge.status_code == 200


def test_partner_page_check_says_an_inactive_partner_is_inactive(
    client, make_staff, login_as, make_partner
):
    login_as(client, make_staff(role="admin"))
    partner = make_partner(origins=("http://127.0.0.1:8200",), active=False)
    text = client.get(
        f"/staff/partners/{partner.id}", query_string={"page_url": "http://127.0.0.1:8200/"}
    ).get_data(as_text=True)
    assert "This partner is inactive: activate it first." in text


@pytest.mark.parametrize("path", ["?page_url=https://press.example.org/", "/wordpress-plugin.zip"])
def test_origin_check_and_plugin_are_for_partner_admins_only(
    client, make_staff, login_as, make_partner, path
):
    url = f"/staff/partners/{make_partner().id}{path}"
    assert client.get(url).status_code in (302, 401, 403)
    login_as(client, make_staff(role="reviewer"))
    assert client.get(url).status_code == 403


# --- Snippets -------------------------------------------------------------------------


def test_frame_only_snippet_follows_its_content_where_scripts_are_kept(database_uri, make_partner):
    app = make_test_app(database_uri, PUBLIC_BASE_URL="https://help.example.org")
    partner = make_partner()
    with app.test_request_context():
        iframe = embed.snippets(partner, "en")["iframe"]
    assert iframe.startswith('<iframe class="intake-frame" ')
    assert iframe.endswith('<script src="https://help.example.org/embed.js" async></script>')


# --- The WordPress plugin for authors without unfiltered_html -------------------------


def test_wordpress_plugin_prints_the_fixed_snippet_in_each_language(
    client, make_staff, login_as, make_partner
):
    import io
    import zipfile

    login_as(client, make_staff(role="admin"))
    partner = make_partner(name="Press */ <?php evil(); ?>")
    response = client.get(f"/staff/partners/{partner.id}/wordpress-plugin.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert 'filename="asylum-help-cta.zip"' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == ["asylum-help-cta/asylum-help-cta.php"]
    source = archive.read("asylum-help-cta/asylum-help-cta.php").decode()
    assert source.startswith("<?php\n/**\n * Plugin Name: ")
    assert "add_shortcode( 'asylum_help', 'asylum_help_shortcode' );" in source
    assert "evil" not in source  # the partner's name is not in it; nothing typed is
    with client.application.test_request_context():
        for code in client.application.config["LANGUAGES"]:
            snippet = embed.snippets(partner, code)["script"]
            assert f"\t$snippets['{code}'] = <<<'INTAKE_SNIPPET'\n{snippet}\nINTAKE_SNIPPET;" in (
                source
            )
    page = client.get(f"/staff/partners/{partner.id}").get_data(as_text=True)
    assert f'href="/staff/partners/{partner.id}/wordpress-plugin.zip" download' in page


def test_wordpress_plugin_of_an_unknown_partner_is_404(client, make_staff, login_as):
    login_as(client, make_staff(role="admin"))
    assert client.get("/staff/partners/999999/wordpress-plugin.zip").status_code == 404

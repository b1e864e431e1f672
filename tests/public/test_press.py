"""The press room and the release page, as shipped with the seed release."""

import html
import re
from pathlib import Path

from intake.public.releases import SEED_FILE

SLUG = "russian-delegation-visit-to-syria-viewed-with-skepticism"
CTA_SENTENCE = (
    "If you do not already have legal representation, cannot afford an attorney, and "
    "need help with a claim for asylum or other protection-based form of immigration "
    "status, we can help."
)


def seed_blocks() -> list[str]:
    text = Path(SEED_FILE).read_text(encoding="utf-8")
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def page_text(response) -> str:
    """The visible text of a page, tags removed and entities decoded."""
    body = response.get_data(as_text=True)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_release_page_shows_the_seed_word_for_word(client, seeded):
    response = client.get(f"/press/{SLUG}")
    assert response.status_code == 200
    text = page_text(response)
    blocks = seed_blocks()
    title, body = blocks[0], blocks[1]
    assert title == "Russian Delegation Visit to Syria Viewed with Skepticism"
    assert title in text
    assert body.startswith("Washington, DC -Today")
    assert body in text
    assert "Press" in text
    assert "Published on February 7, 2012" in text
    assert "Seeking asylum?" in text
    assert CTA_SENTENCE in text
    assert blocks[-1] == CTA_SENTENCE  # the sentence is the seed's own


def test_release_page_structure(client, seeded):
    page = client.get(f"/press/{SLUG}").get_data(as_text=True)
    assert page.count("<h1") == 1
    assert '<main id="main"' in page and 'href="#main"' in page
    assert '<div class="release-body" lang="en" dir="ltr">' in page
    assert f'href="/help?from={SLUG}"' in page
    assert '<time datetime="2012-02-07">' in page
    # Furniture is not body: the body holds one paragraph and no "Share" text.
    body = page.split('<div class="release-body"', 1)[1].split("</div>", 1)[0]
    assert body.count("<p>") == 1 and "Seeking asylum" not in body and "Share" not in body


def test_release_meta_tags_and_canonical(client, seeded):
    page = client.get(f"/press/{SLUG}").get_data(as_text=True)
    assert f'<link rel="canonical" href="http://localhost/press/{SLUG}">' in page
    assert '<meta property="og:title" content="Russian Delegation Visit to Syria' in page
    assert '<meta property="og:type" content="article">' in page
    description = re.search(r'<meta name="description" content="([^"]+)"', page).group(1)
    assert description.startswith("Washington, DC -Today a Russian delegation")
    assert len(description) <= 201


def test_canonical_uses_configured_public_base(app_factory, seeded):
    app = app_factory(PUBLIC_BASE_URL="https://help.example.org/")
    page = app.test_client().get(f"/press/{SLUG}").get_data(as_text=True)
    assert f'<link rel="canonical" href="https://help.example.org/press/{SLUG}">' in page


def test_share_links_are_plain_links_without_third_party_resources(client, seeded):
    page = client.get(f"/press/{SLUG}").get_data(as_text=True)
    for network in ("mailto:?subject=", "facebook.com/sharer", "x.com/intent", "linkedin.com"):
        assert network in page
    # Nothing but our own origin is ever loaded: no src or stylesheet elsewhere.
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page)
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert all(s.startswith("/static/") for s in stylesheets)
    assert not [u for u in re.findall(r'src="([^"]+)"', page) if "//" in u]
    assert loaded  # the page has links at all
    assert 'id="share-url"' in page


def test_press_room_lists_releases_newest_first(client, make_release):
    from datetime import date

    make_release(title="Older news", slug="older", published_on=date(2011, 5, 1))
    make_release(title="Newer news", slug="newer", published_on=date(2012, 5, 1))
    make_release(
        title="Draft news", slug="draft", published_on=date(2013, 1, 1), is_published=False
    )
    page = client.get("/").get_data(as_text=True)
    assert page.index("Newer news") < page.index("Older news")
    assert "Draft news" not in page
    assert CTA_SENTENCE in page_text(client.get("/"))
    assert client.get("/press/draft").status_code == 404


def test_press_room_lists_the_seed(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="/press/{SLUG}"' in response.get_data(as_text=True)
    assert "February 7, 2012" in page_text(response)


def test_press_room_paginates(client, make_release):
    for _ in range(21):
        make_release()
    assert "Older" in page_text(client.get("/"))
    assert client.get("/?page=2").status_code == 200
    assert client.get("/?page=99").status_code == 404


def test_unknown_release_is_404_in_the_site_style(client):
    response = client.get("/press/no-such-release")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and 'class="quick-exit"' in page


def test_release_title_is_escaped(client, make_release):
    slug = make_release(title='<script>alert("x")</script>')
    page = client.get(f"/press/{slug}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_release_body_is_cleaned_again_on_render(client, make_release):
    slug = make_release(body_html='<p>ok</p><script>alert(1)</script><a href="javascript:x">l</a>')
    page = client.get(f"/press/{slug}").get_data(as_text=True)
    assert "<script>" not in page and "javascript:" not in page


def test_call_to_action_can_be_switched_off(client, make_release):
    slug = make_release(show_call_to_action=False)
    assert "Seeking asylum?" not in client.get(f"/press/{slug}").get_data(as_text=True)

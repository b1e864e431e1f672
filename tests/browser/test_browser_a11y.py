"""axe-core (WCAG 2.0/2.1/2.2 A and AA): zero violations on the public pages, in
English, Spanish and Arabic (right to left)."""

import pytest

pytestmark = pytest.mark.browser

SLUG = "russian-delegation-visit-to-syria-viewed-with-skepticism"


@pytest.mark.parametrize("prefix", ["", "/es", "/ar"])
def test_press_room_release_and_404_have_no_axe_violations(page, seeded, axe_check, prefix):
    for path, status in (
        (f"{prefix}/", 200),
        (f"{prefix}/press/{SLUG}", 200),
        (f"{prefix}/nope", 404),
    ):
        response = page.goto(page.base + path)
        assert response.status == status, path
        axe_check(page)


def test_the_check_itself_finds_violations(page, axe_check):
    """The harness is not vacuous: a missing alt text and an unlabelled field fail."""
    from tests.support.a11y import violations

    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<img src="data:,"><input type="text"></main></body></html>'
    )
    found = {v["id"] for v in violations(page)}
    assert {"image-alt", "label"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        axe_check(page)

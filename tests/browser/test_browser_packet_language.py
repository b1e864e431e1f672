"""An opened referral packet in Chromium: switching from Spanish to Arabic shows
the packet in Arabic without asking for the code again, with no axe violation,
and the address bar never holds anything of the packet or the code."""

import pytest
from playwright.sync_api import expect

from tests.support.packets import mailed_links, referrer, send_packet

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_switching_language_keeps_the_opened_packet(
    app, page, make_request, make_staff, login_as, axe_check
):
    _response, code = send_packet(referrer(app, make_request, make_staff, login_as)())
    (link,) = mailed_links(app)
    token = link.rsplit("/", 1)[1]
    page.goto(f"{page.base}/es{link}")
    page.get_by_label("Código").fill(code)
    page.get_by_role("button", name="Abrir").click()
    expect(page.locator("h1")).to_have_text("Paquete de remisión")
    axe_check(page)
    page.get_by_role("navigation", name="Idioma").get_by_role("button", name="العربية").click()
    expect(page.locator("h1")).to_have_text("ملف الإحالة")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("Necesito ayuda con mi caso de asilo")).to_be_visible()
    expect(page.locator("input[name=code]")).to_have_count(0)
    assert page.url == f"{page.base}/ar/referral/{token}"  # the link's own token, nothing more
    axe_check(page)
    assert all(url.startswith(page.base) for url in page.requested)

"""The referral packet's pages in Chromium, in Spanish and in Arabic (right to
left): the code, the packet, a refused answer and the answer recorded, each
with no axe violation (WCAG 2.0/2.1/2.2 A and AA)."""

import pytest
from playwright.sync_api import expect

from tests.support.packets import mailed_links, send_packet

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Furniture by language: the code's label, the open button, the page's heading,
# the "cannot take the case" choice, the send button, the missing-reason error,
# the thanks, the refusal's heading.
WORDS = {
    "es": (
        "Código",
        "Abrir",
        "Paquete de remisión",
        "No podemos aceptar el caso",
        "Enviar la respuesta",
        "Diga por qué no puede aceptar el caso.",
        "Gracias: se registró su respuesta.",
        "Este enlace no se puede abrir",
    ),
    "ar": (
        "الرمز",
        "فتح",
        "ملف الإحالة",
        "لا يمكننا قبول القضية",
        "إرسال الإجابة",
        "اذكر سبب عدم تمكنكم من قبول القضية.",
        "شكرًا لك: سُجّلت إجابتك.",
        "لا يمكن فتح هذا الرابط",
    ),
}


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_packet_pages_are_accessible_in_spanish_and_arabic(
    app, page, referred, axe_check, lang
):
    label, open_button, heading, decline, send, missing, thanks, refused = WORDS[lang]
    _response, code = send_packet(referred())
    (link,) = mailed_links(app)
    page.goto(f"{page.base}/{lang}{link}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    axe_check(page)
    page.get_by_label(label).fill(code)
    page.get_by_role("button", name=open_button).click()
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.get_by_text("Necesito ayuda con mi caso de asilo")).to_be_visible()
    axe_check(page)
    page.get_by_label(decline).check()
    page.get_by_role("button", name=send).click()
    expect(page.locator(".error-summary")).to_contain_text(missing)
    axe_check(page)
    page.get_by_label(decline).check()
    page.locator("textarea[name=reason]").fill("Sin capacidad este mes")
    page.get_by_role("button", name=send).click()
    expect(page.locator("h1")).to_have_text(thanks)
    axe_check(page)
    page.goto(f"{page.base}/{lang}/referral/{'x' * 43}")
    expect(page.locator("h1")).to_have_text(refused)
    axe_check(page)
    assert all(url.startswith(page.base) for url in page.requested)

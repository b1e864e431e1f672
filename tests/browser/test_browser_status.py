"""The applicant's status page in Chromium: with JavaScript off, in Spanish,
accessible, and inside a partner's frame with third-party cookies blocked."""

import pytest

from intake.cases import status_codes
from intake.cases.help_requests import format_reference
from tests.support.a11y import assert_accessible
from tests.support.browser import browser_login

pytestmark = pytest.mark.browser

CODE = "7QM4XPD2"


@pytest.fixture
def case(app, make_request):
    """A request in review, with a known status code."""
    reference = "K7QM4XPD2H"
    with app.app_context():
        hashed = status_codes.code_hash(reference, CODE)
    make_request(reference=reference, status="in_review", status_code_hash=hashed)
    return format_reference(reference)


# The two labels and the button, in English and in Spanish.
EN = ("Your reference", "Your status code", "Check")
ES = ("Su referencia", "Su código de estado", "Consultar")


def check(page_or_frame, reference, code, words=EN):
    reference_label, code_label, button = words
    page_or_frame.get_by_label(reference_label).fill(reference)
    page_or_frame.get_by_label(code_label).fill(code)
    page_or_frame.get_by_role("button", name=button).click()


def test_works_with_javascript_off_in_spanish(chromium, live_server, case):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/es/status")
        check(page, case, "7qm4-xpd2", words=ES)
        page.get_by_role("heading", name="Estamos revisando su solicitud").wait_for()
        assert case in page.locator("main").inner_text()
        assert context.cookies() == []
    finally:
        context.close()


def test_form_refusal_and_state_pass_axe(page, case):
    page.goto(page.base + "/status")
    assert_accessible(page)
    check(page, case, "ZZZZ-ZZZZ")
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
    check(page, case, CODE)
    page.get_by_role("heading", name="We are reviewing your request").wait_for()
    assert_accessible(page)


@pytest.fixture
def in_partner_frame(cookieless_chromium, our_site, make_partner, host):
    """Look a reference up on /es/embed/status inside a partner's page on another
    origin, in a Chromium that blocks third-party cookies; calls ``then`` with
    the page and the frame, and checks no cookie was set."""

    def look_up(reference, heading, then):
        partner = make_partner(name="Partner", origins=(host.url,))
        src = f"{our_site.url}/es/embed/status?partner={partner.key}"
        host.show(f'<iframe title="Estado" src="{src}" width="600" height="900"></iframe>')
        context = cookieless_chromium.new_context()
        try:
            page = context.new_page()
            page.goto(host.url)
            frame = page.frame_locator("iframe")
            check(frame, reference, CODE, words=ES)
            frame.get_by_role("heading", name=heading).wait_for()
            then(page, frame)
            assert context.cookies() == []
        finally:
            context.close()

    return look_up


def test_inside_a_partner_frame_with_third_party_cookies_blocked(in_partner_frame, case, host):
    def then(page, frame):
        assert frame.get_by_role("link", name="Salir de este sitio").count() == 1
        assert page.url == host.url + "/"

    in_partner_frame(case, "Estamos revisando su solicitud", then)


def test_staff_send_the_spanish_non_engagement_letter_and_the_applicant_reads_it(
    page, make_staff, case_with_deadline, in_partner_frame
):
    """The letter names the one-year deadline the rules computed (stored on the
    case), as a Spanish date; the applicant reads it on /es/status, and on the
    same page inside a partner's frame with third-party cookies blocked."""
    reference, deadline = case_with_deadline
    staff = make_staff("reviewer")
    browser_login(page, staff)
    page.goto(page.base + f"/staff/cases/{reference.replace('-', '')}")
    page.get_by_role("link", name="Not able to take the case (non-engagement)").click()
    preview = page.locator(".preview")
    assert deadline in preview.inner_text()
    assert preview.get_attribute("lang") == "es"
    assert_accessible(page)
    page.get_by_role("button", name="Send the letter").click()
    page.locator("article.letter").wait_for()
    assert deadline in page.locator("article.letter").inner_text()
    assert_accessible(page)  # the printable page

    applicant = page.context.browser.new_context(java_script_enabled=False)
    try:
        reader = applicant.new_page()
        reader.goto(page.base + "/es/status")
        check(reader, reference, CODE, words=ES)
        reader.get_by_role("heading", name="Cartas que le enviamos").wait_for()
        letter = reader.locator("article.letter").inner_text()
        assert "No somos sus abogados" in letter and deadline in letter
    finally:
        applicant.close()

    def then(_page, frame):
        letter = frame.locator("article.letter").inner_text()
        assert "No somos sus abogados" in letter and deadline in letter

    in_partner_frame(reference, "Cartas que le enviamos", then)


@pytest.fixture
def case_with_deadline(app, make_request):
    """A Spanish request whose rules-computed filing deadline is on the case."""
    from datetime import date

    from intake.letters import drafts as letters

    reference = "S9QM4XPD2H"
    with app.app_context():
        hashed = status_codes.code_hash(reference, CODE)
    row = make_request(
        reference=reference,
        status="in_review",
        status_code_hash=hashed,
        interface_language="es",
        filing_deadline=date(2027, 3, 14),
    )
    with app.app_context():
        written = letters.format_date_in(letters.filing_deadline(row), "es")
    return format_reference(reference), written


def test_letter_wording_pages_pass_axe(page, make_staff):
    browser_login(page, make_staff("admin"))
    page.goto(page.base + "/staff/letter-templates")
    assert_accessible(page)
    page.goto(page.base + "/staff/letter-templates/non_engagement/ar")
    page.get_by_label("Wording").fill("{name} {nonsense}")
    page.get_by_role("button", name="Save the wording").click()
    page.locator("#error-summary").wait_for()
    assert_accessible(page)


def test_an_arabic_letter_printable_and_on_the_status_page_pass_axe(
    app, page, make_staff, make_request
):
    """Right to left: the printable page and the status page that shows the letter."""
    reference = "A9QM4XPD2H"
    with app.app_context():
        hashed = status_codes.code_hash(reference, CODE)
    make_request(reference=reference, status_code_hash=hashed, interface_language="ar")
    browser_login(page, make_staff("reviewer"))
    page.goto(page.base + f"/staff/cases/{reference}/letters/could_not_reach")
    page.get_by_role("button", name="Send the letter").click()
    page.locator("article.letter").wait_for()
    assert page.locator("article.letter").get_attribute("dir") == "rtl"
    assert_accessible(page)
    page.goto(page.base + "/ar/status")
    page.locator("#reference").fill(format_reference(reference))
    page.locator("#code").fill(CODE)
    page.locator("form button[type=submit]").click()
    page.locator("article.letter").wait_for()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)

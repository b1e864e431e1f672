"""One form-field macro and one error summary (templates/_macros.html) for every
form, public and staff; and the case page naming what the form stores as codes."""

import re
from pathlib import Path

from intake.cases import choice_lists
from intake.staff.accounts import operations as accounts
from tests.support.tokens import csrf_token

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_codes_are_named_for_staff():
    assert choice_lists.country_name("VN") == "Vietnam"
    assert choice_lists.country_name("stateless") == "Stateless (no nationality)"
    assert choice_lists.language_name("vi") == "Vietnamese"
    assert choice_lists.language_name("zh-yue") == "Cantonese"
    assert choice_lists.state_name("IL") == "Illinois"
    # The interface's locale codes, which the form's list lacks, come from Babel.
    assert choice_lists.language_name("pt_BR") == "Portuguese (Brazil)"
    # What no list knows is shown as stored, not hidden; nothing is "None".
    assert choice_lists.country_name("Atlantis") == "Atlantis"
    assert choice_lists.language_name("Klingon") == "Klingon"
    assert choice_lists.state_name(None) == choice_lists.language_name("") == ""


def test_the_case_page_shows_names_not_codes(client, make_staff, login_as, make_request):
    case = make_request(
        nationality="VN", preferred_language="vi", state="IL", interface_language="es"
    )
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{case.reference}").text
    assert "<dd>Vietnam</dd>" in page
    assert "<dd>Vietnamese (used the form in: Spanish)</dd>" in page
    assert "<dd>Illinois</dd>" in page
    queue = client.get("/staff/").text
    assert "<td>Vietnamese</td>" in queue
    assert '<option value="vi">Vietnamese</option>' in queue


def test_one_macro_file_draws_every_field_and_error():
    elsewhere = [
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if path.name != "_macros.html"
        and re.search(
            r"macro (field|error_summary)\b|field-error|error-summary-title", path.read_text()
        )
    ]
    assert elsewhere == []


def test_a_staff_field_error_is_announced_and_linked(client, make_staff, login_as):
    login_as(client, make_staff("admin"))
    form = client.get("/staff/users/invite").text
    page = client.post(
        "/staff/users/invite", data={"csrf_token": csrf_token(form), "email": "", "role": "admin"}
    ).text
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'href="#([^"]+)"', summary) == ["email"]
    assert "autofocus" in re.search(r'<div class="error-summary"[^>]*>', page).group(0)
    assert (
        '<p class="field-error" id="email-error"><span class="visually-hidden">Error: </span>'
        in page
    )
    email = re.search(r"<input[^>]*id=\"email\"[^>]*>", page).group(0)
    assert 'aria-describedby="email-error"' in email and 'aria-invalid="true"' in email
    # The role's hint is tied to its select.
    assert re.search(r'<select id="role" name="role" aria-describedby="role-hint">', page)


def test_case_form_errors_link_to_their_own_form(client, make_staff, login_as, make_request):
    """Two forms on the case page have a "reason": each field's id carries its
    form's prefix, and the summary links to the one that is wrong."""
    case = make_request()
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{case.reference}").text
    response = client.post(
        f"/staff/cases/{case.reference}/screen",
        data={"csrf_token": csrf_token(page), "version": str(case.version), "screen": ""},
    )
    assert response.status_code == 400
    summary = response.text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'href="#([^"]+)"', summary) == ["screen-reason"]
    assert 'id="screen-reason-error"' in response.text
    assert re.search(
        r'<textarea aria-describedby="screen-reason-error" aria-invalid="true"'
        r'[^>]*id="screen-reason"',
        response.text,
    )
    assert 'id="status-reason"' in response.text and 'id="status-reason-error"' not in response.text


def test_a_refused_login_is_in_the_summary_with_no_link(client, make_staff):
    user = make_staff("admin")
    form = client.get("/staff/login").text
    response = client.post(
        "/staff/login",
        data={
            "csrf_token": csrf_token(form),
            "email": user.email,
            "password": "not the password",
            "code": "000000",
        },
    )
    summary = response.text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert accounts.GENERIC_LOGIN_ERROR in summary and "href" not in summary

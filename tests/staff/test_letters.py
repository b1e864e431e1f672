"""Letters to the applicant: drafted in their language from the case, previewed
and edited by staff, stored encrypted, emailed once through the outbox when
safe, printable and as a PDF whose text comes back (right to left in Arabic
and Dari)."""

import email
import html
import re
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from intake import letters, timeutil
from intake.db import db
from intake.models import AuditEvent, Letter, OutgoingMail, ReferralOrganisation
from intake.outbox import deliver_due
from tests.support.apps import stored_words
from tests.support.attack_payloads import XSS, assert_inert, shown_as_text
from tests.support.form import visible_words
from tests.support.tokens import csrf_token

TODAY = date(2026, 12, 1)
DEADLINE = date(2027, 3, 14)  # as the rules computed it and stored it on the case
LANGUAGES = ("en", "es", "fr", "ht", "pt_BR", "ar", "fa_AF", "ru", "uk", "zh_Hans")
# The deadline as each language writes a date (CLDR "long"; Kreyòl as French, Haiti).
DEADLINE_WRITTEN = {
    "en": "March 14, 2027",
    "es": "14 de marzo de 2027",
    "fr": "14 mars 2027",
    "ht": "14 mars 2027",
    "pt_BR": "14 de março de 2027",
    "ar": "14 مارس 2027",
    "fa_AF": "14 مارچ 2027",
    "ru": "14 марта 2027\u202fг.",
    "uk": "14 березня 2027\u202fр.",
    "zh_Hans": "2027年3月14日",
}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def case_in(make_request, language, **values):
    return make_request(
        interface_language=language,
        filing_deadline=DEADLINE,
        name="Mariam Haddad",
        **values,
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(letters.KINDS))
def test_each_letter_fills_in_each_language(app, make_request, language, kind):
    case = case_in(make_request, language)
    with app.test_request_context():
        org = ReferralOrganisation(name="Legal Aid North", how_to_refer="+1 212 555 0199")
        draft = letters.draft(case, kind, TODAY, org)
        english = letters.draft(case_in(make_request, "en"), kind, TODAY, org)
    assert draft.language == language
    for part in (draft.subject, draft.body):
        assert not re.search(r"%\(|\{\{|\}\}|\{[a-z_]+\}", part), "a placeholder is left"
    assert "Mariam Haddad" in draft.body
    assert case.reference[:4] in draft.subject and case.reference[:4] in draft.body
    assert letters.format_date_in(TODAY, language) in draft.body
    if language != "en":
        assert draft.body != english.body.replace("en", language)  # translated, not English
        assert draft.subject != english.subject
    if kind in (letters.NON_ENGAGEMENT, letters.REFERRED, letters.COULD_NOT_REACH):
        assert DEADLINE_WRITTEN[language] in draft.body
    if kind == letters.NON_ENGAGEMENT:
        assert letters.EOIR_PRO_BONO in draft.body and letters.AILA_SEARCH in draft.body
        assert "Legal Aid North" in draft.body and "+1 212 555 0199" in draft.body


def test_without_a_computed_deadline_the_letter_still_says_deadlines_run(app, make_request):
    case = make_request(interface_language="es", filing_deadline=None)
    with app.test_request_context():
        draft = letters.draft(case, letters.NON_ENGAGEMENT, TODAY)
    assert "Los plazos siguen corriendo" in draft.body


def staff_client(app, make_staff, login_as, role="reviewer"):
    client = app.test_client()
    login_as(client, make_staff(role))
    return client


def send(client, reference, kind, body=None):
    page = client.get(f"/staff/cases/{reference}/letters/{kind}")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.text)}
    data["body"] = body if body is not None else _textarea(page.text)
    return client.post(f"/staff/cases/{reference}/letters/{kind}", data=data)


def _textarea(page: str) -> str:
    return html.unescape(re.search(r"<textarea[^>]*>\r?\n?(.*?)</textarea>", page, re.S).group(1))


def test_staff_send_an_edited_letter_stored_encrypted_emailed_once(
    app, make_request, make_staff, login_as, sink, database_uri
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_FROM="noreply@org.example")
    case = case_in(make_request, "es", email="mariam@example.org", safe_to_message="yes")
    client = staff_client(app, make_staff, login_as)
    preview = client.get(f"/staff/cases/{case.reference}/letters/non_engagement")
    assert "No somos sus abogados" in visible_words(preview)
    assert 'lang="es"' in preview.text
    body = _textarea(preview.text) + "\n\nNota añadida por el personal."
    sent = send(client, case.reference, "non_engagement", body)
    assert sent.status_code == 302
    with app.app_context():
        (letter,) = db.session.execute(select(Letter)).scalars().all()
        assert letter.body == body.replace("\r\n", "\n") and letter.emailed
        (mail,) = db.session.execute(select(OutgoingMail)).scalars().all()
        assert mail.kind == f"letter:{letter.id}"
        event = db.session.execute(select(AuditEvent).filter_by(action="letter.sent")).scalar_one()
        assert event.target == case.reference and "Mariam" not in event.detail
        deliver_due()
        deliver_due()  # nothing left: sent once
    assert len(sink.messages) == 1
    (envelope,) = sink.messages
    assert envelope["to"] == ["mariam@example.org"]
    message = email.message_from_bytes(envelope["data"])
    assert "Nota añadida por el personal." in message.get_payload(decode=True).decode()
    stored = stored_words(database_uri, "letter")
    assert "Nota añadida" not in stored and "abogados" not in stored


def test_no_email_unless_the_applicant_said_messages_are_safe(
    app, make_request, make_staff, login_as
):
    case = case_in(make_request, "fr", email="a@example.org", safe_to_message="not_sure")
    client = staff_client(app, make_staff, login_as)
    assert send(client, case.reference, "received").status_code == 302
    with app.app_context():
        assert db.session.execute(select(Letter.emailed)).scalar_one() is False
        assert db.session.execute(select(OutgoingMail)).first() is None


def test_an_empty_letter_is_refused_and_nothing_is_stored(app, make_request, make_staff, login_as):
    case = case_in(make_request, "en")
    client = staff_client(app, make_staff, login_as)
    refused = send(client, case.reference, "received", body="   ")
    assert refused.status_code == 400 and "The letter is empty." in visible_words(refused)
    with app.app_context():
        assert db.session.execute(select(Letter)).first() is None


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    # pdftotext marks direction with Unicode embedding controls, and gives Arabic
    # vowel marks (drawn as separate zero-width glyphs) back unreliably: compare
    # without either.
    return without_marks(re.sub("[\u202a-\u202e\u200e\u200f]", "", out.stdout.decode()))


def without_marks(text: str) -> str:
    return re.sub("[\u064b-\u065f\u0670]", "", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_printable_page_and_pdf_in_each_language(
    app, make_request, make_staff, login_as, language, tmp_path
):
    case = case_in(make_request, language)
    client = staff_client(app, make_staff, login_as)
    location = send(client, case.reference, "non_engagement").location
    page = client.get(location)
    assert page.status_code == 200
    with app.app_context():
        letter = db.session.execute(select(Letter)).scalar_one()
        first_sentence = letter.body.split("\n\n")[2].split(" ")[:3]
    pdf = client.get(location + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    got = " ".join(pdf_text(pdf.data, tmp_path).split())
    assert without_marks(" ".join(first_sentence)) in got  # words in reading order
    assert DEADLINE_WRITTEN[language].split()[-1] in got


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("ar", ("لسنا محاميك", "لم نوافق على تمثيلك", "ينتهي الموعد")),
        ("fa_AF", ("ما وکیل شما نیستیم", "ما نمایندگی شما را", "برای درخواست پناهندگی")),
    ],
)
def test_arabic_and_dari_come_back_right_to_left_and_joined(
    app, make_request, make_staff, login_as, language, phrases, tmp_path
):
    case = case_in(make_request, language)
    client = staff_client(app, make_staff, login_as)
    location = send(client, case.reference, "non_engagement").location
    got = pdf_text(client.get(location + ".pdf").data, tmp_path)
    # The logical order, and the base letters (the shaped, joined glyphs map back
    # to them): reversed or presentation-form text would not match. (Phrases
    # without punctuation or the lam-alef ligature, which pdftotext gives back
    # in visual order whatever the PDF says.)
    for phrase in phrases:
        assert phrase.replace("\u200c", "") in got.replace("\u200c", "")
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", got)


def test_payloads_staff_type_are_inert_in_the_letter_page_pdf_and_status_page(
    app, make_request, make_staff, login_as, tmp_path
):
    case = case_in(make_request, "en")
    client = staff_client(app, make_staff, login_as)
    body = "\n\n".join(XSS)
    location = send(client, case.reference, "received", body).location
    page = client.get(location).text
    assert_inert(page)
    assert all(shown_as_text(page, p) for p in XSS)
    assert "<script>alert(1)</script>" in pdf_text(client.get(location + ".pdf").data, tmp_path)


def test_an_applicant_name_with_markup_is_inert_in_the_preview(
    app, make_request, make_staff, login_as
):
    case = make_request(interface_language="en", name=XSS[1])
    client = staff_client(app, make_staff, login_as)
    page = client.get(f"/staff/cases/{case.reference}/letters/received").text
    assert_inert(page)
    assert shown_as_text(page, XSS[1])


def test_the_case_page_lists_the_letters_sent(app, make_request, make_staff, login_as):
    case = case_in(make_request, "es")
    client = staff_client(app, make_staff, login_as)
    location = send(client, case.reference, "could_not_reach").location
    page = client.get(f"/staff/cases/{case.reference}").text
    assert location in page and "Could not reach you" in page


def test_a_post_without_the_text_sends_nothing(app, make_request, make_staff, login_as):
    case = case_in(make_request, "en")
    client = staff_client(app, make_staff, login_as)
    page = client.get(f"/staff/cases/{case.reference}/letters/received")
    data = {"csrf_token": csrf_token(page.text)}
    response = client.post(f"/staff/cases/{case.reference}/letters/received", data=data)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.execute(select(Letter)).first() is None

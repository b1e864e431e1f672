"""Letters to the applicant: drafted in their language from the case, previewed
and edited by staff, stored encrypted, emailed once through the outbox when
safe, printable and as a PDF whose text comes back (right to left in Arabic
and Dari)."""

import email
import html
import re
import subprocess
import unicodedata
from datetime import date

import pytest
from sqlalchemy import select

from intake import timeutil
from intake.cases import status_codes
from intake.db import db
from intake.letters import drafts as letters
from intake.letters import pdf as letter_pdf
from intake.mail.outbox import deliver_due
from intake.models import AuditEvent, HelpRequest, Letter, OutgoingMail, ReferralOrganisation
from tests.support.apps import stored_words
from tests.support.attack_payloads import XSS, assert_inert, shown_as_text
from tests.support.form import VALID, reference_in, status_code_in, visible_words
from tests.support.tokens import csrf_token, form_token

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


# The letter's date (today) as each language writes it, written out by hand.
TODAY_WRITTEN = {
    "en": "December 1, 2026",
    "es": "1 de diciembre de 2026",
    "fr": "1 décembre 2026",
    "ht": "1 décembre 2026",
    "pt_BR": "1 de dezembro de 2026",
    "ar": "1 ديسمبر 2026",
    "fa_AF": "1 دسمبر 2026",
    "ru": "1 декабря 2026\u202fг.",
    "uk": "1 грудня 2026\u202fр.",
    "zh_Hans": "2026年12月1日",
}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def case_in(make_request, language, **values):
    return make_request(
        **{"interface_language": language, "filing_deadline": DEADLINE, "name": "Mariam Haddad"}
        | values
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
    assert draft.body.startswith(TODAY_WRITTEN[language] + "\n\n")
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
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=sink.port,
        MAIL_SECURITY="none",
        MAIL_FROM="noreply@org.example",
    )
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
    """What pdftotext (poppler, a standard reader) reads back from the PDF."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def comparable(text: str, spaces: str = " ") -> str:
    """Text as compared with what pdftotext gives back: NFKC, which turns the
    lam-alef ligatures (one presentation-form character each, U+FEF5-U+FEFC,
    see intake.letters.pdf) into the letters lam and alef; without the direction
    controls pdftotext wraps runs in (U+202A-U+202E, which also part words),
    the isolates the letter holds around left-to-right tokens (U+2066-U+2069) or
    the zero-width non-joiner Dari writes between some letters (it draws
    nothing); whitespace collapsed to ``spaces``."""
    text = unicodedata.normalize("NFKC", text).replace("\u200c", "")
    text = re.sub("[\u202a-\u202e]", " ", text)
    text = re.sub("[\u2066-\u2069]", "", text)  # the letter's isolates: not drawn
    return spaces.join(text.split())


# Runs of left-to-right text inside an Arabic or Dari paragraph: references,
# dates' digits, phone numbers, URLs, organisation names.
LEFT_TO_RIGHT_RUN = re.compile(r"[A-Za-z0-9][^\u0600-\u06ff]*[A-Za-z0-9]|[A-Za-z0-9]")
# Marks and punctuation with no direction of their own: at the edge of a
# left-to-right run pdftotext puts them on either side (the order of a visual
# line is ambiguous there), and it re-spaces them inside right-to-left lines.
NEUTRAL_EDGES = " ()[]:.,،؛—+-/"
# Arabic vowel marks (harakat, tanwin; the Dari hamza above heh). HarfBuzz
# places some of them off the baseline (GPOS mark positioning, which keeps
# them clear of tall letters), and pdftotext (poppler 22.12) then prints the
# mark apart and may move the rest of that line above the line's start. So a
# paragraph with such a word is checked word by word, not stretch by stretch.
MARKS = "[\u064b-\u065f\u0670]"
MARKED_WORD = re.compile(f"\\S*{MARKS}\\S*")


def without_marks(text: str) -> str:
    return re.sub(MARKS, "", text)


def right_to_left_stretches(paragraph: str) -> list[str]:
    """The Arabic-script stretches of a paragraph between its left-to-right
    runs, each as comparable to pdftotext's output (no spaces)."""
    parts = LEFT_TO_RIGHT_RUN.split(comparable(paragraph))
    stretches = [part.strip(NEUTRAL_EDGES) for part in parts]
    return [comparable(s, "") for s in stretches if re.search("[\u0600-\u06ff]", s)]


def right_to_left_words(text: str) -> set[str]:
    """The Arabic-script words of a text, without the marked ones."""
    words = (w.strip(NEUTRAL_EDGES) for w in comparable(MARKED_WORD.sub(" ", text)).split())
    return {w for w in words if re.search("[\u0600-\u06ff]", w)}


def read_back_in_order(paragraph: str, got: str) -> bool:
    """Every stretch of an unmarked paragraph is in pdftotext's output, letter
    for letter in logical order; a marked paragraph's words are all there."""
    if MARKED_WORD.search(paragraph):
        return right_to_left_words(paragraph) <= right_to_left_words(without_marks(got))
    return all(s in without_marks(comparable(got, "")) for s in right_to_left_stretches(paragraph))


def left_to_right_words(paragraph: str) -> list[str]:
    """The left-to-right words of a paragraph, whole: a reference such as
    2664-4D7W (digits first, which after Arabic letters are Arabic numbers,
    Unicode bidi rule W2) is isolated (intake.letters.direction), so it is drawn,
    and read back, as written."""
    return [
        word.strip(NEUTRAL_EDGES)
        for run in LEFT_TO_RIGHT_RUN.findall(comparable(paragraph))
        for word in run.split()
        if word.strip(NEUTRAL_EDGES)
    ]


@pytest.mark.parametrize("language", ["ar", "fa_AF"])
@pytest.mark.parametrize("kind", list(letters.KINDS))
def test_arabic_and_dari_pdfs_read_back_in_logical_order(
    app, make_request, language, kind, tmp_path
):
    """Every Arabic-script stretch of every paragraph (lam-alef words included:
    "لا", "الاستلام"-like final forms, "لأن") comes back from pdftotext in
    logical order, letter for letter; so does every left-to-right word."""
    # A reference starting with digits: the hard case for the order (see below).
    case = case_in(make_request, language, name="مريم حداد", reference="26644D7W2H")
    with app.test_request_context():
        org = ReferralOrganisation(name="Legal Aid North", how_to_refer="+1 212 555 0199")
        draft = letters.draft(case, kind, TODAY, org)
    got = pdf_text(letter_pdf.render(draft.subject, draft.body, language), tmp_path)
    paragraphs = [draft.subject, *draft.body.split("\n\n")]
    if re.search("\u0644[\u0622\u0623\u0625\u0627]", draft.body):  # drawn as the ligature
        assert re.search("[\ufef5-\ufefc]", got)
    assert [p for p in paragraphs if not read_back_in_order(p, got)] == []
    got_words = comparable(got)
    assert [w for p in paragraphs for w in left_to_right_words(p) if w not in got_words] == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", "لا أعرف. الاستلام والإقامة لأن السلام لآخر"),
        ("fa_AF", "لازم است. ما وکیل شما نیستیم؛ لطفا با سلامتی"),
    ],
)
def test_lam_alef_comes_back_as_lam_then_alef(language, text, tmp_path):
    """The ligature, isolated (لا) and final (ـلا), plain and with hamza or
    madda, reads back lam then alef; before the fix pdftotext gave "ال"."""
    got = comparable(pdf_text(letter_pdf.render("—", text, language), tmp_path), "")
    assert comparable(text, "") in got


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
    pdf = client.get(location + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    got = pdf_text(pdf.data, tmp_path)
    if language in ("ar", "fa_AF"):  # in order stretch by stretch, as above
        assert all(read_back_in_order(p, got) for p in letter.body.split("\n\n"))
        return
    # Chinese is written without spaces; pdftotext may space its characters.
    spaces = "" if language == "zh_Hans" else " "
    for paragraph in [letter.subject, *letter.body.split("\n\n")]:
        assert comparable(paragraph, spaces) in comparable(got, spaces)
    assert comparable(DEADLINE_WRITTEN[language], spaces) in comparable(got, spaces)


def test_payloads_staff_type_are_inert_in_the_letter_page_pdf_and_status_page(
    app, make_request, make_staff, login_as, tmp_path
):
    code = "7QM4XPD2"
    with app.app_context():
        hashed = status_codes.code_hash("K7QM4XPD2H", code)
    case = case_in(make_request, "en", reference="K7QM4XPD2H", status_code_hash=hashed)
    client = staff_client(app, make_staff, login_as)
    body = "\n\n".join(XSS)
    location = send(client, case.reference, "received", body).location
    page = client.get(location).text
    assert_inert(page)
    assert all(shown_as_text(page, p) for p in XSS)
    pdf = client.get(location + ".pdf").data
    assert all(p in comparable(pdf_text(pdf, tmp_path)) for p in XSS)
    assert not PDF_ACTIVE.findall(pdf)
    status_page = read_on_the_status_page(app.test_client(), case.reference, code)
    assert_inert(status_page)
    assert all(shown_as_text(status_page, p) for p in XSS)


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


def applied_in_spanish(client, **fields) -> tuple[str, str]:
    """The screening form sent from /es/help as a browser would, by someone who
    prefers Spanish (letters follow the preferred language); the reference and
    status code its confirmation shows."""
    page = client.get("/es/help").get_data(as_text=True)
    data = {**VALID, "preferred_language": "es", "csrf_token": form_token(page), **fields}
    assert client.post("/es/help/check", data=data).status_code == 200
    done = client.post("/es/help/submit", data=data, follow_redirects=True).text
    return reference_in(done), status_code_in(done)


def read_on_the_status_page(client, reference, code) -> str:
    token = form_token(client.get("/es/status").get_data(as_text=True))
    data = {"reference": reference, "code": code, "csrf_token": token}
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    response = client.post("/es/status", data=data, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_deadline_the_rules_computed_from_the_form_is_the_one_the_letter_names(
    app, client, make_staff, login_as, tmp_path
):
    """From the form to the letter: the arrival the applicant gave (June 2025)
    becomes the one-year deadline the rules computed and stored (INA
    § 208(a)(2)(B); tested in tests/test_rules.py), and the Spanish
    non-engagement letter, its PDF and the status page all name it."""
    reference, code = applied_in_spanish(client)
    with app.app_context():
        case = db.session.execute(select(HelpRequest)).scalar_one()
        assert case.interface_language == "es" and case.filing_deadline == date(2026, 6, 1)
    staff = staff_client(app, make_staff, login_as)
    location = send(staff, case.reference, "non_engagement").location
    written = "1 de junio de 2026"
    assert written in visible_words(staff.get(location))
    assert written in comparable(pdf_text(staff.get(location + ".pdf").data, tmp_path))
    assert written in visible_words_of(read_on_the_status_page(client, reference, code))


def visible_words_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# What would make a PDF act rather than show: scripts, actions (an /OpenAction
# that is a dictionary; fpdf2's is a page to show, [3 0 R /FitH null]), links,
# forms.
PDF_ACTIVE = re.compile(rb"/JavaScript|/JS\b|/OpenAction\s*<<|/AA\b|/Launch|/URI\b|/AcroForm")


@pytest.mark.parametrize("payload", [p for p in XSS if len(p) <= 60])
def test_payloads_typed_into_the_form_are_inert_in_the_letter_pdf_and_status_page(
    app, client, make_staff, login_as, payload, tmp_path
):
    """A name typed into the screening form goes into every letter: it is text
    on the printable page, in the PDF (which has nothing active), and on the
    status page that shows the letter."""
    reference, code = applied_in_spanish(client, name=payload)
    staff = staff_client(app, make_staff, login_as)
    location = send(staff, reference.replace("-", ""), "received").location
    page = staff.get(location).get_data(as_text=True)
    assert_inert(page)
    assert shown_as_text(page, payload)
    pdf = staff.get(location + ".pdf").data
    assert payload in pdf_text(pdf, tmp_path)
    assert not PDF_ACTIVE.findall(pdf)
    status_page = read_on_the_status_page(client, reference, code)
    assert_inert(status_page)
    assert shown_as_text(status_page, payload)


# A reference that starts with digits: inside an Arabic or Dari sentence the
# bidi algorithm draws it "4D7W-2664" unless it is isolated (intake.letters.direction).
DIGITS_FIRST, DIGITS_FIRST_SHOWN, DIGITS_FIRST_CODE = "26644D7W", "2664-4D7W", "7QM4XPD2"
ISOLATED = "\u2066" + DIGITS_FIRST_SHOWN + "\u2069"


@pytest.mark.parametrize("language", ["ar", "fa_AF"])
def test_a_reference_starting_with_digits_stays_in_order_in_pdf_page_email_and_status(
    app, make_request, make_staff, login_as, sink, language, tmp_path
):
    """The received letter as staff send it: pdftotext reads the reference back
    as typed, the status page and the email hold it inside a left-to-right
    isolate, and the PDF draws no glyph for the isolates."""
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=sink.port,
        MAIL_SECURITY="none",
        MAIL_FROM="noreply@org.example",
    )
    with app.app_context():
        hashed = status_codes.code_hash(DIGITS_FIRST, DIGITS_FIRST_CODE)
    case = case_in(
        make_request,
        language,
        reference=DIGITS_FIRST,
        status_code_hash=hashed,
        email="mariam@example.org",
        safe_to_message="yes",
    )
    client = staff_client(app, make_staff, login_as)
    location = send(client, case.reference, "received").location
    got = pdf_text(client.get(location + ".pdf").data, tmp_path)
    assert DIGITS_FIRST_SHOWN in comparable(got) and "4D7W-2664" not in comparable(got)
    assert not re.search("[\u2066-\u2069]", got)  # not drawn, not read back
    status_page = read_on_the_status_page(app.test_client(), case.reference, DIGITS_FIRST_CODE)
    letter_html = status_page.split('<article class="letter"', 1)[1]
    assert ISOLATED in letter_html.split("</h3>", 1)[1]  # in the letter's sentence
    assert ISOLATED in client.get(location).text
    with app.app_context():
        deliver_due()
    message = email.message_from_bytes(sink.messages[0]["data"])
    assert ISOLATED in message.get_payload(decode=True).decode()


@pytest.mark.parametrize("language", ["ar", "fa_AF"])
def test_phone_numbers_emails_and_urls_of_a_referral_stay_in_order(
    app, make_request, language, tmp_path
):
    case = case_in(make_request, language, reference=DIGITS_FIRST)
    contact = "+1 (212) 555-0199, help@legal-aid.example"
    with app.test_request_context():
        org = ReferralOrganisation(name="مركز المساعدة", how_to_refer=contact)
        draft = letters.draft(case, letters.NON_ENGAGEMENT, TODAY, org)
    for token in ("+1 (212) 555-0199", "help@legal-aid.example", letters.EOIR_PRO_BONO):
        assert "\u2066" + token + "\u2069" in draft.body
    got = comparable(pdf_text(letter_pdf.render(draft.subject, draft.body, language), tmp_path))
    assert "+1 (212) 555-0199" in got and "help@legal-aid.example" in got
    assert letters.EOIR_PRO_BONO in got


def test_letters_in_left_to_right_languages_get_no_isolates(app, make_request):
    case = case_in(make_request, "es", reference=DIGITS_FIRST)
    with app.test_request_context():
        draft = letters.draft(case, letters.RECEIVED, TODAY)
    assert DIGITS_FIRST_SHOWN in draft.body and not re.search("[\u2066-\u2069]", draft.body)


def test_a_bidi_override_in_a_name_or_typed_by_staff_does_not_reorder_the_letter(
    app, make_request, make_staff, login_as, tmp_path
):
    """A Trojan-Source override (U+202E) in a name stored before names were
    cleaned, or typed by staff, never reaches the letter; isolates staff
    deleted (they are invisible in the box) or added unbalanced are reapplied
    as drafted."""
    case = case_in(make_request, "ar", reference=DIGITS_FIRST, name="Mariam\u202e Haddad")
    client = staff_client(app, make_staff, login_as)
    drafted = _textarea(client.get(f"/staff/cases/{case.reference}/letters/received").text)
    assert "\u202e" not in drafted and "Mariam Haddad" in drafted and ISOLATED in drafted
    edited = drafted.replace("\u2066", "").replace("\u2069", "") + "\n\n\u202e\u2066ملاحظة 12-34"
    location = send(client, case.reference, "received", edited).location
    with app.app_context():
        body = db.session.execute(select(Letter.body)).scalar_one()
    assert body == drafted.replace("\r\n", "\n") + "\n\nملاحظة 12-34"
    got = comparable(pdf_text(client.get(location + ".pdf").data, tmp_path))
    assert DIGITS_FIRST_SHOWN in got and "Mariam Haddad" in got
    only_controls = send(client, case.reference, "received", "\u202e\u2066\u2069")
    assert only_controls.status_code == 400


def test_an_editors_wording_is_isolated_and_loses_its_overrides(app, make_request):
    from intake.models import LetterTemplate

    case = case_in(make_request, "fa_AF", reference=DIGITS_FIRST)
    with app.app_context():
        db.session.add(
            LetterTemplate(kind="received", language="fa_AF", body="\u202e{name}: {reference}")
        )
        db.session.commit()
    with app.test_request_context():
        draft = letters.draft(case, letters.RECEIVED, TODAY)
    assert draft.body == "Mariam Haddad: " + ISOLATED


def test_a_letter_is_drafted_in_the_preferred_language_not_the_form_s(
    app, make_request, make_staff, login_as
):
    """Someone who used the English form but prefers French gets French; staff
    may choose another language on the page, and the letter is sent in it."""
    case = make_request(interface_language="en", preferred_language="fr", email=None)
    client = staff_client(app, make_staff, login_as)
    page = client.get(f"/staff/cases/{case.reference}/letters/{letters.RECEIVED}")
    assert page.status_code == 200
    assert 'class="preview letter" lang="fr"' in page.text
    assert '<option value="fr" lang="fr" selected>' in page.text
    chosen = client.get(f"/staff/cases/{case.reference}/letters/{letters.RECEIVED}?language=es")
    assert 'class="preview letter" lang="es"' in chosen.text and "chosen by staff" in chosen.text
    data = {"csrf_token": csrf_token(chosen.text), "body": _textarea(chosen.text)}
    sent = client.post(
        f"/staff/cases/{case.reference}/letters/{letters.RECEIVED}?language=es", data=data
    )
    assert sent.status_code == 302
    with app.app_context():
        (letter,) = db.session.execute(db.select(Letter)).scalars()
        assert letter.language == "es"
    # An unknown choice is ignored: the applicant's language again.
    odd = client.get(f"/staff/cases/{case.reference}/letters/{letters.RECEIVED}?language=xx")
    assert 'class="preview letter" lang="fr"' in odd.text


@pytest.mark.parametrize(
    ("preferred", "interface", "expected"),
    [("prs", "en", "fa_AF"), ("pt", "es", "pt_BR"), ("so", "fr", "fr"), ("so", "xx", "en")],
)
def test_letter_language_falls_back_to_the_form_s_then_english(app, preferred, interface, expected):

    with app.app_context():
        row = HelpRequest(preferred_language=preferred, interface_language=interface)
        assert letters.letter_language(row) == expected

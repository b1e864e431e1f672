"""The form's pages: moving between them without losing an answer, the person
asked for, the explicit choice of English, and the confirmation reached by a
redirect and kept for a while."""

import html
import re
from datetime import date

import pytest

from intake import timeutil
from intake.db import db
from intake.models import Confirmation
from tests.support.form import (
    VALID,
    dated,
    form_values,
    form_with,
    only_request,
    reference_in,
    requests_in,
    status_code_in,
    step_pages,
    walk_steps,
)
from tests.support.tokens import form_token

TODAY = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def token(client, prefix="") -> str:
    return form_token(client.get(f"{prefix}/help").get_data(as_text=True))


def test_each_page_says_where_it_is_and_asks_only_its_questions(client):
    pages = step_pages(client)
    assert len(pages) == 5
    for number, page in enumerate(pages, start=1):
        assert f"Step {number} of 6" in page
        assert f'name="step" value="{number}"' in page
    assert 'type="hidden" name="name"' not in pages[0]  # nothing answered yet, nothing carried
    assert re.search(r'<input type="hidden" name="name" value="Amal">', pages[3])


def test_back_shows_the_page_before_with_its_answers_and_no_errors(client):
    data = {**VALID, "csrf_token": token(client), "step": "3", "to": "2", "name": ""}
    page = client.post("/help", data=data).get_data(as_text=True)
    assert 'name="step" value="2"' in page
    assert "There is a problem" not in page
    assert form_values(page)["arrival_year"] == "2025"


def test_a_page_with_a_problem_stays_and_later_pages_are_not_judged_yet(client):
    data = {"csrf_token": token(client), "step": "1", "asker": "self"}
    page = client.post("/help", data=data).get_data(as_text=True)
    assert 'name="step" value="1"' in page
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links == ["detained", "in_us", "hearing", "decided"]  # not the name, not the phone


def test_change_from_check_returns_to_check_once_valid(client):
    data = {**VALID, "csrf_token": token(client)}
    page = client.post("/help", data={**data, "change": "name"}).get_data(as_text=True)
    assert 'name="step" value="3"' in page and 'name="review" value="1"' in page
    assert re.search(r'id="name"[^>]*autofocus|autofocus[^>]*id="name"', page)
    values = form_values(page)
    values["name"] = "Amal K."
    check = client.post("/help", data=values).get_data(as_text=True)
    assert "Check your answers" in check and "Amal K." in check


def test_follow_up_questions_sit_inside_the_question_that_asks_for_them(client):
    """The date of an interview or check-in, and the end of a status, are inside
    the wrapper that hides them until an answer calls for them."""
    second = step_pages(client)[1]
    for wrapper, question, follow_up in (
        ("reveal-appointment", "appointment", "appointment_day"),
        ("reveal-status", "status_kind", "status_end_day"),
    ):
        before, inside = second.split(f'<div class="{wrapper}">', 1)
        assert f'name="{follow_up}"' not in before
        assert inside.index(f'name="{question}"') < inside.index(f'name="{follow_up}"')
        assert re.search(r'class="field follow-up"[^<]*<fieldset', inside)


def test_someone_asking_for_another_person_is_asked_about_the_person(client):
    answers = {**VALID, "asker": "family", "helper_name": "Rosa"}
    pages = step_pages(client, answers)
    later = html.unescape("".join(pages[1:]))
    for words in (
        "When did the person last arrive in the United States?",
        "What name should we use for the person?",
        "The person's phone number",
        "Could the person pay a private immigration lawyer?",
    ):
        assert words in later, words
    assert "What name should we use for you?" not in later


def test_the_pages_titles_and_checklist_speak_of_the_person_asked_for(client):
    answers = {**VALID, "asker": "family", "helper_name": "Rosa"}
    pages = [html.unescape(p) for p in step_pages(client, answers)]
    for page, title in zip(
        pages[1:],
        (
            "The person's time in the United States",
            "About the person",
            "How we can reach the person",
            "The person's case",
        ),
        strict=True,
    ):
        assert f"<h1>{title}</h1>" in page and f"<title>{title} (" in page
    assert "The person is afraid to go back to their country" in pages[2]
    assert "I am afraid" not in pages[2]
    check = html.unescape(walk_steps(client, {**answers, "harms": "afraid_to_return"}).text)
    assert "<h2>About the person</h2>" in check and "<h2>About you</h2>" not in check
    assert "<h2>How we can reach the person</h2>" in check
    assert "The person is afraid to go back to their country" in check
    own = html.unescape(walk_steps(client, {**VALID, "harms": "afraid_to_return"}).text)
    assert "<h2>About you</h2>" in own and "I am afraid to go back to my country" in own


def test_the_hints_speak_of_the_person_asked_for(client):
    pages = step_pages(client, {**VALID, "asker": "family", "helper_name": "Rosa"})
    text = html.unescape("".join(pages))
    for hint in (
        "It does not have to be the person's full legal name.",
        "If the person is in detention, choose the state where they are held.",
        "Count the people who live with the person and share money.",
    ):
        assert hint in text, hint
    for hint in ("your full legal name", "where you are held", "live with you and share"):
        assert hint not in text, hint
    own = html.unescape("".join(step_pages(client, VALID)))
    assert "It does not have to be your full legal name." in own


def test_the_first_page_reads_right_before_anyone_says_who_it_is_for(client):
    first = html.unescape(step_pages(client)[0])
    for words in (
        "How soon help is needed",
        "Do you, or the person you are asking for, have an immigration court hearing",
        "(yours, or that of the person you are asking for)",
        "Was the order made because of a missed hearing?",
        "Look for the date on the hearing notice.",
    ):
        assert words in first, words
    assert "your case or ordered you" not in first and "you missed" not in first


def test_every_question_of_the_first_page_reads_right_whoever_it_is_for(app):
    """The first page is drawn before the form knows who is asking: each of its
    questions and hints about the person seeking help either names no one or
    says "you, or the person you are asking for" (the helper's own questions
    speak to the helper)."""
    from intake.public.screening.form import STEPS, HelpForm

    helper = {"asker", "helper_name", "helper_relationship", "helper_contact"}
    you = re.compile(r"\b(you|your|yours)\b", re.I)
    with app.test_request_context():
        form = HelpForm()
        for name in set(STEPS[0].fields) - helper:
            for text in (str(form[name].label.text), str(form[name].description or "")):
                if you.search(text):
                    assert "the person you are asking for" in text, (name, text)


@pytest.mark.parametrize(
    ("step", "leave_out", "you", "the_person"),
    [
        ("1", {"detained": ""}, "Say whether you are", "Say whether the person is"),
        ("2", {"i589_filed": ""}, "Say whether you have filed", "Say whether the person has"),
        ("2", {"arrival_month": "", "arrival_year": ""}, "year you last", "the person last"),
        ("3", {"name": ""}, "a name we can use for you", "use for the person"),
        ("3", {"state": ""}, "where you live", "where the person lives"),
        ("3", {"nationality": "xx"}, "your country", "the person's country"),
        ("5", {"household_size": ""}, "in your household", "in the person's household"),
        ("5", {"can_pay": ""}, "whether you could", "whether the person could"),
    ],
)
def test_errors_speak_of_the_person_asked_for(client, step, leave_out, you, the_person):
    someone_else = {"asker": "family", "helper_name": "Rosa"}
    for answers, expected, wrong in (
        ({**VALID, **leave_out}, you, the_person),
        ({**VALID, **someone_else, **leave_out}, the_person, you),
    ):
        page = html.unescape(walk_steps(client, answers).text)
        assert f'name="step" value="{step}"' in page
        assert expected in page and wrong not in page


def test_a_helper_phone_reaches_a_detained_person_who_has_none(app, client):
    answers = {
        **VALID,
        "asker": "detained_person",
        "helper_name": "Rosa",
        "helper_contact": "+1 512 555 0100",
        "detained": "yes",
        "phone": "",
        "email": "",
    }
    check = walk_steps(client, answers)
    assert "Check your answers" in check.text
    without = walk_steps(client, {**answers, "helper_contact": ""})
    assert 'name="step" value="4"' in without.text
    assert "Enter a phone number or an email address, or both." in without.text
    wrong = walk_steps(client, {**answers, "helper_contact": "ask at the desk"})
    assert "Enter your phone number or email address" in wrong.text


def test_english_chosen_on_a_spanish_phone_stays_english(client):
    spanish = {"Accept-Language": "es-MX,es;q=0.9"}
    assert '<html lang="es"' in client.get("/help", headers=spanish).text
    front = client.get("/", headers=spanish).text
    english = re.search(r'<a href="([^"]+)" lang="en"', front)[1]
    assert english == "/?language=en"
    page = client.get(english, headers=spanish).text
    assert '<html lang="en"' in page
    # Its links carry the choice on, so the form's front door does not ask again.
    assert 'href="/help?language=en"' in page or "/help?language=en" in page
    assert '<html lang="en"' in client.get("/help?language=en", headers=spanish).text
    # A page of the form posted from an English page is English, whatever the browser says.
    data = {**VALID, "csrf_token": token(client), "step": "1"}
    assert '<html lang="en"' in client.post("/help", data=data, headers=spanish).text


def test_the_confirmation_is_a_redirect_and_a_reload_shows_both_codes(app, client):
    data = {**VALID, "csrf_token": token(client)}
    sent = client.post("/help/submit", data=data)
    assert sent.status_code == 303
    location = sent.headers["Location"]
    assert re.fullmatch(r"/help/sent/[A-Za-z0-9_-]{32}", location)
    first = client.get(location).text
    again = client.get(location).text  # a reload
    row = only_request(app)
    assert reference_in(first) == reference_in(again)
    code = status_code_in(first)
    assert status_code_in(again) == code
    assert code.replace("-", "") not in location and row.reference not in location
    with app.app_context():
        (kept,) = db.session.execute(db.select(Confirmation)).scalars().all()
        assert kept.key_hash != location.rsplit("/", 1)[1]  # only its hash is stored
    # The reply date promised, in working days from the day it was sent.
    assert re.search(r"That is by [A-Z][a-z]+ \d{1,2}, \d{4} at the latest\.", first)


def test_an_expired_confirmation_is_gone_and_deleted(app, client, monkeypatch):
    data = {**VALID, "csrf_token": token(client)}
    location = client.post("/help/submit", data=data).headers["Location"]
    later = timeutil.utcnow()
    from datetime import timedelta

    monkeypatch.setattr(timeutil, "utcnow", lambda: later + timedelta(minutes=31))
    gone = client.get(location)
    assert gone.status_code == 404 and "no longer available" in gone.text
    assert "status-code" not in gone.text
    with app.app_context():
        assert db.session.execute(db.select(Confirmation)).first() is None
    assert len(requests_in(app)) == 1  # the request itself is kept


def test_a_hearing_soon_says_to_call_now(app, client):
    app.config["HELPLINE_PHONE"] = "+1 212 555 0199"
    data = {
        **VALID,
        "csrf_token": token(client),
        "hearing": "yes",
        **dated("hearing", date(2026, 5, 8)),
    }
    page = client.post("/help/submit", data=data, follow_redirects=True).text
    assert "Your hearing is soon: May 8, 2026." in page
    assert "Call us now on +1 212 555 0199." in page
    assert 'class="print-page"' in page or "print-page" in page


def _inside(page: str, question: str) -> str:
    """The reveal wrapper that holds ``question`` (up to the wrapper's end)."""
    start = page.rindex('<div class="reveal', 0, page.index(f'name="{question}"'))
    return page[start:]


@pytest.mark.parametrize(
    ("number", "question", "follow_ups"),
    [
        (1, "hearing", ("hearing_kind",)),
        (1, "decided", ("board_decided", "board_decision_day")),
        (1, "departure", ("departure_day", "departure_days")),
        (2, "fear_result", ("fear_result_day",)),
        (2, "status_kind", ("status_start_day", "status_end_day")),
    ],
)
def test_the_new_questions_are_asked_early_with_their_follow_ups_hidden(
    client, number, question, follow_ups
):
    """What decides a deadline comes first: the kind of hearing, the Board's
    decision and voluntary departure on the first page, the fear-screening result
    and when status began on the second, each follow-up inside the wrapper that
    hides it until its question is answered."""
    page = step_pages(client)[number - 1]
    inside = _inside(page, question)
    for follow_up in follow_ups:
        position = inside.index(f'name="{follow_up}"')
        assert inside.index(f'name="{question}"') < position
        field_start = inside.rindex('<div class="field', 0, position)
        assert "follow-up" in inside[field_start : field_start + 60]


def test_moving_is_asked_on_the_first_page_for_everyone(client):
    first = step_pages(client)[0]
    assert 'name="moved"' in first and "within 5 days" in first


def test_the_new_answers_reach_check_your_answers(client):
    answers = {
        **VALID,
        "fear_interview": "no",
        "fear_result": "negative",
        **dated("fear_result", date(2026, 4, 28)),
        "departure": "yes",
        **dated("departure", date(2026, 4, 20)),
        "departure_days": "60",
        "moved": "yes",
    }
    check = walk_steps(client, answers).get_data(as_text=True)
    assert "Check your answers" in check
    words = html.unescape(check)
    assert "Negative: the officer found no fear of return" in words
    assert "April 28, 2026" in words and "April 20, 2026" in words
    assert "60 days or fewer" in words
    assert "moved since the address was last given to the immigration court" in words


def test_asked_for_someone_else_the_new_questions_speak_of_the_person(app, client):
    pages = step_pages(client, {**VALID, "asker": "family", "helper_name": "Rosa"})
    assert "If the person had that interview: what did the officer decide?" in html.unescape(
        pages[1]
    )
    # Questions of the first page take the person's wording once the asker is known
    # (shown again after Back or a problem).
    with app.test_request_context():
        form = form_with(app, asker="family", helper_name="Rosa")
        assert form.departure.label.text.startswith("Did a judge give the person permission")
        assert form.moved.label.text.startswith("Has the person moved since")


def test_a_form_about_another_person_leaves_the_next_form_as_it_was(app):
    """Forms share what their questions are made of (bound once per process): the
    words about another person, or a form's answers, never reach another form."""
    from werkzeug.datastructures import MultiDict

    from intake.public.screening.form import ABOUT_THE_PERSON, HelpForm

    with app.test_request_context():
        before = HelpForm()
        own = {name: str(before[name].label.text) for name in ABOUT_THE_PERSON}
        other = HelpForm(MultiDict({"asker": "family", "name": "Rosa"}))
        other.validate()
        assert str(other["detained"].label.text) == str(ABOUT_THE_PERSON["detained"])
        after = HelpForm()
        assert {name: str(after[name].label.text) for name in ABOUT_THE_PERSON} == own
        assert (after.name.data, after.name.errors) == (before.name.data, before.name.errors)
        assert after.detained.validators == before.detained.validators
        assert after.name is not other.name and after.name.label is before.name.label

"""The screening form in other languages: translated questions and errors,
locale-formatted answers, country names, digits typed on Arabic and Persian
keyboards, and the direction of what visitors type."""

import html
import re
from datetime import date

import pytest

from intake import settings, timeutil
from intake.cases import choice_lists
from intake.db import db
from intake.models import HelpRequest
from tests.support.form import (  # the same valid answers as the form's own tests
    VALID,
    form_values,
    step_pages,
)
from tests.support.tokens import form_token

OFFERED = [code for code in settings.LANGUAGES if code != "en"]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


def answers(client, prefix: str, **changes) -> dict:
    page = client.get(f"{prefix}/help").get_data(as_text=True)
    token = form_token(page)
    data = {**VALID, "csrf_token": token, **changes}
    return {k: v for k, v in data.items() if v is not None}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def tr(app, code: str, msgid: str) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(code):
        return gettext(msgid)


@pytest.mark.parametrize("code", OFFERED)
def test_each_language_asks_the_questions_in_its_own_words(app, client, code):
    prefix = "/" + code.replace("_", "-").lower()
    page = html.unescape("".join(step_pages(client, prefix=prefix)))
    for msgid in (
        "If you know: what protection are you seeking?",
        "Withholding of removal",
        "Protection under the Convention Against Torture (CAT)",
        "Have you already filed an asylum application (Form I-589)?",
        "I have read the privacy notice above",
    ):
        assert tr(app, code, msgid) in page, msgid
        assert msgid not in page, msgid
    assert "Form I-589" in page  # the official form's name stays as it is
    assert f'action="{prefix}/help"' in page


@pytest.mark.parametrize("code", ["es", "ar"])
def test_a_failed_submit_explains_in_the_visitors_language(app, client, code):
    # Each problem shows on the page that asks it.
    for wrong, msgid in (
        ({"name": None}, "Enter a name we can use for you."),
        ({"household_size": "x"}, "Enter a number from 1 to 30."),
    ):
        data = answers(client, f"/{code}", **wrong)
        page = text_of(client.post(f"/{code}/help/check", data=data))
        for text in ("There is a problem", msgid):
            assert tr(app, code, text) in page
            assert text not in page
        assert f'action="/{code}/help"' in page


def test_check_answers_formats_money_for_the_locale_and_isolates_typed_text(client):
    spanish = text_of(client.post("/es/help/check", data=answers(client, "/es")))
    assert "1.200,00\xa0US$" in spanish
    assert "<bdi>Amal</bdi>" in spanish and "<bdi>Amal@Example.org</bdi>" in spanish
    assert "junio de 2025" in spanish  # the arrival month, formatted in Spanish
    assert "Siria" in spanish  # the country, named in Spanish
    english = text_of(client.post("/help/check", data=answers(client, "")))
    assert "$1,200.00" in english and "June 2025" in english and "Syria" in english
    arabic = text_of(client.post("/ar/help/check", data=answers(client, "/ar", name="مريم")))
    assert "<bdi>مريم</bdi>" in arabic and "سوريا" in arabic


def test_country_names_come_in_the_visitors_language_and_order(app):
    from flask import g

    with app.test_request_context():
        g.lang = "es"
        spanish = choice_lists.nationality_choices()
        g.lang = "en"
        english = choice_lists.nationality_choices()
    assert dict(spanish)["DE"] == "Alemania" and dict(english)["DE"] == "Germany"
    assert [c for c, _ in spanish[:3]] == ["AF", "AL", "DE"]  # Afganistán, Albania, Alemania
    assert spanish[-2:] == english[-2:]  # stateless and other stay last
    assert {c for c, _ in spanish} == {c for c, _ in english}


def test_digits_from_arabic_and_persian_keyboards_are_understood(app, client):
    data = answers(
        client,
        "/ar",
        household_size="٣",
        monthly_income="١٬٢٠٠٫٥٠",
        arrival_month="۶",
        arrival_year="۲۰۲۵",
        phone="+١ ٢١٢ ٥٥٥ ٠١٠٠",
    )
    check = client.post("/ar/help/check", data=data)
    page = text_of(check)
    assert tr(app, "ar", "There is a problem") not in page
    assert tr(app, "ar", "Check your answers") in page
    done = client.post("/ar/help/submit", data=data, follow_redirects=True)
    assert done.status_code == 200
    with app.app_context():
        row = db.session.execute(db.select(HelpRequest)).scalar_one()
        assert (row.household_size, row.phone) == (3, "+12125550100")
        assert row.interface_language == "ar"


def test_visitors_typing_keeps_its_own_direction(client):
    page = "".join(step_pages(client, prefix="/ar"))
    assert re.search(r'<input[^>]*dir="auto"[^>]*id="name"', page)
    assert re.search(r'<textarea[^>]*dir="auto"[^>]*id="summary"', page)
    assert re.search(r'<input[^>]*dir="ltr"[^>]*id="phone"', page)
    assert re.search(r'<input[^>]*dir="ltr"[^>]*id="email"', page)
    assert re.search(r'<input[^>]*dir="ltr"[^>]*id="arrival_year"', page)


def switch_buttons(page: str) -> dict[str, tuple[str, str | None]]:
    """The switcher's buttons on a form page: language -> (formaction, step)."""
    nav = re.search(r'<nav class="languages".*?</nav>', page, re.S)[0]
    assert "<a " not in nav, "a plain link would lose the answers"
    buttons = {}
    for attrs in re.findall(r"<button([^>]*)>", nav):
        assert 'form="help-form"' in attrs and "formnovalidate" in attrs
        step = re.search(r'name="to" value="(\d)"', attrs)
        buttons[re.search(r'lang="([^"]+)"', attrs)[1]] = (
            html.unescape(re.search(r'formaction="([^"]+)"', attrs)[1]),
            step and step[1],
        )
    return buttons


def test_switching_language_on_a_step_keeps_every_answer(client):
    """A language button posts the page's form (every answer, the token) to the
    same step in that language: nothing typed is lost, nothing goes in a URL."""
    data = answers(client, "/ar", name=None)
    page = client.post("/ar/help/check", data=data).get_data(as_text=True)
    assert 'name="step" value="3"' in page  # the page that asks the name
    buttons = switch_buttons(page)
    assert buttons["es"] == ("/es/help", "3") and buttons["en"][0].startswith("/help")
    before = form_values(page)
    posted = before.copy()
    posted["to"] = "3"
    spanish = client.post("/es/help", data=posted).get_data(as_text=True)
    assert '<html lang="es"' in spanish and 'name="step" value="3"' in spanish
    assert sorted(form_values(spanish).items(multi=True)) == sorted(before.items(multi=True))
    assert "Hay un problema" not in spanish  # a switch is not an answer: no errors


def test_switching_language_on_check_your_answers_keeps_every_answer(client):
    page = client.post("/ar/help/check", data=answers(client, "/ar")).get_data(as_text=True)
    buttons = switch_buttons(page)
    assert buttons["es"] == ("/es/help/check", None)
    spanish = client.post("/es/help/check", data=form_values(page)).get_data(as_text=True)
    assert "Revise sus respuestas" in spanish and '<html lang="es"' in spanish
    kept = form_values(spanish).items(multi=True)
    assert sorted(kept) == sorted(form_values(page).items(multi=True))

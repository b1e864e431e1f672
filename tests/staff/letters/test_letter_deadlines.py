"""A letter names every deadline the rules computed from the case, in the
applicant's language, and writes a passed one as passed (with what may still be
possible), never as a date to act before."""

from datetime import date

import pytest
from flask_babel import force_locale

from intake import settings, timeutil
from intake.cases import stored_facts
from intake.letters import drafts as letters

TODAY = date(2026, 12, 1)
TRANSLATED = [code for code in settings.LANGUAGES if code != "en"]
FACTS = {
    "in_us": True,
    "harms": ["afraid_to_return"],
    "i589_filed": "no",
    "last_arrival": "2025-11-02",  # one year: Monday November 2, 2026, passed
    "judge_decided": "yes",
    "decision_date": "2026-11-20",  # appeal: Sunday December 20 -> Monday December 21
    "in_absentia": "no",
    "appeal_filed": "no",
}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def letter(app, make_request, language: str, kind=letters.NON_ENGAGEMENT):
    case = make_request(interface_language=language, facts=stored_facts.dumps(FACTS))
    with app.test_request_context():
        return letters.draft(case, kind, TODAY).body


def test_a_passed_one_year_deadline_is_written_as_passed_in_english(app, make_request):
    body = letter(app, make_request, "en")
    assert (
        "Apply for asylum (Form I-589): one year after your last arrival: the last day was "
        "November 2, 2026. That day has passed. Something may still be possible" in body
    )
    assert "before then" not in body
    assert "Appeal to the Board of Immigration Appeals: by December 21, 2026." in body
    assert "Ask the immigration court to reopen your case: by February 18, 2027." in body
    assert "based only on what you told us" in body and "We have not reviewed your case" in body
    assert "You may also file forms yourself" in body


def test_the_spanish_letter_names_each_deadline_and_the_passed_one_as_passed(app, make_request):
    body = letter(app, make_request, "es")
    assert "el último día fue el 2 de noviembre de 2026. Ese día ya pasó." in body
    assert "Apelar ante la Junta de Apelaciones de Inmigración" in body
    assert "a más tardar el 21 de diciembre de 2026" in body
    assert "Pedir a la corte de inmigración que reabra su caso" in body
    assert "No hemos revisado su caso" in body


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("kind", list(letters.KINDS))
def test_every_letter_names_every_computed_deadline_in_the_applicants_language(
    app, make_request, language, kind
):
    body = letter(app, make_request, language, kind)
    codes = ("one_year", "bia_appeal", "motion_to_reopen")
    with app.test_request_context():
        with force_locale("en"):
            english = [str(letters.DEADLINE_WORDS[code]) for code in codes]
        with force_locale(language):
            words = [str(letters.DEADLINE_WORDS[code]) for code in codes]
    for translated, original in zip(words, english, strict=True):
        assert translated in body and translated != original

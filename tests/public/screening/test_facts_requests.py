"""The facts the law turns on, through HTTP: the form's new questions and their errors, what the
applicant is told, and the facts stored on submit."""

import json
import re
from datetime import date, timedelta

import pytest

from intake import timeutil
from intake.cases import stored_facts as facts
from intake.db import db
from intake.models import HelpRequest
from tests.support.form import VALID, dated, step_pages, submit_answers

TODAY = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def only_request(app) -> HelpRequest:
    with app.app_context():
        row = db.session.execute(db.select(HelpRequest)).scalar_one()
        stored = facts.loads(row.facts)
        db.session.expunge(row)
    row.stored_facts = stored
    return row


def asked_on(pages: list[str], name: str) -> tuple[int, int]:
    """(page number, position on it) of the question ``name``: where it is shown,
    not where it is carried in a hidden input."""
    for number, page in enumerate(pages, start=1):
        shown = re.search(
            rf'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*name="{name}"', page
        )
        if shown:
            return number, shown.start()
    raise AssertionError(f"{name} is asked on no page")


def test_the_form_asks_what_decides_urgency_first(client):
    pages = step_pages(client)
    order = [
        asked_on(pages, name)
        for name in (
            "asker",
            "detained",
            "hearing",
            "decided",
            "fear_interview",
            "birth_year",
            "name",
            "phone",
            "represented",
            "can_pay",
        )
    ]
    assert order == sorted(order)
    # Who it is for, detention, the hearing and a judge's order: all on the first page.
    assert {number for number, _ in order[:4]} == {1}
    assert 'name="minor"' not in "".join(pages)


def test_months_are_chosen_by_name_in_the_visitors_language(client):
    english = client.get("/help").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="hearing_month"', english)
    assert '<option value="3">March</option>' in english
    arabic = client.get("/ar/help").get_data(as_text=True)
    assert '<option value="3">مارس</option>' in arabic


def test_the_form_and_confirmation_say_what_asking_does_not_do(client):
    pages = step_pages(client)
    first_question = pages[0].index('name="asker"')
    for words in (
        "Only our legal staff and volunteers see your answers",
        "only if you agree",
        "court order",
        "does not make us your lawyer",
        "keep running",
        "notarios",
    ):
        # Who sees the answers and when the law can compel them: before any question.
        assert words in pages[0][:first_question]
    assert asked_on(pages, "share_consent")[0] == len(pages)
    _check, done = submit_answers(client)
    for words in ("does not make us your lawyer", "keep running", "notarios"):
        assert words in done.text


@pytest.mark.parametrize(
    ("harm", "hotline", "absent"),
    [
        ("hurt_by_citizen_or_resident_family", "1-800-799-7233", "1-888-373-7888"),
        ("forced_labour_or_sex", "1-888-373-7888", "1-800-799-7233"),
        ("afraid_to_return", None, "1-800-799-7233"),
    ],
)
def test_hotlines_follow_the_facts_given(client, harm, hotline, absent):
    _check, done = submit_answers(client, harms=[harm])
    assert done.status_code == 200
    if hotline:
        assert hotline in done.text
    assert absent not in done.text


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"asker": "family"}, "helper_name", "Enter your name"),
        ({"decided": ""}, "decided", "decided your case"),
        ({"birth_month": "", "birth_year": ""}, "birth_month", "month and year of birth"),
        ({"decision_month": "13", "decision_year": "2026"}, "decision_month", "Choose the month"),
        ({"a_number": "A12"}, "a_number", "8 or 9 digits"),
        ({"share_consent": ""}, "share_consent", "another legal organisation"),
    ],
)
def test_errors_link_to_their_question_and_keep_every_answer(
    client, app, fields, field_id, message
):
    check, _done = submit_answers(client, **fields)
    page = check.get_data(as_text=True)
    assert check.status_code == 200 and "There is a problem" in page
    start = page.index('id="error-summary"')
    summary = page[start : page.index("</ul>", start)]
    assert f'href="#{field_id}"' in summary and message in summary
    assert 'value="Amal"' in page  # nothing typed is lost
    with app.app_context():
        assert db.session.execute(db.select(HelpRequest)).first() is None


def test_a_family_member_asks_for_a_detained_relative_with_an_order(client, app):
    order = TODAY - timedelta(days=20)
    _check, done = submit_answers(
        client,
        asker="family",
        helper_name="Rosa",
        helper_relationship="sister",
        detained="yes",
        decided="yes",
        **dated("decision", order),
        in_absentia="no",
        appealed="no",
        share_consent="yes",
    )
    assert done.status_code == 200
    row = only_request(app)
    assert (row.asker, row.urgency, row.share_consent) == ("family", "critical", True)
    assert row.stored_facts["decision_date"] == order.isoformat()
    assert row.stored_facts["helper_name"] == "Rosa"


def test_someone_abroad_is_not_asked_for_an_arrival_date(client, app):
    _check, done = submit_answers(client, in_us="no", arrival_month="", arrival_year="", state="")
    assert done.status_code == 200
    assert only_request(app).stored_facts["in_us"] is False


def test_valid_answers_match_the_shared_helper():
    assert {"asker", "in_us", "decided", "birth_month", "share_consent"} <= VALID.keys()


# --- the screen reads the facts, not the legal checklist ---------------------------


@pytest.mark.parametrize(
    ("harm", "shown"),
    [
        ("afraid_to_return", "the facts show afraid to return (possibly asylum, withholding"),
        ("crime_victim_in_us", "the facts show victim of a crime in the US (possibly U visa"),
        (
            "abused_by_parent_under_21",
            "the facts show under 21, abused, abandoned or neglected by a parent "
            "(possibly Special Immigrant Juvenile Status",
        ),
    ],
)
def test_a_fact_with_the_checklist_left_empty_is_eligible(client, app, harm, shown):
    _check, done = submit_answers(client, claim_types=[], harms=[harm])
    assert done.status_code == 200
    row = only_request(app)
    assert (row.screen, row.stored_facts["claim_types"]) == ("eligible", [])
    reasons = json.loads(row.reasons)
    assert shown in reasons[0]
    assert not any("No fear or harm" in r for r in reasons)


def test_no_fact_and_no_checklist_goes_to_a_person(client, app):
    _check, done = submit_answers(client, claim_types=[], harms=[])
    assert done.status_code == 200
    row = only_request(app)
    assert row.screen == "needs_review"
    assert json.loads(row.reasons)[0] == (
        "No fear or harm described and no protection chosen: check what they are seeking."
    )


def test_the_checklist_alone_still_screens_eligible(client, app):
    _check, done = submit_answers(client, claim_types=["tps"], harms=[])
    assert done.status_code == 200
    row = only_request(app)
    assert row.screen == "eligible"
    assert json.loads(row.reasons)[0].endswith("and seeks Temporary Protected Status.")


def test_a_person_with_a_lawyer_is_screened_out_whatever_the_facts(client, app):
    _check, done = submit_answers(
        client, represented="yes", claim_types=[], harms=["afraid_to_return"]
    )
    assert done.status_code == 200
    assert only_request(app).screen == "screened_out_represented"


@pytest.mark.parametrize(
    ("birth", "band"),
    [
        (date(2008, 5, 2), "14_17"),  # 18 tomorrow: still a child on the day sent
        (date(2008, 5, 1), "18_20"),  # 18 today
        (date(2005, 5, 1), "21_64"),
    ],
)
def test_the_age_band_at_submission_is_stored_plain(client, app, birth, band):
    _check, done = submit_answers(client, **dated("birth", birth))
    assert done.status_code == 200
    row = only_request(app)
    assert row.age_band == band
    assert row.stored_facts["date_of_birth"] == birth.isoformat()  # the date stays encrypted

"""The public screening form as a visitor fills it: valid answers, marked
answers to look for in stored bytes and logs, the journey GET /help → check →
submit, and what the pages and the database show afterwards."""

import html
import re
from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

from intake.db import db
from intake.models import HelpRequest

from .tokens import form_token

# Valid answers to every question (the form's own tests, the fault tests and
# the benchmark's checks all start from these).
VALID = {
    "represented": "no",
    "can_pay": "no",
    "household_size": "3",
    "monthly_income": "1,200",
    "claim_types": ["asylum", "cat"],
    "detained": "no",
    "hearing": "no",
    "arrival_month": "6",
    "arrival_year": "2025",
    "i589_filed": "no",
    "asker": "self",
    "in_us": "yes",
    "decided": "no",
    "birth_month": "4",
    "birth_year": "1990",
    "share_consent": "no",
    "name": "Amal",
    "nationality": "SY",
    "preferred_language": "ar",
    "state": "NY",
    "phone": "+1 (212) 555-0100",
    "email": "Amal@Example.org",
    "safe_to_message": "yes",
    "summary": "I need help with my asylum case.",
    "consent": "y",
}


def dated(name: str, day) -> dict:
    """The three answers of one date question (``hearing``, ``decision``...)."""
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def marked_answers() -> dict:
    """Valid screening answers whose every personal field holds a value unique to
    this call, to look for in stored bytes and logs: free text is a marker string,
    the phone a random digit string, the email marker@example.org, the income a
    random amount. Nationality is a choice: a country code cannot be a marker."""
    import secrets

    marker = "Mk" + secrets.token_hex(5)
    digits = f"{secrets.randbelow(9 * 10**9) + 10**9}"
    cents = secrets.randbelow(9 * 10**7) + 10**7  # 100,000.00 to 999,999.99
    return {
        "represented": "no",
        "can_pay": "no",
        "household_size": "3",
        "monthly_income": f"{cents // 100:,}.{cents % 100:02d}",
        "claim_types": ["asylum"],
        "detained": "yes",
        "detention_facility": f"{marker} Facility",
        "hearing": "no",
        "arrival_month": "6",
        "arrival_year": "2025",
        "i589_filed": "no",
        "asker": "family",
        "helper_name": f"{marker} Helper",
        "helper_contact": f"{marker}-helper@example.org",
        "a_number": digits[:9],
        "in_us": "yes",
        "decided": "no",
        "birth_month": "4",
        "birth_year": "1990",
        "share_consent": "no",
        "name": f"{marker} Name",
        "nationality": "ER",
        "preferred_language": "ti",
        "state": "NY",
        # A number that exists (area code 212, an exchange from 200), random otherwise.
        "phone": f"+1 (212) 2{digits[1:3]}-{digits[3:7]}",
        "email": f"{marker}@example.org",
        "safe_to_message": "no",
        "summary": f"{marker} Summary of what happened",
        "consent": "y",
    }


def personal_values(answers: dict) -> list[str]:
    """Every form of a marked answer that must never be seen outside its
    encrypted column: as typed, as normalised for the lookup hashes, as stored,
    and the income as a year (what the income rule works with)."""
    from intake.cases.contact import normalise_email, normalise_phone
    from intake.input_hygiene import parse_income
    from intake.law.income import annual_income

    typed = [
        answers[f]
        for f in (
            "name",
            "detention_facility",
            "summary",
            "phone",
            "email",
            "helper_name",
            "helper_contact",
            "a_number",
        )
    ]
    income = answers["monthly_income"]
    annual = annual_income(parse_income(income))
    return [
        *typed,
        normalise_phone(answers["phone"]),
        normalise_email(answers["email"]),
        income,
        str(parse_income(income)),
        f"{annual:,.2f}",
        f"{annual:.2f}",
    ]


class _FormValues(HTMLParser):
    """What a browser would post from the page's form ``help-form``: hidden and
    typed inputs, checked boxes, selected options, text areas."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._in_form = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form = a.get("id") == "help-form"
        if not self._in_form or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("radio", "checkbox") and "checked" not in a:
                return
            if a["name"] != "website":
                self.values.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value") or ""))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.values.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


def form_values(page: str) -> MultiDict:
    """Every answer the page's form would post (shown or carried hidden)."""
    parser = _FormValues()
    parser.feed(page)
    return MultiDict(parser.values)


def step_answers(answers: dict, number: int) -> dict:
    """The answers asked on question page ``number`` (from 1)."""
    from intake.public.screening.form import STEPS

    return {k: v for k, v in answers.items() if k in STEPS[number - 1].fields}


def walk_steps(client, answers: dict, *, prefix: str = "", token: str | None = None):
    """Answer every question page as a visitor does, one POST per page: each
    posts the page's answers with every answer carried so far (the hidden inputs
    of the page before). Returns the last response: "Check your answers" when
    every answer is valid, else the first page with a problem."""
    from intake.public.screening.form import STEPS

    if token is None:
        token = form_token(client.get(f"{prefix}/help").get_data(as_text=True))
    carried = {"csrf_token": token}
    page = None
    for number in range(1, len(STEPS) + 1):
        carried.update(step_answers(answers, number))
        page = client.post(f"{prefix}/help", data={**carried, "step": str(number)})
        if f'name="step" value="{number + 1}"' not in page.text:
            break
    return page


def step_pages(client, answers: dict = VALID, *, prefix: str = "") -> list[str]:
    """Every question page as it looks to someone answering ``answers`` (the
    first empty, each next one reached by answering the one before)."""
    from intake.public.screening.form import STEPS

    first = client.get(f"{prefix}/help").get_data(as_text=True)
    carried = {"csrf_token": form_token(first)}
    pages = [first]
    for number in range(1, len(STEPS)):
        carried.update(step_answers(answers, number))
        page = client.post(f"{prefix}/help", data={**carried, "step": str(number)}).text
        assert f'name="step" value="{number + 1}"' in page, f"step {number} refused"
        pages.append(page)
    return pages


def submit_help(client, answers: dict):
    """Fill in the public form as a visitor does: GET /help, every question page,
    then submit from "Check your answers", each step posting every answer with
    the page's token. Returns (check, submit)."""
    page = client.get("/help").get_data(as_text=True)
    data = {**answers, "csrf_token": form_token(page)}
    check = walk_steps(client, answers, token=data["csrf_token"])
    assert check.status_code == 200 and "Check your answers" in check.text, "answers refused"
    return check, client.post("/help/submit", data=data, follow_redirects=True)


def submit_answers(client, **fields):
    """GET /help → POST check → POST submit, as a browser would, with the valid
    answers changed by ``fields`` (whether or not the form accepts them); returns
    the check page and the confirmation."""
    data = {**VALID, "csrf_token": form_token(client.get("/help").get_data(as_text=True))}
    data.update(fields)
    check = client.post("/help/check", data=data)
    done = client.post("/help/submit", data=data, follow_redirects=True)
    done.close()  # as the WSGI server does once the page is sent: queued mail goes then
    return check, done


def reference_in(page: str) -> str:
    """The reference on a confirmation page, as shown (with its dashes)."""
    match = re.search(r'class="reference">([0-9A-Z-]+)<', page)
    assert match, "no reference on the page"
    return match.group(1)


def visible_words(response) -> str:
    """The page's words as a reader sees them: tags dropped, entities decoded,
    white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def requests_in(app) -> list[HelpRequest]:
    """Every stored help request, detached."""
    with app.app_context():
        rows = db.session.execute(db.select(HelpRequest)).scalars().all()
        db.session.expunge_all()
        return rows


def only_request(app) -> HelpRequest:
    """The one stored help request, detached (fails if there is not exactly one)."""
    with app.app_context():
        (row,) = db.session.execute(db.select(HelpRequest)).scalars().all()
        db.session.expunge(row)
        return row


def form_with(app, **changes):
    """A validated ``HelpForm`` of the valid answers changed by ``changes`` (None
    leaves an answer out), as the form would see them in English."""
    from werkzeug.datastructures import MultiDict

    from intake.public.screening.form import HelpForm

    answers = {k: v for k, v in {**VALID, **changes}.items() if v is not None}
    data = MultiDict(
        [(k, x) for k, v in answers.items() for x in (v if isinstance(v, list) else [v])]
    )
    with app.test_request_context("/help"):
        form = HelpForm(data)
        form.validate()
    return form


def store_answers(app, **changes) -> HelpRequest:
    """Store the valid answers changed by ``changes`` as the form's submit does
    (needs an app context); returns the stored row, read back."""
    import secrets

    from intake.cases.help_requests import create_request

    form = form_with(app, **changes)
    assert not form.errors, form.errors
    with app.test_request_context("/help"):
        row = create_request(
            form, submission_key=secrets.token_hex(8), source="help", language="en", app=app
        )
        return db.session.get(HelpRequest, row.id)


def status_code_in(page: str) -> str:
    """The status code on a confirmation page (shown after the reference)."""
    match = re.search(r'class="status-code">([0-9A-Z-]+)<', page)
    assert match, "no status code on the page"
    return match.group(1)

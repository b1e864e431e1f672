"""The screening form's questions, hints and validation (WTForms).

A plain ``wtforms.Form`` rather than Flask-WTF's: the public form sets no cookie,
so its cross-site protection is the signed token in ``intake.form_tokens``, not
the session-based CSRF field. Every answer is re-validated on every step, so the
hidden copies on the check-answers page are never trusted.
"""

import copy
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from babel.dates import get_month_names
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    Form,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import Label
from wtforms.validators import AnyOf, InputRequired, Length, Optional, StopValidation

from intake import locales, timeutil
from intake.cases import choice_lists
from intake.cases import contact as phone_email
from intake.input_hygiene import clean_name, normalise_text, parse_income
from intake.law.dates import PartialDate
from intake.law.vocabulary import CLAIM_WORDING

YES_NO = (("yes", _l("Yes")), ("no", _l("No")))
YES_NO_NOT_SURE = (*YES_NO, ("not_sure", _l("Not sure")))
# The rules' claim types in the visitor's words, translated when the form renders.
CLAIM_CHOICES = tuple((code, _l(words)) for code, words in CLAIM_WORDING)

# Who is asking: the person themself, or someone helping them (whose name and
# contact staff then need, to reach the person through them).
ASKERS = (
    ("self", _l("Me")),
    ("family", _l("A family member or friend")),
    ("detained_person", _l("Someone in detention")),
    ("organisation", _l("Someone my organisation is referring")),
)
# Appointments that decide how soon someone needs help (besides court hearings).
APPOINTMENTS = (
    ("asylum_office", _l("An interview at an asylum office")),
    ("ice_check_in", _l("A check-in with ICE")),
    ("no", _l("No")),
    ("not_sure", _l("Not sure")),
)
# Which hearing: filings are due 30 days before a final (individual) hearing, 15
# before a first (master) one when a ruling is sought (EOIR Policy Manual, Appx C).
HEARING_KINDS = (
    (
        "first",
        _l("The first hearing (a \u201cmaster calendar\u201d hearing), often with many people"),
    ),
    (
        "final",
        _l("The final hearing (an \u201cindividual\u201d hearing), where the judge hears the case"),
    ),
    ("not_sure", _l("Not sure")),
)
# What the officer decided after a credible- or reasonable-fear interview: a
# negative finding must be put before a judge at once (INA 235(b)(1)(B)(iii)(III)).
FEAR_RESULTS = (
    ("positive", _l("Positive: the officer found a fear of return")),
    ("negative", _l("Negative: the officer found no fear of return")),
    ("waiting", _l("The interview took place; waiting for the result")),
    ("not_sure", _l("Not sure")),
)
# The period of voluntary departure: at most 60 days at the end of the case,
# 120 before it (INA 240B).
DEPARTURE_DAYS = (
    ("60", _l("60 days or fewer")),
    ("120", _l("More than 60 days, up to 120")),
    ("not_sure", _l("Not sure")),
)
# Status in the US now or before; "none" is the plain answer for most people.
STATUS_KINDS = (
    ("none", _l("None")),
    ("tps", _l("Temporary Protected Status (TPS)")),
    ("parole", _l("Parole")),
    ("visa", _l("A visa (for example a tourist, student or work visa)")),
    ("daca", _l("DACA")),
    ("other", _l("Something else, or I am not sure")),
)
# Fear and harm as facts a person knows, not legal categories (intake.law.relief
# turns them into the forms of relief staff should consider).
HARMS = (
    ("afraid_to_return", _l("I am afraid to go back to my country")),
    ("harmed_or_threatened", _l("I was harmed or threatened in my country")),
    ("crime_victim_in_us", _l("I was the victim of a crime in the United States")),
    (
        "forced_labour_or_sex",
        _l("Someone forced, tricked or pressured me into work or sex work"),
    ),
    (
        "hurt_by_citizen_or_resident_family",
        _l("My husband, wife or parent who is a US citizen or permanent resident hurt me"),
    ),
    (
        "abused_by_parent_under_21",
        _l("I am under 21 and a parent abused, abandoned or neglected me"),
    ),
)
# The same facts, as they read when someone asks for another person.
HARMS_ABOUT_THE_PERSON = (
    ("afraid_to_return", _l("The person is afraid to go back to their country")),
    ("harmed_or_threatened", _l("The person was harmed or threatened in their country")),
    ("crime_victim_in_us", _l("The person was the victim of a crime in the United States")),
    (
        "forced_labour_or_sex",
        _l("Someone forced, tricked or pressured the person into work or sex work"),
    ),
    (
        "hurt_by_citizen_or_resident_family",
        _l(
            "The person's husband, wife or parent who is a US citizen or permanent "
            "resident hurt them"
        ),
    ),
    (
        "abused_by_parent_under_21",
        _l("The person is under 21 and a parent abused, abandoned or neglected them"),
    ),
)

# How the person may be reached (asked beside "is it safe to leave a message"):
# staff and the messages sent read these codes (intake.cases.stored_facts). "Through
# the helper" is offered only to someone asking for another person.
REACH_BY = (
    ("text", _l("Text message (SMS)")),
    ("whatsapp", _l("WhatsApp")),
    ("call", _l("Phone call")),
    ("email", _l("Email")),
    ("helper", _l("Through me, the person asking for them")),
)
REACH_BY_PHONE = frozenset({"text", "whatsapp", "call"})

EARLIEST_ARRIVAL_YEAR = 1950
EARLIEST_BIRTH_YEAR = 1900
A_NUMBER = re.compile(r"A?[0-9]{8,9}")
MAX_HOUSEHOLD = 30
# Control characters (NUL, escape, ...) have no place in an answer; a line break
# is allowed in the summary only. Format characters (RTL marks, emoji joiners)
# are kept: names and scripts need them.
_NEWLINES = frozenset("\n\r\t")


# Arabic and Persian keyboards type their own digits (٣, ۳) and separators (٫ ٬).
_LOCAL_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u060c": ","})


def ascii_digits(value):
    """Any script's decimal digits as 0-9, for answers that are numbers (household,
    income, dates, phone), so that "٣" from an Arabic keyboard counts as "3"."""
    if value is None:
        return None
    value = value.translate(_LOCAL_SEPARATORS)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in value)


def _no_control_characters(multiline: bool):
    def check(form, field):
        allowed = _NEWLINES if multiline else frozenset()
        if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in field.data or ""):
            raise StopValidation(_l("Remove the unusual characters from this answer."))

    return check


def _text(
    label,
    max_length,
    *,
    required=None,
    multiline=False,
    description="",
    filters=(normalise_text,),
    **kw,
):
    field_class = TextAreaField if multiline else StringField
    first = InputRequired(message=required) if required else Optional()
    # Nothing typed may be offered again to whoever uses the device next.
    kw["render_kw"] = {**kw.get("render_kw", {}), "autocomplete": "off"}
    return field_class(
        label,
        description=description,
        filters=list(filters),
        validators=[
            first,
            _no_control_characters(multiline),
            Length(
                max=max_length,
                message=_l("Use %(max)d characters or fewer.", max=max_length),
            ),
        ],
        **kw,
    )


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _reworded(validator, message):
    """A copy of a "required" or "from the list" check with another message (the
    same question about another person); other checks are kept as they are."""
    if not isinstance(validator, InputRequired | AnyOf):
        return validator
    reworded = copy.copy(validator)
    reworded.message = message
    return reworded


def _radio(label, answers, required, description=""):
    return RadioField(
        label,
        description=description,
        choices=_choices(answers),
        validate_choice=False,
        validators=[InputRequired(message=required), AnyOf([c for c, _ in answers], required)],
    )


def _select(label, options, required, description=""):
    return SelectField(
        label,
        description=description,
        choices=_choices([("", _l("Choose one")), *options]),
        validate_choice=False,
        validators=[InputRequired(message=required), AnyOf([c for c, _ in options], required)],
    )


def _date_part(label, max_length):
    too_long = _l("Use %(max)d digits or fewer.", max=max_length)
    return StringField(
        label,
        filters=[normalise_text, ascii_digits],
        validators=[Length(max=max_length, message=too_long)],
    )


def _month_part():
    """The month as a named choice ("March", "marzo"): nobody can swap day and
    month, whatever order their papers or their country print dates in. The
    values stay numbers, so a posted "3" means March in every language."""
    return SelectField(_l("Month"), choices=[], validate_choice=False)


def _nationality_choices() -> list[SelectChoice]:
    return _choices([("", _l("Choose one")), *choice_lists.nationality_choices()])


# Choice lists that depend only on the language, built once per language and
# process (every form, and every posted step, would build them again): shared
# by every form, so never changed in place, only replaced.
_LANGUAGE_CHOICES: dict[tuple[str, str, str], list[SelectChoice]] = {}


def _per_language(name: str, build) -> list[SelectChoice]:
    key = (name, locales.current().code, locales.formatting_locale())
    found = _LANGUAGE_CHOICES.get(key)
    if found is None:
        found = _LANGUAGE_CHOICES[key] = build()
    return found


# One bound field per declared question, made once per process; each form gets
# a shallow copy of it (binding builds every field, its flags, label and
# choices again: most of what making a form costs). What a copy shares with
# the others (label, flags, choices, validators, render_kw) is only ever
# replaced on a form, never changed in place; what a form fills in (data,
# raw_data, errors) is its own.
_BOUND: dict[tuple, Field] = {}


def _bound_copy(meta, form, unbound_field, options: dict) -> Field:
    key = (unbound_field, options["name"], options["prefix"], options["translations"])
    bound = _BOUND.get(key)
    if bound is None:
        bound = _BOUND[key] = unbound_field.bind(form=None, _meta=meta, **options)
    field = object.__new__(type(bound))
    field.__dict__.update(bound.__dict__)
    field.meta, field._form = meta, form
    return field


def month_choices() -> list[SelectChoice]:
    """Month names in the visitor's language (CLDR, through Babel; Kreyòl uses
    the French of Haiti, as every date on its pages does)."""
    names = get_month_names("wide", "stand-alone", locale=locales.formatting_locale())
    return _choices([("", _l("Month")), *((str(n), names[n]) for n in range(1, 13))])


@dataclass(frozen=True)
class DateFields:
    """The three inputs of one date question (a fieldset with a legend).

    ``when`` says which dates are possible: "past" (arrival, birth, a judge's
    decision) or "any" (hearings, interviews, the end of a status). A day may be
    left out where the rules read a month as its first day, the earliest possible
    reading, which can only make a deadline come sooner, never later.
    """

    name: str
    legend: str
    hint: str
    day_optional: bool
    when: str = "any"
    legend_about_the_person: str | None = None


_DAY_HINT = _l("If you do not know the day, leave it empty.")
DATES = (
    DateFields(
        "hearing",
        _l("If yes, when is the hearing?"),
        _l("Look for the date on the hearing notice. Leave empty if you do not know."),
        day_optional=False,
    ),
    DateFields(
        "decision",
        _l("If yes, on what date did the judge decide or order removal?"),
        _l("It is on the judge's order. If you do not know the day, leave it empty."),
        day_optional=True,
        when="past",
    ),
    DateFields(
        "fear_interview",
        _l("If yes, when is the interview?"),
        _DAY_HINT,
        day_optional=True,
    ),
    DateFields(
        "fear_result",
        _l("When were you told the result?"),
        _DAY_HINT,
        day_optional=True,
        when="past",
    ),
    DateFields(
        "departure",
        _l("If yes, on what date did the judge give it?"),
        _DAY_HINT,
        day_optional=True,
        when="past",
    ),
    DateFields(
        "board_decision",
        _l("If yes, on what date did the Board decide?"),
        _DAY_HINT,
        day_optional=True,
        when="past",
    ),
    DateFields(
        "appointment",
        _l("If yes, when is it?"),
        _DAY_HINT,
        day_optional=True,
    ),
    DateFields(
        "arrival",
        _l("When did you last arrive in the United States?"),
        _l("If you do not remember the day, choose the month and enter the year only."),
        day_optional=True,
        when="past",
        legend_about_the_person=_l("When did the person last arrive in the United States?"),
    ),
    DateFields(
        "status_start",
        _l("When did that status begin?"),
        _l("Optional. If you do not know the day, leave it empty."),
        day_optional=True,
        when="past",
    ),
    DateFields(
        "status_end",
        _l("When does or did that status end?"),
        _l("Optional. If you do not know the day, leave it empty."),
        day_optional=True,
    ),
    DateFields(
        "birth",
        _l("Date of birth of the person who needs help"),
        _l("If you do not know the day, choose the month and enter the year."),
        day_optional=True,
        when="past",
    ),
)
DATES_BY_NAME = {d.name: d for d in DATES}


def _optional_radio(label, answers, description=""):
    """A question a person may leave unanswered (they may not know)."""
    return RadioField(
        label,
        description=description,
        choices=_choices(answers),
        validate_choice=False,
        validators=[Optional(), AnyOf([c for c, _ in answers], _l("Choose from the list."))],
    )


# The questions that say "you", as they read when someone asks for another
# person (a sister for her detained brother): the form then speaks of "the person".
ABOUT_THE_PERSON = {
    "detained": _l("Is the person in immigration detention now?"),
    "hearing": _l("Does the person have an immigration court hearing scheduled?"),
    "decided": _l(
        "Has an immigration judge decided the person's case or ordered them removed (deported)?"
    ),
    "in_absentia": _l("Was the order made because the person missed a hearing?"),
    "removed_before": _l(
        "Was the person deported or removed from the United States before, and came back?"
    ),
    "fear_interview": _l(
        "Does the person have a credible-fear or reasonable-fear interview scheduled?"
    ),
    "fear_result": _l("If the person had that interview: what did the officer decide?"),
    "departure": _l(
        "Did a judge give the person permission to leave the United States on their own?"
    ),
    "moved": _l(
        "Has the person moved since they last gave their address to the immigration court?"
    ),
    "appointment": _l(
        "Does the person have an interview at an asylum office or a check-in with ICE scheduled?"
    ),
    "i589_filed": _l("Has the person already filed an asylum application (Form I-589)?"),
    "status_kind": _l("Does the person have, or did they have, a status in the United States?"),
    "represented": _l(
        "Does the person have a lawyer or accredited representative for their immigration case now?"
    ),
    "can_pay": _l("Could the person pay a private immigration lawyer?"),
    "household_size": _l("How many people live in the person's household, including them?"),
    "monthly_income": _l(
        "About how much money does the person's household receive each month, in US dollars?"
    ),
    "claim_types": _l("If you know: what protection is the person seeking?"),
    "name": _l("What name should we use for the person?"),
    "preferred_language": _l("Which language does the person prefer?"),
    "state": _l("Which US state or territory does the person live in?"),
    "phone": _l("The person's phone number"),
    "email": _l("The person's email address"),
    "safe_to_message": _l("Is it safe for us to leave the person a voicemail or message?"),
    "reach_by": _l("How may we contact the person?"),
    "summary": _l("In a few words, what help does the person need?"),
}
# The hints that say "you", as they read about another person.
HINTS_ABOUT_THE_PERSON = {
    "household_size": _l("Count the people who live with the person and share money."),
    "name": _l("It does not have to be the person's full legal name."),
    "state": _l("If the person is in detention, choose the state where they are held."),
}
# The error messages that say "you", as they read about another person. They
# replace the message of the field's own "required" and "from the list" checks.
ERRORS_ABOUT_THE_PERSON = {
    "detained": _l("Say whether the person is in immigration detention now."),
    "hearing": _l("Say whether the person has a court hearing scheduled."),
    "decided": _l("Say whether a judge has decided the person's case or ordered removal."),
    "i589_filed": _l("Say whether the person has filed Form I-589."),
    "represented": _l("Say whether the person has a lawyer or representative now."),
    "can_pay": _l("Say whether the person could pay a private lawyer."),
    "household_size": _l("Enter how many people live in the person's household."),
    "name": _l("Enter a name we can use for the person."),
    "nationality": _l("Choose the person's country of nationality."),
    "preferred_language": _l("Choose the language the person prefers."),
    "state": _l("Choose the state or territory where the person lives."),
}


@dataclass(frozen=True)
class Step:
    """One page of questions. The most urgent come first: who the request is for
    and what decides how soon help is needed (detention, court, a judge's order),
    so a person who stops early has already told us what matters most."""

    title: str
    fields: tuple[str, ...]
    title_about_the_person: str | None = None

    def title_for(self, someone_else: bool) -> str:
        """The title as it reads to whoever is asking (for themself or another)."""
        return (self.title_about_the_person or self.title) if someone_else else self.title


def _date(name: str) -> tuple[str, ...]:
    return tuple(f"{name}_{part}" for part in ("day", "month", "year"))


STEPS = (
    # Asked before "who is this for" can take effect (without JavaScript), so
    # worded to read right either way.
    Step(
        _l("How soon help is needed"),
        (
            "asker",
            "helper_name",
            "helper_relationship",
            "helper_contact",
            "detained",
            "detention_facility",
            "in_us",
            "hearing",
            *_date("hearing"),
            "hearing_kind",
            "decided",
            *_date("decision"),
            "in_absentia",
            "appealed",
            "board_decided",
            *_date("board_decision"),
            "departure",
            *_date("departure"),
            "departure_days",
            "moved",
        ),
    ),
    Step(
        _l("Your time in the United States"),
        (
            "removed_before",
            "fear_interview",
            *_date("fear_interview"),
            "fear_result",
            *_date("fear_result"),
            "appointment",
            *_date("appointment"),
            *_date("arrival"),
            "i589_filed",
            "status_kind",
            *_date("status_start"),
            *_date("status_end"),
        ),
        _l("The person's time in the United States"),
    ),
    Step(
        _l("About you"),
        (
            *_date("birth"),
            "came_as_child_alone",
            "harms",
            "claim_types",
            "a_number",
            "name",
            "nationality",
            "preferred_language",
            "state",
        ),
        _l("About the person"),
    ),
    Step(
        _l("How we can reach you"),
        ("phone", "email", "safe_to_message", "reach_by", "message_phone", "summary"),
        _l("How we can reach the person"),
    ),
    Step(
        _l("Your case"),
        (
            "represented",
            "can_pay",
            "household_size",
            "monthly_income",
            "share_consent",
            "consent",
        ),
        _l("The person's case"),
    ),
)
# The question pages, then "Check your answers".
STEP_COUNT = len(STEPS) + 1


def step_of(field_name: str | None) -> int | None:
    """The number (from 1) of the step that asks ``field_name``."""
    for number, step in enumerate(STEPS, start=1):
        if field_name in step.fields:
            return number
    return None


class HelpForm(Form):
    """Every question of the screening form, in the order asked: first what decides
    how soon someone needs help (detention, court, a judge's order, interviews),
    then whether they can get a lawyer, then the person and how to reach them."""

    asker = _radio(
        _l("Who is this request for?"),
        ASKERS,
        _l("Say who you are asking for."),
    )
    helper_name = _text(
        _l("Your name"),
        100,
        description=_l("We ask because you are asking for someone else."),
        filters=[clean_name],
    )
    helper_relationship = _text(
        _l("How are you related to the person, or which organisation do you work for?"),
        120,
        description=_l("Optional."),
    )
    helper_contact = _text(
        _l("Your phone or email address"),
        254,
        description=_l(
            "We contact you to reach the person, for example when they are detained "
            "and have no phone or email."
        ),
        filters=(normalise_text, ascii_digits),
        render_kw={"spellcheck": "false"},
    )
    detained = _radio(
        _l("Are you (or the person you are asking for) in immigration detention now?"),
        YES_NO,
        _l("Say whether you are in immigration detention now."),
    )
    detention_facility = _text(
        _l("If yes, the name of the detention centre"),
        120,
        description=_l("Optional."),
    )
    in_us = _radio(
        _l("Is the person who needs help in the United States now?"),
        YES_NO,
        _l("Say whether the person is in the United States now."),
    )
    hearing = _radio(
        _l(
            "Do you, or the person you are asking for, have an immigration court hearing scheduled?"
        ),
        YES_NO_NOT_SURE,
        _l("Say whether you have a court hearing scheduled."),
        _l("A hearing is a meeting with an immigration judge."),
    )
    hearing_day = _date_part(_l("Day"), 2)
    hearing_month = _month_part()
    hearing_year = _date_part(_l("Year"), 4)
    hearing_kind = _optional_radio(
        _l("If yes, which hearing is it?"),
        HEARING_KINDS,
        _l("Optional. The hearing notice may say \u201cmaster\u201d or \u201cindividual\u201d."),
    )
    moved = _optional_radio(
        _l(
            "Have you, or the person you are asking for, moved since the address was last "
            "given to the immigration court?"
        ),
        YES_NO_NOT_SURE,
        _l("Optional. The court must have a new address within 5 days of a move."),
    )
    decided = _radio(
        _l(
            "Has an immigration judge decided the case (yours, or that of the person you are "
            "asking for) or ordered removal (deportation)?"
        ),
        YES_NO_NOT_SURE,
        _l("Say whether a judge has decided your case or ordered removal."),
    )
    decision_day = _date_part(_l("Day"), 2)
    decision_month = _month_part()
    decision_year = _date_part(_l("Year"), 4)
    in_absentia = _optional_radio(
        _l("Was the order made because of a missed hearing?"),
        YES_NO_NOT_SURE,
        _l("Optional. This is called an order \u201cin absentia\u201d."),
    )
    appealed = _optional_radio(
        _l("Was there an appeal against the decision?"),
        YES_NO_NOT_SURE,
        _l("Optional."),
    )
    board_decided = _optional_radio(
        _l("If there was an appeal: has the Board of Immigration Appeals decided it?"),
        YES_NO_NOT_SURE,
        _l("Optional."),
    )
    board_decision_day = _date_part(_l("Day"), 2)
    board_decision_month = _month_part()
    board_decision_year = _date_part(_l("Year"), 4)
    departure = _optional_radio(
        _l(
            "Did a judge give permission to leave the United States voluntarily (to you, or "
            "to the person you are asking for)?"
        ),
        YES_NO_NOT_SURE,
        _l("Optional. This is called \u201cvoluntary departure\u201d."),
    )
    departure_day = _date_part(_l("Day"), 2)
    departure_month = _month_part()
    departure_year = _date_part(_l("Year"), 4)
    departure_days = _optional_radio(
        _l("How many days did the judge give to leave?"),
        DEPARTURE_DAYS,
        _l("Optional."),
    )
    removed_before = _optional_radio(
        _l("Were you deported or removed from the United States before, and came back?"),
        YES_NO_NOT_SURE,
        _l("Optional."),
    )
    fear_interview = _optional_radio(
        _l("Do you have a credible-fear or reasonable-fear interview scheduled?"),
        YES_NO_NOT_SURE,
        _l("Optional. An officer asks about your fear of going back, often soon after arrival."),
    )
    fear_interview_day = _date_part(_l("Day"), 2)
    fear_interview_month = _month_part()
    fear_interview_year = _date_part(_l("Year"), 4)
    fear_result = _optional_radio(
        _l("If you had that interview: what did the officer decide?"),
        FEAR_RESULTS,
        _l("Optional."),
    )
    fear_result_day = _date_part(_l("Day"), 2)
    fear_result_month = _month_part()
    fear_result_year = _date_part(_l("Year"), 4)
    appointment = _optional_radio(
        _l("Do you have an interview at an asylum office or a check-in with ICE scheduled?"),
        APPOINTMENTS,
        _l("Optional."),
    )
    appointment_day = _date_part(_l("Day"), 2)
    appointment_month = _month_part()
    appointment_year = _date_part(_l("Year"), 4)
    arrival_day = _date_part(_l("Day"), 2)
    arrival_month = _month_part()
    arrival_year = _date_part(_l("Year"), 4)
    i589_filed = _radio(
        _l("Have you already filed an asylum application (Form I-589)?"),
        YES_NO_NOT_SURE,
        _l("Say whether you have filed Form I-589."),
    )
    status_kind = _optional_radio(
        _l("Do you have, or did you have, a status in the United States?"),
        STATUS_KINDS,
        _l("Optional. For example TPS, parole or a visa."),
    )
    status_start_day = _date_part(_l("Day"), 2)
    status_start_month = _month_part()
    status_start_year = _date_part(_l("Year"), 4)
    status_end_day = _date_part(_l("Day"), 2)
    status_end_month = _month_part()
    status_end_year = _date_part(_l("Year"), 4)
    represented = _radio(
        _l("Do you have a lawyer or accredited representative for your immigration case now?"),
        YES_NO_NOT_SURE,
        _l("Say whether you have a lawyer or representative now."),
        _l("An accredited representative works for a recognised non-profit organisation."),
    )
    can_pay = _radio(
        _l("Could you pay a private immigration lawyer?"),
        YES_NO_NOT_SURE,
        _l("Say whether you could pay a private lawyer."),
    )
    household_size = StringField(
        _l("How many people live in your household, including you?"),
        description=_l("Count the people who live with you and share money."),
        filters=[normalise_text, ascii_digits],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
        validators=[
            InputRequired(message=_l("Enter how many people live in your household.")),
            Length(max=3, message=_l("Enter a number from 1 to 30.")),
        ],
    )
    monthly_income = StringField(
        _l("About how much money does your household receive each month, in US dollars?"),
        description=_l("Optional. Include all work and support. Enter 0 if there is none."),
        filters=[normalise_text, ascii_digits],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
        validators=[
            Optional(),
            Length(max=15, message=_l("Enter an amount such as 1200 or 850.50.")),
        ],
    )
    birth_day = _date_part(_l("Day"), 2)
    birth_month = _month_part()
    birth_year = _date_part(_l("Year"), 4)
    came_as_child_alone = _optional_radio(
        _l("Did the person come to the United States as a child, without a parent or guardian?"),
        YES_NO_NOT_SURE,
        _l("Optional."),
    )
    harms = SelectMultipleField(
        _l("Are any of these true for the person who needs help?"),
        description=_l("Optional. Choose all that apply. You can tell us more later, in private."),
        choices=_choices(HARMS),
        validate_choice=False,
    )
    claim_types = SelectMultipleField(
        _l("If you know: what protection are you seeking?"),
        description=_l("Optional. Choose all that apply. We will work it out with you."),
        choices=_choices(CLAIM_CHOICES),
        validate_choice=False,
    )
    a_number = _text(
        _l("A-number (Alien Registration Number), if you have one"),
        12,
        description=_l(
            "Optional. It has 8 or 9 digits and is printed on immigration papers, such as a "
            "hearing notice (after \u201cA#\u201d) or a work permit card (\u201cUSCIS #\u201d)."
        ),
        filters=(normalise_text, ascii_digits),
        render_kw={"inputmode": "numeric", "spellcheck": "false"},
    )
    name = _text(
        _l("What name should we use for you?"),
        100,
        required=_l("Enter a name we can use for you."),
        description=_l("It does not have to be your full legal name."),
        # Bidi overrides and zero-width characters would let a name show staff
        # something other than what is stored: removed, with control characters.
        filters=[clean_name],
    )
    nationality = _select(
        _l("Country of nationality"),
        choice_lists.NATIONALITY_CHOICES,
        _l("Choose your country of nationality."),
    )
    preferred_language = _select(
        _l("Which language do you prefer?"),
        choice_lists.LANGUAGES,
        _l("Choose the language you prefer."),
    )
    state = SelectField(
        _l("Which US state or territory do you live in?"),
        description=_l("If you are in detention, choose the state where you are held."),
        choices=_choices([("", _l("Choose one")), *choice_lists.US_STATES]),
        validate_choice=False,
        # Required only of someone in the United States (validate_state).
        validators=[
            Optional(),
            AnyOf(
                [c for c, _ in choice_lists.US_STATES],
                _l("Choose the state or territory where you live."),
            ),
        ],
    )
    phone = _text(
        _l("Phone number"),
        30,
        description=_l("Include the country code if it is not a US number."),
        filters=(normalise_text, ascii_digits),
        render_kw={"type": "tel", "inputmode": "tel"},
    )
    email = _text(
        _l("Email address"),
        254,
        render_kw={"type": "email", "spellcheck": "false"},
    )
    safe_to_message = _radio(
        _l("Is it safe for us to leave a voicemail or message?"),
        YES_NO_NOT_SURE,
        _l("Say whether it is safe to leave a message."),
        _l("If someone else could hear or read it, choose No."),
    )
    reach_by = SelectMultipleField(
        _l("How may we contact you?"),
        description=_l(
            "Optional. Choose all that apply. We send no message if you said it is not "
            "safe, and you can reply STOP to any text to end them."
        ),
        choices=_choices(REACH_BY[:-1]),
        validate_choice=False,
    )
    message_phone = _text(
        _l("Number for text and WhatsApp messages, if it is not the phone number above"),
        30,
        description=_l("Optional. Include the country code if it is not a US number."),
        filters=(normalise_text, ascii_digits),
        render_kw={"type": "tel", "inputmode": "tel"},
    )
    summary = _text(
        _l("In a few words, what help do you need?"),
        1000,
        multiline=True,
        description=_l(
            "Optional. Do not write anything that would put you or others at risk if "
            "someone else read it. We will ask for details later, in private."
        ),
    )
    share_consent = _radio(
        _l(
            "If another free legal organisation could help you better, may we send them "
            "your request?"
        ),
        YES_NO,
        _l("Say whether we may send your request to another legal organisation."),
        _l("We only send it if you say yes. You can change your mind later."),
    )
    consent = BooleanField(
        _l("I have read the privacy notice above"),
        validators=[InputRequired(message=_l("Confirm that you have read the privacy notice."))],
    )

    class Meta:
        def bind_field(self, form, unbound_field, options):
            return _bound_copy(self, form, unbound_field, options)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Country names in the visitor's language, sorted for it (intake.cases.choice_lists).
        self.nationality.choices = _per_language("nationality", _nationality_choices)
        months = _per_language("month", month_choices)
        for spec in DATES:
            getattr(self, f"{spec.name}_month").choices = months
        if self.asks_for_someone_else:
            for name, label in ABOUT_THE_PERSON.items():
                # A label of its own: the bound fields share theirs (_bound_copy).
                self[name].label = Label(self[name].id, label)
            for name, hint in HINTS_ABOUT_THE_PERSON.items():
                self[name].description = hint
            for name, message in ERRORS_ABOUT_THE_PERSON.items():
                self[name].validators = [_reworded(v, message) for v in self[name].validators]
            self.harms.choices = _choices(HARMS_ABOUT_THE_PERSON)
            self.reach_by.choices = _choices(REACH_BY)

    def date_legend(self, spec: DateFields) -> str:
        if self.asks_for_someone_else and spec.legend_about_the_person:
            return spec.legend_about_the_person
        return spec.legend

    def keep_errors_of(self, number: int) -> bool:
        """Forget the errors of every question not on step ``number`` (they are
        asked later, or were answered before); True when that step has none."""
        asked = STEPS[number - 1].fields
        for f in self:
            if f.name not in asked:
                f.errors = []
        return not any(self[name].errors for name in asked)

    @property
    def first_step_with_errors(self) -> int:
        return min((step_of(f.name) or 1 for f in self if f.errors), default=1)

    @property
    def asks_for_someone_else(self) -> bool:
        return self.asker.data in {code for code, _ in ASKERS} - {"self"}

    def validate_household_size(self, field):
        if not re.fullmatch(r"[0-9]{1,3}", field.data or "") or not (
            1 <= int(field.data) <= MAX_HOUSEHOLD
        ):
            raise StopValidation(_l("Enter a number from 1 to 30."))

    def validate_monthly_income(self, field):
        if parse_income(field.data) is None:
            raise StopValidation(_l("Enter an amount such as 1200 or 850.50."))

    def validate_claim_types(self, field):
        known = {c for c, _ in CLAIM_CHOICES}
        if not set(field.data) <= known:
            raise StopValidation(_l("Choose from the list."))

    def validate_harms(self, field):
        if not set(field.data) <= {c for c, _ in HARMS}:
            raise StopValidation(_l("Choose from the list."))

    def validate_a_number(self, field):
        digits = re.sub(r"[\s\-#]", "", field.data or "").upper()
        if digits and not A_NUMBER.fullmatch(digits):
            raise StopValidation(_l("An A-number has 8 or 9 digits, such as 012345678."))
        field.data = digits.removeprefix("A") or None

    def validate_phone(self, field):
        if field.data and not phone_email.looks_like_phone(field.data):
            raise StopValidation(_l("Enter a phone number, such as +1 212 555 0100."))

    def validate_message_phone(self, field):
        if field.data and not phone_email.looks_like_phone(field.data):
            raise StopValidation(_l("Enter a phone number, such as +1 212 555 0100."))

    def validate_reach_by(self, field):
        # "Through the helper" is dropped when the person now asks for themself.
        field.data = [c for c in field.data if c != "helper" or self.asks_for_someone_else]
        if not set(field.data) <= {c for c, _ in REACH_BY}:
            raise StopValidation(_l("Choose from the list."))

    def validate_helper_contact(self, field):
        text = field.data or ""
        if text and not (phone_email.looks_like_phone(text) or phone_email.looks_like_email(text)):
            raise StopValidation(
                _l("Enter your phone number or email address, such as +1 212 555 0100.")
            )

    def validate_email(self, field):
        if field.data and not phone_email.looks_like_email(field.data):
            raise StopValidation(_l("Enter an email address, such as name@example.com."))

    def validate(self, extra_validators=None):
        """Each field alone, then what needs several: a way to reach the person, and
        the two dates (day, month and year checked together)."""
        valid = super().validate(extra_validators)
        # A helper's own phone or email will do: a detained person often has neither.
        helper_reachable = self.asks_for_someone_else and self.helper_contact.data
        if not (self.phone.data or self.email.data or helper_reachable or self.phone.errors):
            self.phone.errors.append(_l("Enter a phone number or an email address, or both."))
            valid = False
        if not self._check_ways_to_reach():
            valid = False
        if self.asks_for_someone_else and not self.helper_name.data and not self.helper_name.errors:
            self.helper_name.errors.append(_l("Enter your name, so we know who is asking."))
            valid = False
        if self.in_us.data != "no" and not self.state.data and not self.state.errors:
            self.state.errors.append(
                ERRORS_ABOUT_THE_PERSON["state"]
                if self.asks_for_someone_else
                else _l("Choose the state or territory where you live.")
            )
            valid = False
        today = timeutil.today()
        for fields in DATES:
            if not self._check_date(fields, today):
                valid = False
        return valid

    def _check_ways_to_reach(self) -> bool:
        """A way chosen needs what it uses: a phone for texts, WhatsApp and calls,
        an email address for email."""
        if self.reach_by.errors:
            return False
        chosen = set(self.reach_by.data or ())
        has_phone = self.phone.data or self.message_phone.data
        if chosen & REACH_BY_PHONE and not has_phone and not self.phone.errors:
            self.reach_by.errors.append(
                _l("Enter a phone number above, or choose a way that does not need one.")
            )
            return False
        if "email" in chosen and not self.email.data and not self.email.errors:
            self.reach_by.errors.append(
                _l("Enter an email address above, or choose a way that does not need one.")
            )
            return False
        return True

    def date_parts(self, name: str):
        return tuple(getattr(self, f"{name}_{part}") for part in ("day", "month", "year"))

    def _check_date(self, fields: DateFields, today: date) -> bool:
        day, month, year = self.date_parts(fields.name)
        if any(part.errors for part in (day, month, year)):
            return False
        error = date_error(
            fields,
            day.data,
            month.data,
            year.data,
            today,
            required=self.date_required(fields),
            about_the_person=self.asks_for_someone_else,
        )
        if error:
            field, message = error
            {"day": day, "month": month, "year": year}[field].errors.append(message)
            return False
        return True

    def date_required(self, spec: DateFields) -> bool:
        """Arrival is needed only of someone in the United States (a person abroad
        may need humanitarian parole, and has no arrival to count from)."""
        return spec.name == "birth" or (spec.name == "arrival" and self.in_us.data != "no")

    def date_value(self, name: str) -> PartialDate | None:
        """The parsed date, once validated (None when left empty)."""
        day, month, year = (p.data for p in self.date_parts(name))
        if not month and not year and not day:
            return None
        return PartialDate(int(year), int(month), int(day) if day else None)


_MISSING = {
    "arrival": _l("Enter at least the month and year you last arrived."),
    "birth": _l("Enter at least the month and year of birth."),
}
_NOT_FUTURE = {
    "arrival": _l("The date you arrived must be today or in the past."),
    "birth": _l("The date of birth must be today or in the past."),
    "decision": _l("The date of the decision must be today or in the past."),
    "fear_result": _l("The date of the result must be today or in the past."),
    "departure": _l("The date of the decision must be today or in the past."),
    "board_decision": _l("The date of the decision must be today or in the past."),
    "status_start": _l("The date the status began must be today or in the past."),
}
# The arrival messages say "you": as they read about another person.
_ABOUT_THE_PERSON = {
    _MISSING["arrival"]: _l("Enter at least the month and year the person last arrived."),
    _NOT_FUTURE["arrival"]: _l("The date the person arrived must be today or in the past."),
}


def date_error(
    fields: DateFields,
    day,
    month,
    year,
    today: date,
    *,
    required: bool = False,
    about_the_person: bool = False,
):
    """(part, message) for an incomplete, impossible or out-of-range date, or None.

    An empty date is allowed unless ``required`` (arrival in the US, birth): the
    rules ask staff to find out what a person did not know. ``about_the_person``:
    worded for someone asking for another person.
    """
    error = _date_error(fields, day, month, year, today, required)
    if error and about_the_person:
        part, message = error
        return part, next((v for k, v in _ABOUT_THE_PERSON.items() if k is message), message)
    return error


def _date_error(fields: DateFields, day, month, year, today: date, required: bool):
    if not (day or month or year):
        return ("month", _MISSING[fields.name]) if required else None
    if day and not (day.isdigit() and 1 <= int(day) <= 31):
        return "day", _l("The day must be a number from 1 to 31.")
    if month and not (month.isdigit() and 1 <= int(month) <= 12):
        return "month", _l("Choose the month from the list.")
    if not day and not fields.day_optional:
        return "day", _l("Enter the day, month and year.")
    if not month:
        return "month", _l("Choose the month.")
    if not (year and year.isdigit() and len(year) == 4):
        return "year", _l("Enter the year with 4 digits, for example 2024.")
    try:
        when = PartialDate(int(year), int(month), int(day) if day else None)
    except ValueError:
        return "day", _l("Enter a real date. This month does not have that many days.")
    if fields.when == "past":
        earliest = EARLIEST_BIRTH_YEAR if fields.name == "birth" else EARLIEST_ARRIVAL_YEAR
        if when.year < earliest:
            return "year", _l("Enter a year from %(year)d onwards.", year=earliest)
        if when.earliest() > today:
            wrong = (
                "year" if when.year > today.year else "month" if when.month > today.month else "day"
            )
            return wrong, _NOT_FUTURE[fields.name]
    elif not EARLIEST_ARRIVAL_YEAR <= when.year <= today.year + 10:
        return "year", _l(
            "Enter the year of the hearing, for example %(year)d.", year=today.year
        ) if fields.name == "hearing" else _l(
            "Enter a year from 1950 to %(year)d.", year=today.year + 10
        )
    return None

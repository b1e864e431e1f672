"""The screening form's questions, hints and validation (WTForms).

A plain ``wtforms.Form`` rather than Flask-WTF's: the public form sets no cookie,
so its cross-site protection is the signed token in ``intake.public.form_tokens``, not
the session-based CSRF field. Every answer is re-validated on every step, so the
hidden copies on the check-answers page are never trusted.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Form,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, Optional, StopValidation

from intake import phone_email, timeutil
from intake.input_hygiene import clean_name, normalise_text
from intake.public import choice_lists
from intake.rules import CLAIM_WORDING, PartialDate

YES_NO = (("yes", _l("Yes")), ("no", _l("No")))
YES_NO_NOT_SURE = (*YES_NO, ("not_sure", _l("Not sure")))
# The rules' claim types in the visitor's words, translated when the form renders.
CLAIM_CHOICES = tuple((code, _l(words)) for code, words in CLAIM_WORDING)

EARLIEST_ARRIVAL_YEAR = 1950
MAX_HOUSEHOLD = 30
MAX_MONTHLY_INCOME = Decimal(1_000_000)
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


@dataclass(frozen=True)
class DateFields:
    """The three inputs of one date question (a fieldset with a legend)."""

    name: str
    legend: str
    hint: str
    day_optional: bool


DATES = (
    DateFields(
        "hearing",
        _l("If yes, when is the hearing?"),
        _l("For example, 27 3 2026. Leave empty if you do not know."),
        day_optional=False,
    ),
    DateFields(
        "arrival",
        _l("When did you last arrive in the United States?"),
        _l("For example, 3 2024. If you do not remember the day, enter the month and year only."),
        day_optional=True,
    ),
)


class HelpForm(Form):
    """Every question of the screening form, in the order asked."""

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
        validators=[
            InputRequired(message=_l("Enter how many people live in your household.")),
            Length(max=3, message=_l("Enter a number from 1 to 30.")),
        ],
    )
    monthly_income = StringField(
        _l("About how much money does your household receive each month, in US dollars?"),
        description=_l("Optional. Include all work and support. Enter 0 if there is none."),
        filters=[normalise_text, ascii_digits],
        validators=[
            Optional(),
            Length(max=15, message=_l("Enter an amount such as 1200 or 850.50.")),
        ],
    )
    claim_types = SelectMultipleField(
        _l("What protection are you seeking?"),
        description=_l("Choose all that apply."),
        choices=_choices(CLAIM_CHOICES),
        validate_choice=False,
        validators=[
            InputRequired(
                message=_l('Choose at least one, or "Something else, or I am not sure".')
            ),
        ],
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
    hearing = _radio(
        _l("Do you have an immigration court hearing scheduled?"),
        YES_NO_NOT_SURE,
        _l("Say whether you have a court hearing scheduled."),
        _l("A hearing is a meeting with an immigration judge."),
    )
    hearing_day = _date_part(_l("Day"), 2)
    hearing_month = _date_part(_l("Month"), 2)
    hearing_year = _date_part(_l("Year"), 4)
    arrival_day = _date_part(_l("Day"), 2)
    arrival_month = _date_part(_l("Month"), 2)
    arrival_year = _date_part(_l("Year"), 4)
    i589_filed = _radio(
        _l("Have you already filed an asylum application (Form I-589)?"),
        YES_NO_NOT_SURE,
        _l("Say whether you have filed Form I-589."),
    )
    minor = _radio(
        _l("Is the person seeking help under 18?"),
        YES_NO,
        _l("Say whether the person seeking help is under 18."),
    )
    name = _text(
        _l("What name should we use for you?"),
        100,
        required=_l("Enter a name we can use for you."),
        description=_l("It does not have to be your full legal name."),
        render_kw={"autocomplete": "name"},
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
    state = _select(
        _l("Which US state or territory do you live in?"),
        choice_lists.US_STATES,
        _l("Choose the state or territory where you live."),
        _l("If you are in detention, choose the state where you are held."),
    )
    phone = _text(
        _l("Phone number"),
        30,
        description=_l("Include the country code if it is not a US number."),
        filters=(normalise_text, ascii_digits),
        render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "tel"},
    )
    email = _text(
        _l("Email address"),
        254,
        render_kw={"type": "email", "spellcheck": "false", "autocomplete": "email"},
    )
    safe_to_message = _radio(
        _l("Is it safe for us to leave a voicemail or message?"),
        YES_NO_NOT_SURE,
        _l("Say whether it is safe to leave a message."),
        _l("If someone else could hear or read it, choose No."),
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
    consent = BooleanField(
        _l("I have read the privacy notice above"),
        validators=[InputRequired(message=_l("Confirm that you have read the privacy notice."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Country names in the visitor's language, sorted for it (intake.public.choice_lists).
        self.nationality.choices = _choices(
            [("", _l("Choose one")), *choice_lists.nationality_choices()]
        )

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

    def validate_phone(self, field):
        if field.data and not phone_email.looks_like_phone(field.data):
            raise StopValidation(_l("Enter a phone number, such as +1 212 555 0100."))

    def validate_email(self, field):
        if field.data and not phone_email.looks_like_email(field.data):
            raise StopValidation(_l("Enter an email address, such as name@example.com."))

    def validate(self, extra_validators=None):
        """Each field alone, then what needs several: a way to reach the person, and
        the two dates (day, month and year checked together)."""
        valid = super().validate(extra_validators)
        if not self.phone.data and not self.email.data and not self.phone.errors:
            self.phone.errors.append(_l("Enter a phone number or an email address, or both."))
            valid = False
        today = timeutil.today()
        for fields in DATES:
            if not self._check_date(fields, today):
                valid = False
        return valid

    def date_parts(self, name: str):
        return tuple(getattr(self, f"{name}_{part}") for part in ("day", "month", "year"))

    def _check_date(self, fields: DateFields, today: date) -> bool:
        day, month, year = self.date_parts(fields.name)
        if any(part.errors for part in (day, month, year)):
            return False
        error = date_error(fields, day.data, month.data, year.data, today)
        if error:
            field, message = error
            {"day": day, "month": month, "year": year}[field].errors.append(message)
            return False
        return True

    def date_value(self, name: str) -> PartialDate | None:
        """The parsed date, once validated (None when left empty)."""
        day, month, year = (p.data for p in self.date_parts(name))
        if not month and not year and not day:
            return None
        return PartialDate(int(year), int(month), int(day) if day else None)


def date_error(fields: DateFields, day, month, year, today: date):
    """(part, message) for an incomplete, impossible or out-of-range date, or None.

    An empty hearing date is allowed (the rules ask staff to find it out); the
    arrival date needs at least a month and a year.
    """
    if not (day or month or year):
        if fields.name == "arrival":
            return "month", _l("Enter at least the month and year you last arrived.")
        return None
    if day and not (day.isdigit() and 1 <= int(day) <= 31):
        return "day", _l("The day must be a number from 1 to 31.")
    if month and not (month.isdigit() and 1 <= int(month) <= 12):
        return "month", _l("The month must be a number from 1 to 12.")
    if not day and not fields.day_optional:
        return "day", _l("Enter the day, month and year.")
    if not month:
        return "month", _l("Enter the month.")
    if not (year and year.isdigit() and len(year) == 4):
        return "year", _l("Enter the year with 4 digits, for example 2024.")
    try:
        when = PartialDate(int(year), int(month), int(day) if day else None)
    except ValueError:
        return "day", _l("Enter a real date. This month does not have that many days.")
    if fields.name == "arrival":
        if when.year < EARLIEST_ARRIVAL_YEAR:
            return "year", _l("Enter a year from 1950 onwards.")
        if when.earliest() > today:
            wrong = (
                "year" if when.year > today.year else "month" if when.month > today.month else "day"
            )
            return wrong, _l("The date you arrived must be today or in the past.")
    elif not 1950 <= when.year <= today.year + 10:
        return "year", _l("Enter the year of the hearing, for example %(year)d.", year=today.year)
    return None


def parse_income(text: str | None) -> Decimal | None:
    """A monthly amount in USD from what people type ("$1,200.50"), or None."""
    if not text:
        return None
    cleaned = re.sub(r"[\s,$]", "", text)
    if not re.fullmatch(r"[0-9]{1,7}(\.[0-9]{1,2})?", cleaned):
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if amount <= MAX_MONTHLY_INCOME else None

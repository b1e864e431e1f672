"""A coarse age band at submission, kept plain for the reports and the export.

The date of birth stays in the encrypted facts; the reports count people by a
band that identifies nobody and that the database can group without decrypting
a row. The bands follow where the law changes for a young applicant:

- under 14: a notice to appear for a child under 14 is served on the person
  the child lives with and, whenever possible, also on a near relative,
  guardian or friend (8 CFR 236.2(a), which points to 8 CFR 103.8(c); the
  minors' rule is 103.8(c)(2)(ii), 103.5a(c)(2)(ii) when Cubor-Cruz was
  decided); from 14, handing the notice to the minor alone is valid service
  (Matter of Cubor-Cruz, 25 I&N Dec. 470 (BIA 2011)), which is why the line
  is at 14;
- 14 to 17: still a child, who may be an unaccompanied alien child (under 18,
  6 U.S.C. 279(g)(2)), with the protections the TVPRA gives one
  (8 U.S.C. 1232; INA 208(b)(3)(C): USCIS decides the asylum claim first);
- 18 to 20: an adult, but still able to petition for SIJS before the 21st
  birthday (INA 101(a)(27)(J); 8 CFR 204.11(b): under 21 on the day the
  petition is filed; 204.11(c)(1) before the 2022 rule);
- 21 to 64, and 65 or older: adults; the older band is the one funders and
  legal-aid reporting ask about (no immigration rule turns on it).

A month-only date of birth is read at its latest day (the younger reading), as
``under_18`` does: a person who may still be a child counts as one.
"""

from datetime import date

from intake.law.dates import PartialDate, surely_aged

# (code, label, youngest age in the band), youngest first.
BANDS = (
    ("under_14", "Under 14", 0),
    ("14_17", "14 to 17", 14),
    ("18_20", "18 to 20", 18),
    ("21_64", "21 to 64", 21),
    ("65_plus", "65 or older", 65),
)
LABELS = {code: label for code, label, _youngest in BANDS}
NOT_GIVEN = "Not given"


def age_on(born: date, day: date) -> int:
    """Completed years on ``day`` (a 29 February birthday comes on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def band(birth: PartialDate | None, on: date) -> str | None:
    """The band code of someone born ``birth`` on the day ``on``; None without a
    date of birth (or one after ``on``, which no band describes)."""
    if birth is None:
        return None
    born = birth.latest()
    if born > on:
        return None
    age = age_on(born, on)
    return next(code for code, _label, youngest in reversed(BANDS) if age >= youngest)


def under_18(birth: PartialDate | None, today: date) -> bool:
    """Under 18 on the latest reading of the date of birth (the request's ``minor``
    answer); False without one."""
    return birth is not None and today < surely_aged(birth, 18)


def label(code: str | None) -> str:
    return LABELS.get(code or "", NOT_GIVEN)

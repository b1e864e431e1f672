"""The words the rules and the app share: screens, urgency bands, claim types,
the fear and harm facts, and the answers a question allows. Stored values never
change: rows keep them.
"""

from enum import StrEnum
from types import MappingProxyType
from typing import Literal, get_args


class Screen(StrEnum):
    """Whether the request fits the service; stored, so the values never change."""

    ELIGIBLE = "eligible"
    NEEDS_REVIEW = "needs_review"
    REPRESENTED = "screened_out_represented"
    CAN_PAY = "screened_out_can_pay"


class Urgency(StrEnum):
    """How soon staff must act; stored, so the values never change."""

    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"

    @property
    def rank(self) -> int:
        """0 for critical, 1 for high, 2 for normal: sort ascending, most urgent first."""
        return URGENCY_RANK[self]


URGENCY_RANK = MappingProxyType({Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2})

Tri = Literal["yes", "no", "not_sure"]

TRI_VALUES: tuple[str, ...] = get_args(Tri)


def _l(text: str) -> str:
    """Marks the visitor's wording for pybabel (``-k _l``); the form translates it
    when it renders, so these rules stay free of Flask."""
    return text


# The claim types, defined once: (code stored on a request, the label staff read,
# the visitor's wording on the form).
CLAIMS: tuple[tuple[str, str, str], ...] = (
    ("asylum", "asylum", _l("Asylum")),
    ("withholding", "withholding of removal", _l("Withholding of removal")),
    (
        "cat",
        "protection under the Convention Against Torture",
        _l("Protection under the Convention Against Torture (CAT)"),
    ),
    ("tps", "Temporary Protected Status", _l("Temporary Protected Status (TPS)")),
    (
        "sijs",
        "Special Immigrant Juvenile Status",
        _l("Special Immigrant Juvenile Status (for children)"),
    ),
    ("t_visa", "T visa (trafficking survivor)", _l("T visa (for survivors of trafficking)")),
    ("u_visa", "U visa (crime survivor)", _l("U visa (for survivors of some crimes)")),
    (
        "vawa",
        "VAWA self-petition",
        _l("VAWA self-petition (for survivors of domestic violence)"),
    ),
    ("parole", "humanitarian parole", _l("Humanitarian parole")),
    ("other", "other / not sure", _l("Something else, or I am not sure")),
)

CLAIM_TYPES: tuple[tuple[str, str], ...] = tuple((code, label) for code, label, _ in CLAIMS)

CLAIM_LABELS = MappingProxyType(dict(CLAIM_TYPES))

CLAIM_WORDING: tuple[tuple[str, str], ...] = tuple((code, words) for code, _, words in CLAIMS)


def claim_list(codes: frozenset[str]) -> str:
    return ", ".join(label for code, label in CLAIM_TYPES if code in codes)


Asker = Literal["self", "family", "detained_person", "organisation"]

ASKER_VALUES: tuple[str, ...] = get_args(Asker)

StatusKind = Literal["tps", "parole", "visa", "daca", "none"]

STATUS_KINDS: tuple[str, ...] = get_args(StatusKind)

# Fear and harm as facts, not legal categories, in the plain words staff read; the form asks
# them in the applicant's words, and ``possible_relief`` maps them to relief.
HARM_FACTS = MappingProxyType(
    {
        "afraid_to_return": "afraid to return",
        "harmed_or_threatened": "harmed or threatened there",
        "crime_victim_in_us": "victim of a crime in the US",
        "forced_labour_or_sex": "made to work or do sex work by force, fraud or coercion",
        "hurt_by_citizen_or_resident_family": "hurt by a US citizen or LPR spouse or parent",
        "abused_by_parent_under_21": "under 21, abused, abandoned or neglected by a parent",
    }
)


# The first hearing (master calendar) or the final one where the judge hears the
# case (individual calendar): filings are due at different times before each.
HearingKind = Literal["first", "final", "not_sure"]

HEARING_KINDS: tuple[str, ...] = get_args(HearingKind)

# A credible- or reasonable-fear finding: "none" until an interview is reported.
FearResult = Literal["none", "positive", "negative", "waiting", "not_sure"]

FEAR_RESULTS: tuple[str, ...] = get_args(FearResult)


def check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}")

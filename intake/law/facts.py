"""The facts the law turns on, as the rules read them (already parsed)."""

from dataclasses import dataclass
from datetime import date

from intake.law.dates import PartialDate
from intake.law.vocabulary import (
    ASKER_VALUES,
    CLAIM_LABELS,
    FEAR_RESULTS,
    HEARING_KINDS,
    STATUS_KINDS,
    TRI_VALUES,
    Asker,
    FearResult,
    HearingKind,
    StatusKind,
    Tri,
    check_choice,
)


@dataclass(frozen=True)
class Facts:
    """What the screening form asks, already parsed. Defaults describe a person who
    answered "no" to everything, so a test states only the facts it is about."""

    asking_for: Asker = "self"
    date_of_birth: PartialDate | None = None
    came_as_unaccompanied_child: bool = False  # came to the US as a child without parent/guardian
    in_us: bool = True
    last_arrival: PartialDate | None = None
    detained: bool = False
    hearing: Tri = "no"
    hearing_date: date | None = None
    hearing_kind: HearingKind = "not_sure"  # first (master) or final (individual) hearing
    judge_decided: Tri = "no"  # an immigration judge decided the case or ordered removal
    decision_date: PartialDate | None = None
    in_absentia: Tri = "no"  # ordered because they missed a hearing
    appeal_filed: Tri = "no"
    removed_before_and_returned: Tri = "no"
    fear_interview_scheduled: bool = False  # credible- or reasonable-fear interview
    fear_interview_date: date | None = None
    fear_interview_unsure: bool = False  # "not sure" whether an interview is coming
    fear_result: FearResult = "none"  # the officer's finding, once the interview took place
    fear_result_date: date | None = None
    voluntary_departure: Tri = "no"  # a judge granted voluntary departure
    voluntary_departure_date: date | None = None  # the day it was granted
    voluntary_departure_days: int | None = None  # the period granted (60 or 120 at most)
    board_decided: Tri = "no"  # after an appeal: the BIA has decided it
    board_decision_date: PartialDate | None = None
    moved: Tri = "no"  # moved since the immigration court last had the address
    state: str | None = None  # US state or territory, for its juvenile courts' age limit
    appointment_date: date | None = None  # asylum-office interview or ICE check-in
    status_kind: StatusKind = "none"
    status_start: PartialDate | None = None
    status_end: PartialDate | None = None
    i589_filed: Tri = "no"
    afraid_to_return: bool = False
    harmed_or_threatened: bool = False
    crime_victim_in_us: bool = False
    forced_labour_or_sex: bool = False
    hurt_by_citizen_or_resident_family: bool = False  # US citizen or LPR spouse or parent
    abused_by_parent_under_21: bool = False  # under 21 and abused, abandoned or neglected
    claim_types: frozenset[str] = frozenset()  # the optional "if you know" checklist

    def __post_init__(self) -> None:
        # A form/rules mismatch must fail loudly, never be read as some other answer.
        tri = (
            "hearing",
            "judge_decided",
            "in_absentia",
            "appeal_filed",
            "i589_filed",
            "voluntary_departure",
            "board_decided",
            "moved",
        )
        for name in (*tri, "removed_before_and_returned"):
            check_choice(name, getattr(self, name), TRI_VALUES)
        check_choice("asking_for", self.asking_for, ASKER_VALUES)
        check_choice("status_kind", self.status_kind, STATUS_KINDS)
        check_choice("hearing_kind", self.hearing_kind, HEARING_KINDS)
        check_choice("fear_result", self.fear_result, FEAR_RESULTS)
        object.__setattr__(self, "claim_types", frozenset(self.claim_types))
        unknown = self.claim_types - CLAIM_LABELS.keys()
        if unknown:
            raise ValueError(f"unknown claim types: {sorted(unknown)}")

    @property
    def fears_return(self) -> bool:
        """Fear as facts, or any protection claim ticked: a layperson cannot be expected
        to pick the legal category, and one form (I-589) covers all three."""
        protection = {"asylum", "withholding", "cat"}
        return (
            self.afraid_to_return
            or self.harmed_or_threatened
            or bool(self.claim_types & protection)
        )

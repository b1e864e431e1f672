"""Forms of relief the facts point to: for staff only, never shown to the
applicant as a verdict."""

from dataclasses import dataclass

from intake.law.facts import Facts
from intake.law.vocabulary import HARM_FACTS


@dataclass(frozen=True)
class Relief:
    relief: str
    reason: str
    source: str
    # The fear and harm facts (keys of HARM_FACTS) it rests on; empty when it rests
    # on status or place alone (TPS, parole) or only on the checklist.
    grounds: tuple[str, ...] = ()


def possible_relief(facts: Facts) -> list[Relief]:
    """Forms of relief the facts point to, each with the fact behind it (``grounds``
    names the fear and harm facts among them). A list to check, not an assessment
    of eligibility."""
    found: list[Relief] = []
    fear = facts.fears_return
    feared = _true_facts(facts, ("afraid_to_return", "harmed_or_threatened"))
    if fear and facts.in_us:
        barred = (
            " (a reinstated prior order would bar it)"
            if facts.removed_before_and_returned != "no"
            else ""
        )
        found.append(Relief("asylum", f"Fears return{barred}.", "INA 208(a)(1), 208(b)(1)", feared))
    if fear and facts.in_us:  # both are decided in the US (INA 241(b)(3))
        found.append(
            Relief("withholding", "Fears return; no filing deadline.", "INA 241(b)(3)", feared)
        )
        found.append(
            Relief(
                "cat",
                "Fears harm on return; no filing deadline.",
                "8 CFR 208.16(c), 208.17, 208.18",
                feared,
            )
        )
    if facts.crime_victim_in_us:
        found.append(
            Relief(
                "u_visa",
                "Victim of a crime in the US.",
                "INA 101(a)(15)(U)",
                ("crime_victim_in_us",),
            )
        )
    if facts.forced_labour_or_sex:
        found.append(
            Relief(
                "t_visa",
                "Made to work or do sex work by force, fraud or coercion.",
                "INA 101(a)(15)(T)",
                ("forced_labour_or_sex",),
            )
        )
    if facts.hurt_by_citizen_or_resident_family:
        found.append(
            Relief(
                "vawa",
                "Hurt by a US citizen or permanent resident spouse or parent.",
                "INA 204(a)(1)(A)(iii)-(iv), (B)(ii)-(iii)",
                ("hurt_by_citizen_or_resident_family",),
            )
        )
    if facts.abused_by_parent_under_21 and facts.in_us:
        found.append(
            Relief(
                "sijs",
                "Under 21 and abused, abandoned or neglected by a parent.",
                "INA 101(a)(27)(J); 8 CFR 204.11",
                ("abused_by_parent_under_21",),
            )
        )
    if facts.status_kind == "tps":
        found.append(Relief("tps", "Has or had TPS: re-registration may keep it.", "INA 244"))
    if not facts.in_us or facts.status_kind == "parole":
        why = (
            "Outside the US."
            if not facts.in_us
            else "Has or had parole: re-parole may be possible."
        )
        # Abroad, any harm described is a reason for parole (asylum and SIJS need
        # presence in the US); parole held in the US rests on status alone.
        grounds = _true_facts(facts, tuple(HARM_FACTS)) if not facts.in_us else ()
        found.append(Relief("parole", why, "INA 212(d)(5)(A)", grounds))
    return found


def _true_facts(facts: Facts, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in names if getattr(facts, name))


def protection_grounds(facts: Facts) -> tuple[tuple[str, ...], frozenset[str]]:
    """The fear and harm facts that point to a form of relief, and those forms:
    ``possible_relief`` read for the reliefs resting on a fact, so the screen and
    the case page's "possibly" list never disagree. The checklist is not a ground."""
    found = [r for r in possible_relief(facts) if r.grounds]
    shown = tuple(f for f in HARM_FACTS if any(f in r.grounds for r in found))
    return shown, frozenset(r.relief for r in found)

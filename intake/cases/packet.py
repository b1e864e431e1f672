"""The referral packet: what a receiving organisation needs to act on a referral
without asking the person to tell their story again.

``build`` gathers, for one referral, the facts as the person gave them (each
beside the question asked), the deadlines and flags the rules compute today
with their legal sources, the forms of relief the facts point to with the
reason for each, the language and safe-contact rules, and the letters sent.
It is one plain dictionary: the JSON document (``SCHEMA``/``VERSION``, described
in docs/referral-packet.md), the page and the PDF are all made from it, so
the three never say different things.

Pure apart from reading the rows it is given and the letters of the case.
"""

from datetime import date

from flask import current_app

from intake.cases import choice_lists, live_urgency
from intake.cases import stored_facts as facts
from intake.law.relief import possible_relief
from intake.law.vocabulary import CLAIM_LABELS, HARM_FACTS
from intake.models import HelpRequest, Letter, Referral, ReferralOrganisation

SCHEMA = "intake-referral-packet"
# Raised on a change a receiver's import could trip on: a field removed or
# renamed, or its meaning changed. A new field is added without a new version.
VERSION = "1.0"

# The questions the screening form asks, in the third person as the packet speaks
# of the applicant; each stored fact appears beside its question.
QUESTIONS = {
    "asking_for": "Who asked for help",
    "in_us": "Is the person in the United States?",
    "detained": "Is the person in immigration detention now?",
    "hearing": "Does the person have an immigration court hearing scheduled?",
    "hearing_date": "Date of the hearing",
    "hearing_kind": "Kind of hearing",
    "judge_decided": "Has an immigration judge decided the case or ordered removal?",
    "decision_date": "Date of the judge's decision or removal order",
    "in_absentia": "Was the order made because the person missed a hearing?",
    "appeal_filed": "Was an appeal filed with the Board of Immigration Appeals?",
    "board_decided": "Has the Board decided the appeal?",
    "board_decision_date": "Date the Board decided",
    "removed_before_and_returned": "Was the person removed before and came back?",
    "fear_interview": "Is a credible-fear or reasonable-fear interview scheduled?",
    "fear_interview_date": "Date of the fear interview",
    "fear_result": "What did the officer decide at the fear interview?",
    "fear_result_date": "Date of the fear-screening result",
    "voluntary_departure": "Did a judge grant voluntary departure?",
    "voluntary_departure_date": "Date voluntary departure was granted",
    "voluntary_departure_days": "Voluntary departure period",
    "moved": "Has the person moved since they last gave the court their address?",
    "appointment_kind": "Interview at an asylum office or ICE check-in scheduled",
    "appointment_date": "Date of that interview or check-in",
    "i589_filed": "Has the person filed an asylum application (Form I-589)?",
    "status_kind": "Status the person has or had in the United States",
    "status_start": "Date the status began",
    "status_end": "Date the status ends or ended",
    "last_arrival": "Date of the last arrival in the United States",
    "came_as_child_alone": "Did the person come as a child without a parent?",
    "date_of_birth": "Date of birth",
    "harms": "What happened to the person or what they fear",
    "claim_types": "Protection the person is seeking",
    "a_number": "A-number",
    "state": "US state or territory",
    "helper_name": "Name of the person who asked for them",
    "helper_relationship": "Their relationship to the person",
    "helper_contact": "How to reach the person who asked",
}
ANSWERS = {True: "yes", False: "no", "yes": "yes", "no": "no", "not_sure": "not sure"}
SAFE_CONTACT = {
    "yes": "The person said it is safe to leave a voicemail or written message.",
    "no": "Do not leave a voicemail or written message: the person said it is not safe.",
    "not_sure": (
        "Do not leave a voicemail or written message: the person was not sure it is safe."
    ),
}


def _answer(key: str, value) -> str:
    if isinstance(value, list | tuple):
        labels = HARM_FACTS if key == "harms" else CLAIM_LABELS if key == "claim_types" else {}
        return ", ".join(str(labels.get(v, v)) for v in value)
    if key == "state":
        return choice_lists.state_name(value)
    return ANSWERS.get(value, str(value)) if isinstance(value, bool | str) else str(value)


def answers(help_request: HelpRequest) -> list[dict]:
    """Every fact given, beside its question, in the form's order; unanswered left out."""
    stored = facts.loads(help_request.facts)
    shown = []
    for key, question in QUESTIONS.items():
        value = stored.get(key)
        if value in (None, "", [], ()):
            continue
        shown.append({"key": key, "question": question, "answer": _answer(key, value)})
    return shown


def build(
    help_request: HelpRequest,
    referral: Referral,
    organisation: ReferralOrganisation,
    letters: list[Letter],
    today: date,
) -> dict:
    """The packet as one JSON-ready dictionary (see docs/referral-packet.md)."""
    stored = facts.loads(help_request.facts)
    rules_facts = facts.to_rules(stored) if stored else None
    ranked = (
        live_urgency.rank(rules_facts, today, live_urgency.thresholds_from(current_app))
        if rules_facts
        else None
    )
    asker = help_request.asker or "self"
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "generated_on": today.isoformat(),
        "referral": {
            "id": referral.id,
            "reference": help_request.reference,
            "referred_on": referral.made_on.isoformat(),
            "to": organisation.name,
            "consent": referral.consent,
        },
        "person": {
            "name": help_request.name,
            "nationality": help_request.nationality,
            "preferred_language": help_request.preferred_language,
            "preferred_language_name": choice_lists.language_name(help_request.preferred_language),
            "interface_language": help_request.interface_language,
            "state": help_request.state,
            "detained": help_request.detained,
            "detention_facility": help_request.detention_facility or None,
            "asked_by": asker,
        },
        "contact": {
            "contact_is": "applicant" if asker == "self" else "helper",
            "phone": help_request.phone or None,
            "email": help_request.email or None,
            "safe_to_message": help_request.safe_to_message,
            "rule": SAFE_CONTACT.get(help_request.safe_to_message, SAFE_CONTACT["not_sure"]),
            "language_rule": (
                "Speak with the person in "
                + (choice_lists.language_name(help_request.preferred_language) or "English")
                + "; use an interpreter if no one on your team speaks it."
            ),
        },
        "answers": [
            {
                "key": "represented",
                "question": "Does the person have a lawyer now?",
                "answer": _answer("represented", help_request.represented),
            },
            {
                "key": "can_pay",
                "question": "Could the person pay a private lawyer?",
                "answer": _answer("can_pay", help_request.can_pay),
            },
            {
                "key": "household_size",
                "question": "People in the household",
                "answer": str(help_request.household_size),
            },
            *answers(help_request),
        ],  # fmt: skip
        "summary": help_request.summary or None,
        "urgency": {
            "band": ranked.band.value if ranked else help_request.urgency,
            "reasons": [{"text": r.text, "source": r.source} for r in ranked.reasons]
            if ranked
            else [],
        },
        "deadlines": [
            {
                "kind": d.kind,
                "label": d.label,
                "last_day": d.due.isoformat(),
                "last_day_latest": d.last_possible.isoformat(),
                "as_soon_as_possible": d.asap,
                "passed": d.passed(today),
                "source": d.source,
                "note": d.note,
            }
            for d in (ranked.deadlines if ranked else ())
        ],
        "flags": [{"text": f.text, "source": f.source} for f in (ranked.flags if ranked else ())],
        "possible_relief": [
            {
                "relief": r.relief,
                "name": str(CLAIM_LABELS.get(r.relief, r.relief)),
                "reason": r.reason,
                "source": r.source,
            }
            for r in (possible_relief(rules_facts) if rules_facts else ())
        ],
        "letters": [
            {
                "subject": letter.subject,
                "body": letter.body,
                "language": letter.language,
                "sent_on": letter.sent_at.date().isoformat(),
            }
            for letter in letters
        ],
    }


def as_text(packet: dict) -> tuple[str, str]:
    """(title, body) of the packet for the PDF: paragraphs split by blank lines."""
    person, contact = packet["person"], packet["contact"]
    blocks = [
        f"Reference {packet['referral']['reference']}, referred on "
        f"{packet['referral']['referred_on']} to {packet['referral']['to']}. "
        f"Made on {packet['generated_on']}; packet version {packet['version']}.",
        "PERSON\n"
        + "\n".join(
            f"{label}: {value}"
            for label, value in (
                ("Name", person["name"]),
                ("Nationality", person["nationality"]),
                ("Preferred language", person["preferred_language_name"]),
                ("State", person["state"]),
                ("Detained", "yes" if person["detained"] else "no"),
                ("Detention facility", person["detention_facility"]),
            )
            if value
        ),
        "CONTACT\n"
        + "\n".join(
            line
            for line in (
                f"Phone: {contact['phone']}" if contact["phone"] else "",
                f"Email: {contact['email']}" if contact["email"] else "",
                contact["rule"],
                contact["language_rule"],
            )
            if line
        ),
    ]
    blocks.append(
        "DEADLINES\n"
        + (
            "\n".join(
                f"{d['label']}: last day {d['last_day']}"
                + (f" to {d['last_day_latest']}" if d["last_day_latest"] != d["last_day"] else "")
                + (" (passed)" if d["passed"] else "")
                + f". Source: {d['source']}. {d['note']}".rstrip()
                for d in packet["deadlines"]
            )
            or "None computed from the answers."
        )
    )
    if packet["flags"]:
        blocks.append(
            "FLAGS\n" + "\n".join(f"{f['text']}. Source: {f['source']}" for f in packet["flags"])
        )
    blocks.append(
        "POSSIBLE RELIEF (a list to check, not an assessment)\n"
        + (
            "\n".join(
                f"{r['name']}: {r['reason']} Source: {r['source']}"
                for r in packet["possible_relief"]
            )
            or "None pointed to by the answers."
        )
    )
    blocks.append(
        "ANSWERS AS GIVEN\n"
        + "\n".join(f"{a['question']} {a['answer']}" for a in packet["answers"])
    )
    if packet["summary"]:
        blocks.append("IN THE PERSON'S WORDS\n" + packet["summary"])
    for letter in packet["letters"]:
        blocks.append(f"LETTER SENT {letter['sent_on']}: {letter['subject']}\n{letter['body']}")
    return f"Referral packet {packet['referral']['reference']}", "\n\n".join(blocks)

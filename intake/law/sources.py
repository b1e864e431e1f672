"""Where each rule comes from, as staff read it beside a reason, deadline, flag
or form of relief (quoted where the rules rely on the wording).

Where a rule is the organisation's own policy rather than law, its source says
so through ``POLICY``: the page shows it in the organisation's own words
(``cite``), so the rules need no configuration.
"""

POLICY = "{organisation policy}"


def cite(source: str, policy: str) -> str:
    """The source as staff read it, with ``policy`` naming the organisation's policy."""
    return source.replace(POLICY, policy)


SRC_ONE_YEAR = (
    "INA 208(a)(2)(B); 8 CFR 208.4(a)(2)(ii), 1208.4(a)(2)(ii) "
    "(1 year from the date of last arrival)"
)
SRC_UAC = (
    "INA 208(a)(2)(E) (the one-year limit does not apply to an unaccompanied alien child); "
    "6 U.S.C. 279(g)(2) (definition: under 18, no lawful status, no parent or legal guardian "
    "in the US available to care for them)"
)
SRC_MAINTAINED = (
    "8 CFR 208.4(a)(5)(iv) (maintained TPS, lawful status or parole until a reasonable period "
    "before filing); Matter of T-M-H- & S-W-C-, 25 I&N Dec. 193 (BIA 2010) (reasonable period)"
)
SRC_EXCEPTIONS = (
    "INA 208(a)(2)(D); 8 CFR 208.4(a)(4) (changed) and (a)(5) (extraordinary circumstances)"
)
SRC_BIA_APPEAL = (
    "8 CFR 1003.38(b) (30 calendar days after an oral decision or the mailing of a written one); "
    "Matter of Morales-Morales, 28 I&N Dec. 714 (BIA 2023) (a claim-processing rule: "
    "late appeals only by equitable tolling)"
)
SRC_REOPEN_90 = "INA 240(c)(7)(C)(i); 8 CFR 1003.23(b)(1) (within 90 days of a final order)"
SRC_IN_ABSENTIA = (
    "INA 240(b)(5)(C)(i) (180 days, exceptional circumstances), (C)(ii) (any time: no notice, "
    "or in federal or state custody); 8 CFR 1003.23(b)(4)(ii)"
)
SRC_FINAL_ORDER = f"{POLICY}: a removal order with no appeal pending is never below high"
SRC_PETITION_FOR_REVIEW = "INA 242(b)(1) (petition for review within 30 days of the final order)"
SRC_REINSTATEMENT = (
    "INA 241(a)(5) (prior order reinstated, no relief under the Act); 8 CFR 208.31, 1208.31(e) "
    "(reasonable-fear interview; withholding of removal only)"
)
SRC_FEAR_INTERVIEW = (
    "8 CFR 208.30 (credible fear, expedited removal); 8 CFR 208.31(b) "
    "(reasonable fear: decided within 10 days of referral)"
)
SRC_MISSED_HEARING = "INA 240(b)(5)(A) (removal ordered in absentia when a person does not appear)"
SRC_HEARING = f"{POLICY}: a court hearing ranks high, then critical, as its date comes near"
SRC_APPOINTMENT = f"8 CFR 208.10 (missing an asylum interview); ICE check-in: {POLICY}"
SRC_DETENTION = f"{POLICY}: detention is critical"
SRC_MINOR = f"{POLICY}: a person under 18 ranks high"
SRC_SIJS = (
    "INA 101(a)(27)(J); 8 CFR 204.11(b) (under 21 at the time of filing); Special Immigrant "
    "Juvenile Petitions final rule, 87 FR 13066 (2022) (no denial for age once filed before 21)"
)
SRC_STATE_COURT = (
    "8 CFR 204.11(c) (a juvenile-court order is required); state law decides how long the "
    "court keeps jurisdiction"
)
SRC_PAROLE = (
    "INA 212(d)(5)(A) (parole for urgent humanitarian reasons); "
    "INA 208(a)(1) (asylum only in the US)"
)

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
    '8 CFR 208.4(a)(5)(iv) (an extraordinary circumstance: the applicant "maintained Temporary '
    "Protected Status, lawful immigrant or nonimmigrant status, or was given parole, until a "
    'reasonable period before the filing"; wording as quoted by the AILA practice pointer '
    '"The End of TPS and the Possibility of Seeking Asylum"); USCIS, "Obtaining Asylum in '
    'the United States" (status or parole "granted ... within one year" of the last arrival); '
    "the reasonable period is judged case by case: 8 CFR 208.4(a)(4)(ii), as read for changed "
    "circumstances in Matter of T-M-H- & S-W-C-, 25 I&N Dec. 193 (BIA 2010) (no automatic "
    "1-year extension)"
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
    "8 CFR 208.30 (credible fear, expedited removal); 8 CFR 208.31(b) (reasonable fear: "
    '"this determination will be conducted within 10 days of the referral": the asylum '
    "officer's interview, not the judge's review)"
)
SRC_CREDIBLE_FEAR_REVIEW = (
    'INA 235(b)(1)(B)(iii)(III) (review by an immigration judge "concluded as expeditiously as '
    "possible, to the maximum extent practicable within 24 hours, but in no case later than 7 "
    'days after the date of the determination"); 8 CFR 208.30(g), 1003.42(e)'
)
SRC_REASONABLE_FEAR_REVIEW = (
    "8 CFR 208.31(f)-(g), 1208.31(f)-(g) (review by an immigration judge on request; a person "
    "who does not answer is taken to decline review); the judge's 10 days to decide are in "
    "208.31(g) (its timing sentence not verified from the text found)"
)
SRC_DAY_COUNT = (
    '8 CFR 1003.38(b) ("If the final date for filing falls on a Saturday, Sunday, or legal '
    'holiday, this appeal time shall be extended to the next business day"); 8 CFR '
    "208.4(a)(2)(ii), 1208.4(a)(2)(ii); Monsalvo Velazquez v. Bondi, 604 U.S. ___ (2025); "
    "Matter of Escobar, 18 I&N Dec. 412 (BIA 1983); legal holidays: 5 U.S.C. 6103"
)
SRC_VOLUNTARY_DEPARTURE = (
    "INA 240B(a)(2)(A) (at most 120 days before the end of proceedings), (b)(2) (at most 60 days "
    "at the end), (b)(3) (bond); 8 CFR 1240.26(c)(3) (bond within 5 business days); INA 240B(d) "
    "(failing to depart: civil penalty of $1,000 to $5,000 and 10 years without voluntary "
    "departure, cancellation, adjustment, change of status or registry); 8 CFR 1240.26(e)(1) "
    "(a motion to reopen or reconsider ends the grant), (i) (so does a petition for review); "
    "Monsalvo Velazquez v. Bondi, 604 U.S. ___ (2025) (a last day on a weekend or holiday runs "
    "to the next business day)"
)
SRC_BOARD_DECISION = (
    'INA 242(b)(1) ("not later than 30 days after the date of the final order of removal"; '
    "a claim-processing rule: Riley v. Bondi, 606 U.S. ___ (2025)); 8 CFR 1003.2(b)(2) "
    "(reconsider: 30 days), 1003.2(c)(2) (reopen: 90 days); INA 240(c)(6)(B), (c)(7)(C)(i)"
)
SRC_REINSTATED_REVIEW = (
    "INA 242(b)(1) (30 days after the final order of removal); Riley v. Bondi, 606 U.S. ___ "
    "(2025) (a BIA order in withholding-only proceedings is not the final order: the 30 days "
    "run from the removal order itself)"
)
SRC_HEARING_FILINGS = (
    "EOIR Policy Manual, Appendix C and Part II, 3.1(b) (filings 30 days before an individual "
    "hearing; 15 days before a master hearing if asking for a ruling; detained: the deadline "
    "is set by the immigration court)"
)
SRC_ADDRESS = (
    'INA 239(a)(1)(F) (tell the Attorney General "immediately" of any change of address); '
    "EOIR Policy Manual, Appendix C and Part II, 2.2(c)-(d) (Form EOIR-33 within 5 days); "
    "8 CFR 1003.15(d); 8 CFR 1003.38(e) (Board: within five working days); INA 240(b)(5)(B) "
    "(no notice is owed at an address never given)"
)
SRC_IN_ABSENTIA_STAY = (
    'INA 240(b)(5)(C) ("The filing of the motion to reopen described in clause (i) or (ii) '
    'shall stay the removal of the alien pending disposition of the motion")'
)
SRC_UAC_TURNING_18 = (
    "INA 208(a)(2)(E) and 6 U.S.C. 279(g)(2) (an unaccompanied alien child is under 18); "
    "Matter of M-A-C-O-, 27 I&N Dec. 477 (BIA 2018) (after 18, the immigration judge has "
    "initial jurisdiction: it does not decide the one-year deadline)"
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
    "INA 101(a)(27)(J)(i) (declared dependent on a juvenile court); 8 CFR 204.11(c) (a "
    "juvenile-court order is required); state law decides how long the court keeps "
    "jurisdiction"
)
SRC_PAROLE = (
    "INA 212(d)(5)(A) (parole for urgent humanitarian reasons); "
    "INA 208(a)(1) (asylum only in the US)"
)

"""The rules: eligibility and urgency of a request for free asylum legal help.

Pure functions over the facts a person gives (standard library and well-kept
date libraries only: no Flask, no database), so every rule can be tested at the
edges of its dates and amounts and re-run whenever staff open a case. Every
outcome carries its reasons in plain English and its legal source, because staff
must see why a request was screened or ranked as it was before they act on it
or override it.

Where the law leaves a choice, the rules take the safe side: a deadline counted
from a date known only by its month is a range, ranked from its earliest day and
passed only after its latest; a last day rolls past weekends and holidays only
where a source says so; a doubtful answer sends the request to a person ("needs
review") or up the queue rather than screening it out.

One module per part that changes on its own schedule: the shared ``vocabulary``,
partial ``dates``, legal ``days`` (weekends and federal holidays), the office's
``working_days``, the ``facts``, ``deadlines``, ``juvenile_courts`` (each
state's age limit, as data), ``urgency`` (windows, thresholds, escalation),
``flags``, possible ``relief``, the ``screen``, ``income`` (the HHS guideline
data), ``sources`` and ``age_bands``.
"""

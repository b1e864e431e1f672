"""The staff reports (``/staff/reports``): aggregates for admins and analysts,
never a person.

``views`` (the blueprint: page, printable funder report, CSV), ``queries`` (the
database's exact counts), ``figures`` (counts named and published), ``ranges``
(whole weeks or months, rounding and suppression), ``charts`` (SVG).
"""

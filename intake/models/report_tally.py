"""Tallies of the reports' counts per block of days, and the triggers that keep
them exact.

A report over a year counts the same past days again and again; these tables
keep the counts of past months and weeks (``intake.staff.report_tallies``
writes and reads them), so a report reads a few thousand tallies and counts
only a few days afresh.

A tally is only ever used while it matches its month's ``version``. The
database itself raises that version on every write that can change a count —
a request received, closed, reopened, re-screened, its urgency refreshed (the
bulk UPDATEs of ``intake.cases.live_urgency`` included), a funder link, an outcome,
a referral, a deletion — through the triggers below, so no code path can forget
to, and a month written while it was being tallied is tallied again the next
time. A month that has never been tallied has no ``report_month`` row, so the
writes of the current month (every new request) update nothing.
"""

from sqlalchemy import DDL, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import db

EVERYONE = 0  # the funder_id of the tallies over all requests


class ReportMonth(db.Model):
    """A month that has been tallied, and how often it has changed since."""

    __tablename__ = "report_month"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-03"
    version: Mapped[int] = mapped_column(Integer, default=0)


class ReportTallied(db.Model):
    """The ``version`` of its month that a block's tallies for one funder (or
    for everyone) were counted at."""

    __tablename__ = "report_tallied"

    block: Mapped[str] = mapped_column(String(21), primary_key=True)  # "2026-03-01/2026-03-31"
    funder_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class ReportTally(db.Model):
    """One count of one figure of one block of days: ``figure`` names what is
    counted and ``key`` the category (see ``intake.staff.report_tallies``)."""

    __tablename__ = "report_tally"

    block: Mapped[str] = mapped_column(String(21), primary_key=True)
    funder_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    figure: Mapped[str] = mapped_column(String(30), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


# Every help_request column a report counts (intake.staff.report_queries).
COUNTED_COLUMNS = (
    "created_on",
    "urgency",
    "status",
    "disposition",
    "detained",
    "partner_id",
    "screen_override",
    "screen",
    "preferred_language",
    "nationality_code",
    "state",
    "claim_types",
    "age_band",
    "hours_to_close",
    "hours_to_first_contact",
)
# Tables whose rows count for the request they point at.
COUNTED_CHILDREN = ("case_outcome", "referral", "request_funder")
# Raise the version of the months in {months}, once each (an update within a
# month names it twice).
BUMP = "UPDATE report_month SET version = version + 1 WHERE month IN ({months});"
ROWS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}


def _bumps(month: str) -> dict[str, str]:
    """Per kind of write, the statement that raises the version of the
    month(s) of the row(s) written, ``month`` giving a row's month."""
    return {
        kind: BUMP.format(months=", ".join(month.format(row=row) for row in rows))
        for kind, rows in ROWS.items()
    }


def sqlite_triggers() -> list[str]:
    """SQLite: one trigger per table and kind of write."""
    request_month = "substr({row}.created_on, 1, 7)"
    child_month = "(SELECT substr(created_on, 1, 7) FROM help_request WHERE id = {row}.request_id)"
    update_of = " OF " + ", ".join(COUNTED_COLUMNS)
    tables = [("help_request", request_month, update_of)]
    tables += [(child, child_month, "") for child in COUNTED_CHILDREN]
    return [
        f"CREATE TRIGGER IF NOT EXISTS report_month_{table}_{kind.lower()} "
        f"AFTER {kind}{update_of if kind == 'UPDATE' else ''} ON {table} "
        f"FOR EACH ROW BEGIN {bump} END"
        for table, month, update_of in tables
        for kind, bump in _bumps(month).items()
    ]


def postgresql_triggers() -> list[str]:
    """PostgreSQL: a function for requests and one for the rows that point at
    a request, each run after every row written."""
    months = {
        "request": "to_char({row}.created_on, 'YYYY-MM')",
        "child": "(SELECT to_char(created_on, 'YYYY-MM') FROM help_request"
        " WHERE id = {row}.request_id)",
    }
    statements = []
    for name, month in months.items():
        bumps = _bumps(month)
        statements.append(
            f"CREATE OR REPLACE FUNCTION report_month_bump_{name}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'INSERT' THEN {bumps['INSERT']} "
            f"ELSIF TG_OP = 'DELETE' THEN {bumps['DELETE']} "
            f"ELSE {bumps['UPDATE']} END IF; "
            "RETURN NULL; END $$"
        )
    update_of = " OF " + ", ".join(COUNTED_COLUMNS)
    tables = [("help_request", "request", update_of)]
    tables += [(child, "child", "") for child in COUNTED_CHILDREN]
    statements += [
        f"CREATE OR REPLACE TRIGGER report_month_{table} "
        f"AFTER INSERT OR DELETE OR UPDATE{update_of} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION report_month_bump_{name}()"
        for table, name, update_of in tables
    ]
    return statements


def _create_triggers(target, connection, **_kw) -> None:
    """After ``create_all`` (the tests, the benchmarks, ``init-db``); the
    migration creates the same triggers on a migrated database."""
    dialect = connection.dialect.name
    statements = {"sqlite": sqlite_triggers, "postgresql": postgresql_triggers}.get(dialect)
    for statement in statements() if statements else ():
        connection.execute(DDL(statement.replace("%", "%%")))


event.listen(db.metadata, "after_create", _create_triggers)

"""``flask --app intake seed-demo N``: synthetic help requests for demos and benchmarks.

Every request is made of fictional answers (given and family names from many
cultures combined at random, phone numbers from the fictional 555-01xx range,
addresses at the reserved example.* domains), screened, ranked and stored by the
function that stores a real request (``help_requests.columns_for``), as on the
day it was sent: personal answers encrypted, phone and email hashed for
duplicate search. A few phone numbers are shared, written in
different ways, so duplicate search has something to find.

Demo rows are marked by their submission key (``demo:<n>``, which no form token
nonce can be), so running the command again tops up to N instead of doubling.
"""

import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import bindparam, func, insert, select

from intake import timeutil
from intake.cases import choice_lists, live_urgency
from intake.cases import stored_facts as facts
from intake.cases.funding import apply_funder
from intake.cases.help_requests import DEFAULT_SOURCE, columns_for, new_reference, thresholds_from
from intake.db import db
from intake.law.dates import PartialDate
from intake.law.screen import Means
from intake.law.vocabulary import CLAIM_TYPES, Urgency
from intake.models import (
    CaseOutcome,
    ContactAttempt,
    Funder,
    HelpRequest,
    Outcome,
    Referral,
    ReferralOrganisation,
    Release,
    StaffUser,
)
from intake.models.help_request import OPEN_STATUSES, STATUSES, hours_between
from intake.models.outcome import dispositions_for

KEY_PREFIX = "demo:"
BATCH = 2000
SPREAD_DAYS = 300  # created over the last ten months (inside the retention period)


@dataclass(frozen=True)
class Profile:
    """Where an applicant might come from: nationalities, languages, names."""

    nationalities: tuple[str, ...]
    languages: tuple[str, ...]
    given: tuple[str, ...]
    family: tuple[str, ...]
    weight: int


PROFILES = (
    Profile(
        ("GT", "HN", "SV", "NI", "MX", "VE", "CO", "EC", "PE", "CU"),
        ("es", "es", "es", "es", "quc", "mam", "kjb", "qu"),
        ("Lucía", "Mateo", "Ximena", "Joaquín", "Rosalba", "Esteban", "Marisol", "Ixchel"),
        ("Ajú Morales", "Tzul", "Castañeda", "Quispe", "Herrera Lux", "Mejía", "Orellana"),
        30,
    ),
    Profile(
        ("HT",),
        ("ht", "ht", "fr"),
        ("Wisline", "Jean-Robert", "Nadège", "Fritzner", "Guerline", "Wilner"),
        ("Pierre-Louis", "Dorvilier", "Jean-Baptiste", "Saintil", "Exantus"),
        8,
    ),
    Profile(
        ("AF", "IR"),
        ("prs", "ps", "fa"),
        ("Farid", "Mahsa", "Zarghuna", "Habibullah", "Shirin", "Nasrin", "Wahid"),
        ("Haidari", "Rahimi", "Noorzai", "Sadat", "Karimi", "Mohseni"),
        8,
    ),
    Profile(
        ("ER", "ET", "SO", "SD"),
        ("ti", "am", "so", "ar"),
        ("Selam", "Tesfay", "Hodan", "Mebrat", "Abdirahman", "Yohannes", "Ifrah"),
        ("Gebremedhin", "Tekle", "Warsame", "Haile", "Abdullahi", "Berhane"),
        7,
    ),
    Profile(
        ("RU", "UA", "BY", "GE", "UZ", "TJ", "KG"),
        ("ru", "uk", "ka", "uz", "tg"),
        ("Oksana", "Timur", "Nino", "Dilnoza", "Artem", "Giorgi", "Farrukh"),
        ("Kovalenko", "Beridze", "Yusupov", "Lebedeva", "Rakhimov", "Hrytsenko"),
        9,
    ),
    Profile(
        ("CN", "HK"),
        ("zh-cmn", "zh-yue"),
        ("Mei", "Jun", "Xiaoling", "Wai Man", "Haoran", "Yuk Ying"),
        ("Zhou", "Lam", "Guo", "Tsang", "Liang", "Fong"),
        5,
    ),
    Profile(
        ("CD", "CM", "SN", "GN", "MR", "ML", "CI", "BF"),
        ("fr", "ln", "wo", "ff", "fr"),
        ("Aminata", "Mamadou", "Grâce", "Ousmane", "Bintou", "Kalala", "Fatou"),
        ("Diallo", "Mbuyi", "Ndiaye", "Sow", "Nkemelu", "Kabongo", "Tchoumi"),
        9,
    ),
    Profile(
        ("SY", "IQ", "YE", "LB", "PS", "TR"),
        ("ar", "ar", "ku", "tr"),
        ("Rania", "Yousef", "Layla", "Karwan", "Samir", "Nour", "Zeynep"),
        ("Al-Haddad", "Barzani", "Khalil", "Darwish", "Yıldırım", "Saleh"),
        7,
    ),
    Profile(
        ("IN", "PK", "BD", "NP", "LK"),
        ("hi", "pa", "ur", "bn", "ne"),
        ("Harpreet", "Ayesha", "Rafiqul", "Sunita", "Imran", "Pemba", "Kavya"),
        ("Sandhu", "Chowdhury", "Gurung", "Qureshi", "Rahman", "Thapa"),
        6,
    ),
    Profile(
        ("MM", "VN", "KH"),
        ("my", "vi", "other"),
        ("Thandar", "Minh Anh", "Sokha", "Aung Ko", "Thu Trang"),
        ("Naing", "Nguyen", "Chhay", "Htun", "Pham"),
        3,
    ),
    Profile(
        ("BR", "AO", "MZ", "RO", "MD"),
        ("pt", "pt", "ro"),
        ("Thiago", "Luana", "Adilson", "Ioana", "Esperança", "Mihai"),
        ("Nascimento", "Cardoso", "Popescu", "Mabunda", "Ferreira"),
        4,
    ),
    Profile(
        ("NG", "GH", "CM", "UG", "KE", "TZ", "LR", "stateless", "other"),
        ("en", "en", "sw", "other"),
        ("Chiamaka", "Kwame", "Esi", "Babajide", "Wanjiru", "Tendai", "Amara"),
        ("Okafor", "Mensah", "Adeyemi", "Njoroge", "Kamau", "Otieno"),
        7,
    ),
)
ALL_LANGUAGES = tuple(code for code, _label in choice_lists.LANGUAGES)
assert set(ALL_LANGUAGES) == {lang for p in PROFILES for lang in p.languages}
NATIONALITY_CODES = frozenset(code for code, _label in choice_lists.NATIONALITY_CHOICES)
assert {n for p in PROFILES for n in p.nationalities} <= NATIONALITY_CODES
# The interface language someone would have used, where it is offered.
INTERFACE = choice_lists.CATALOGUE_OF_LANGUAGE

CLAIM_WEIGHTS = {
    "asylum": 60,
    "withholding": 20,
    "cat": 12,
    "tps": 10,
    "sijs": 4,
    "t_visa": 3,
    "u_visa": 4,
    "vawa": 3,
    "parole": 6,
    "other": 5,
}
assert CLAIM_WEIGHTS.keys() == {code for code, _ in CLAIM_TYPES}
STATE_WEIGHTS = {"NY": 18, "CA": 14, "TX": 12, "FL": 10, "NJ": 6, "IL": 5, "MA": 5}
STATE_WEIGHTS |= {"MD": 4, "VA": 4, "GA": 3, "WA": 3, "AK": 1, "HI": 1, "PR": 1}
STATES = tuple(code for code, _ in choice_lists.US_STATES)
FACILITIES = (
    "Riverbend Processing Center",
    "North Fork Detention Facility",
    "Cedar Plains Service Processing Center",
    "Harbor Point Contract Facility",
)
SUMMARIES = (
    "I need help with my asylum application before the deadline.",
    "My hearing is coming and I do not have a lawyer.",
    "I want to know if I can apply for protection.",
    "My family member is detained and needs a lawyer.",
    "I received a letter from the court and do not understand it.",
    "Necesito ayuda con mi caso de asilo.",
    "J'ai besoin d'aide pour ma demande d'asile.",
    "Mwen bezwen èd pou dosye azil mwen.",
    "أحتاج مساعدة في طلب اللجوء.",
    "Мне нужна помощь с заявлением на убежище.",
    "我需要庇护申请方面的帮助。",
)
STATUS_WEIGHTS_RECENT = {"new": 60, "in_review": 25, "accepted": 6, "referred": 4, "declined": 4}
STATUS_WEIGHTS_OLDER = {"new": 12, "in_review": 18, "accepted": 25, "referred": 20}
STATUS_WEIGHTS_OLDER |= {"declined": 15, "withdrawn": 7, "could_not_reach": 3}
assert (STATUS_WEIGHTS_RECENT.keys() | STATUS_WEIGHTS_OLDER.keys()) == set(STATUSES)
# About 1 request in 100 uses one of a few shared numbers (one per 1,000
# requests), so duplicate search finds groups of a handful each.
SHARED_PHONE_SHARE = 0.01
SHARED_PHONE_EVERY = 1000


def _pick(rng: random.Random, weights: dict):
    return rng.choices(tuple(weights), tuple(weights.values()))[0]


def _tri(rng: random.Random, yes: int, no: int, not_sure: int) -> str:
    return rng.choices(("yes", "no", "not_sure"), (yes, no, not_sure))[0]


class Generator:
    """Fictional requests, reproducible from a seed."""

    def __init__(self, seed: int, count: int, now: datetime):
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible
        self.now = now
        # 555-0100 to 555-0199 is reserved for fiction in every US area code:
        # drawn without repeats, so only the shared numbers below repeat.
        area_codes = range(201, 990)
        pool_size = len(area_codes) * 100
        picks = self.rng.sample(range(pool_size), min(count, pool_size))
        self.phones = [(area_codes[p // 100], 100 + p % 100) for p in picks]
        shared = max(2, count // SHARED_PHONE_EVERY)
        self.shared = self.phones[:shared]
        self.next_phone = shared
        self.profiles = PROFILES
        self.profile_weights = [p.weight for p in PROFILES]

    def phone(self) -> str:
        rng = self.rng
        if rng.random() < SHARED_PHONE_SHARE:
            area, line = rng.choice(self.shared)
            # The same number as different people write it.
            return rng.choice(
                (
                    f"+1 ({area}) 555-0{line}",
                    f"{area}.555.0{line}",
                    f"1-{area}-555-0{line}",
                    f"{area} 555 0{line}",
                )
            )
        # Past the pool (over ~79,000 phones) numbers repeat: more duplicates.
        area, line = self.phones[self.next_phone % len(self.phones)]
        self.next_phone += 1
        return f"({area}) 555-0{line}"

    def answers(self, index: int, created: date) -> tuple[dict, Means, dict]:
        """The stored facts, the screen's means and the other answers of one request."""
        rng = self.rng
        if index < len(ALL_LANGUAGES):  # every language at least once, even for a small N
            language = ALL_LANGUAGES[index]
            profile = next(p for p in PROFILES if language in p.languages)
        else:
            profile = rng.choices(self.profiles, self.profile_weights)[0]
            language = rng.choice(profile.languages)
        claims = {_pick(rng, CLAIM_WEIGHTS) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))}
        if index < len(CLAIM_WEIGHTS):
            claims.add(tuple(CLAIM_WEIGHTS)[index])
        detained = rng.random() < 0.07
        hearing = _tri(rng, 30, 62, 8)
        hearing_date = None
        if hearing == "yes" and rng.random() < 0.85:
            soon, weeks, later, passed = (1, 14), (15, 60), (61, 500), (-60, -1)
            low, high = rng.choices((soon, weeks, later, passed), (5, 15, 75, 5))[0]
            hearing_date = created + timedelta(days=rng.randint(low, high))
        # Most people look for help within their first year here.
        arrived = created - timedelta(days=rng.choice((rng.randint(5, 300), rng.randint(5, 1800))))
        arrival = PartialDate(
            arrived.year, arrived.month, arrived.day if rng.random() < 0.7 else None
        )
        household = rng.choices(range(1, 9), (20, 18, 18, 16, 12, 8, 5, 3))[0]
        income = None
        if rng.random() < 0.7:
            income = Decimal(rng.choice((0, rng.randint(100, 2500), rng.randint(2500, 9000))))
        means = Means(
            represented=_tri(rng, 6, 86, 8),
            can_pay=_tri(rng, 6, 86, 8),
            household_size=household,
            monthly_income_usd=income,
            state=_pick(rng, STATE_WEIGHTS) if rng.random() < 0.8 else rng.choice(STATES),
        )
        stored = {
            "asking_for": "self",
            "in_us": True,
            "detained": detained,
            "hearing": hearing,
            "hearing_date": facts.to_iso(hearing_date),
            "judge_decided": "no",
            "i589_filed": _tri(rng, 35, 57, 8),
            "last_arrival": facts.to_iso(arrival),
            "claim_types": sorted(claims),
            "harms": sorted({CLAIM_FACTS[c] for c in claims if c in CLAIM_FACTS}),
        }
        child = rng.random() < 0.06
        given, family = rng.choice(profile.given), rng.choice(profile.family)
        has_phone = rng.random() < 0.7
        has_email = not has_phone or rng.random() < 0.3
        email_name = "".join(ch for ch in f"{given}.{family}".lower() if ch.isascii() and ch != " ")
        other = {
            "preferred_language": language,
            "safe_to_message": _tri(rng, 45, 35, 20),
            "name": f"{given} {family}",
            "nationality": rng.choice(profile.nationalities),
            "phone": self.phone() if has_phone else None,
            "email": f"{email_name}{index}@example.{rng.choice(('org', 'net', 'com'))}"
            if has_email
            else None,
            "detention_facility": rng.choice(FACILITIES) if detained else None,
            "summary": rng.choice(SUMMARIES) if rng.random() < 0.6 else None,
            "interface_language": INTERFACE.get(language, "en"),
        }
        stored["date_of_birth"] = facts.to_iso(demo_birth(rng, child, created))
        return stored, means, other

    def created_at(self) -> datetime:
        return self.now - timedelta(seconds=self.rng.randrange(SPREAD_DAYS * 86400))

    def status(self, created: datetime) -> str:
        recent = self.now - created < timedelta(days=45)
        return _pick(self.rng, STATUS_WEIGHTS_RECENT if recent else STATUS_WEIGHTS_OLDER)


def demo_birth(rng: random.Random, child: bool, created: date) -> PartialDate | None:
    """A date of birth, a child's or an adult's (about one in five left out, as
    people do), sometimes with the month only."""
    if rng.random() < 0.2:
        return None
    years = rng.randint(6, 17) if child else rng.choice((rng.randint(18, 40), rng.randint(18, 75)))
    born = created - timedelta(days=years * 365 + rng.randint(30, 330))
    return PartialDate(born.year, born.month, born.day if rng.random() < 0.8 else None)


# The fact a person would have told for each protection they ticked, so demo
# requests are screened on facts as the form's are.
CLAIM_FACTS = {
    "asylum": "afraid_to_return",
    "withholding": "afraid_to_return",
    "cat": "harmed_or_threatened",
    "u_visa": "crime_victim_in_us",
    "t_visa": "forced_labour_or_sex",
    "vawa": "hurt_by_citizen_or_resident_family",
    "sijs": "abused_by_parent_under_21",
}


def caught_up(row: dict, today: date) -> dict:
    """The urgency columns of a demo request once every step since it was sent has
    come, as ``live_urgency.bring_up_to_date`` would have applied them (no rise is
    marked: nobody was there to see it), so the queue of a fresh demo database has
    its steps ahead of it like a real one."""
    steps = live_urgency.steps_of(row["urgency_steps"])
    rank, _come, ahead = live_urgency.advance(row["urgency_rank"], steps, today)
    band = next(u for u in Urgency if u.rank == rank)
    return {
        "urgency": band.value,
        "urgency_rank": rank,
        **live_urgency.step_columns(ahead),
        "next_event_on": live_urgency.next_event_on(row["dated_events"], today),
    }


def demo_count() -> int:
    return db.session.execute(
        select(func.count(HelpRequest.id)).where(HelpRequest.submission_key.startswith(KEY_PREFIX))
    ).scalar_one()


def seed_demo(app: Flask, count: int, *, append: bool = False, seed: int = 8) -> int:
    """Add demo requests until there are ``count`` (or ``count`` more with
    ``append``); returns how many were added. Needs an app context."""
    existing = demo_count()
    start = existing
    todo = count if append else max(0, count - existing)
    if todo == 0:
        return 0
    now = timeutil.utcnow()
    generator = Generator(seed * 1_000_003 + start, todo, now)
    thresholds = thresholds_from(app)
    staff = list(
        db.session.execute(
            select(StaffUser.id).where(StaffUser.role.in_(("reviewer", "volunteer", "admin")))
        ).scalars()
    )
    sources = [DEFAULT_SOURCE, DEFAULT_SOURCE] + list(
        db.session.execute(select(Release.slug).where(Release.is_published)).scalars()
    )
    rng = generator.rng
    table = HelpRequest.__table__
    batch = []
    for offset in range(todo):
        created = generator.created_at()
        stored, means, other = generator.answers(offset, created.date())
        interface = other.pop("interface_language")
        status = generator.status(created)
        row = columns_for(stored, means, created.date(), thresholds, **other)
        row.update(caught_up(row, now.date()))
        # Staff touched it after it came in, unless it is still new.
        touched = (
            created if status == "new" else min(now, created + timedelta(hours=rng.randint(2, 480)))
        )
        closed = status not in OPEN_STATUSES
        row.update(
            reference=new_reference(),
            submission_key=f"{KEY_PREFIX}{start + offset}",
            created_at=created,
            updated_at=touched,
            disposition=rng.choice(dispositions_for(status)).value if closed else None,
            closed_at=touched if closed else None,
            version=1,
            status=status,
            assignee_id=rng.choice(staff)
            if staff and status != "new" and rng.random() < 0.7
            else None,
            screen_override=None,
            interface_language=interface,
            source=rng.choice(sources),
            partner_id=None,
        )
        batch.append(row)
        if len(batch) == BATCH:
            db.session.execute(insert(table), batch)
            batch = []
    if batch:
        db.session.execute(insert(table), batch)
    _outcomes(rng, now)
    _contact_attempts(rng, now, staff)
    _referrals(rng, now)
    _funders()
    db.session.commit()
    return todo


OUTCOME_PATHS = (
    (Outcome.FILED,),
    (Outcome.FILED, Outcome.GRANTED),
    (Outcome.FILED, Outcome.DENIED),
    (Outcome.FILED, Outcome.DENIED, Outcome.APPEALED),
    (Outcome.TRANSFERRED,),
    (Outcome.WITHDRAWN,),
)


def _outcomes(rng: random.Random, now: datetime) -> None:
    """What became of most accepted demo cases without one yet: a filing, then
    perhaps a decision, each some weeks after the last step."""
    has_outcome = select(CaseOutcome.request_id)
    accepted = db.session.execute(
        select(HelpRequest.id, HelpRequest.closed_at).where(
            HelpRequest.submission_key.startswith(KEY_PREFIX),
            HelpRequest.disposition == "accepted",
            HelpRequest.id.not_in(has_outcome),
        )
    ).all()
    rows = []
    for request_id, closed_at in accepted:
        if rng.random() < 0.2:
            continue  # nothing yet
        day = (closed_at or now).date()
        for kind in rng.choice(OUTCOME_PATHS):
            day += timedelta(days=rng.randint(7, 120))
            if day > now.date():
                break
            rows.append(
                {
                    "request_id": request_id,
                    "kind": kind.value,
                    "happened_on": day,
                    "recorded_at": now,
                }
            )
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(CaseOutcome.__table__), rows[start : start + BATCH])


def _contact_attempts(rng: random.Random, now: datetime, staff: list[int]) -> None:
    """A first contact attempt for most demo requests staff have touched (and a
    few still new), some hours after they came in, without one yet."""
    attempted = select(ContactAttempt.request_id)
    rows = db.session.execute(
        select(HelpRequest.id, HelpRequest.created_at, HelpRequest.status).where(
            HelpRequest.submission_key.startswith(KEY_PREFIX),
            HelpRequest.id.not_in(attempted),
        )
    ).all()
    attempts, firsts = [], []
    for request_id, created_at, status in rows:
        if rng.random() > (0.3 if status == "new" else 0.95):
            continue
        at = min(
            now, created_at + timedelta(minutes=rng.randint(20, rng.choice((600, 4000, 12000))))
        )
        attempts.append(
            {
                "request_id": request_id,
                "actor_id": rng.choice(staff) if staff else None,
                "at": at,
                "channel": rng.choice(("phone", "phone", "text", "whatsapp", "email")),
                "outcome": rng.choice(("reached", "reached", "no_answer", "left_message")),
                "contact": "applicant",
            }
        )
        firsts.append({"b_id": request_id, "b_at": at, "b_hours": hours_between(created_at, at)})
    for start in range(0, len(attempts), BATCH):
        db.session.execute(insert(ContactAttempt.__table__), attempts[start : start + BATCH])
    table = HelpRequest.__table__
    statement = (
        table.update()
        .where(table.c.id == bindparam("b_id"))
        .values(first_contact_at=bindparam("b_at"), hours_to_first_contact=bindparam("b_hours"))
    )
    for start in range(0, len(firsts), BATCH):
        db.session.connection().execute(statement, firsts[start : start + BATCH])


DEMO_ORGANISATIONS = (
    # name, languages, states (fictional organisations)
    ("Demo: Riverside Immigrant Legal Clinic", " es ht ", " NY NJ "),
    ("Demo: Desert Border Defenders", " es ", " TX CA "),
    ("Demo: Great Lakes Asylum Project", " ar fr prs ", " IL "),
    ("Demo: Coastal Children's Legal Aid", " es ", " FL "),
)


def _referrals(rng: random.Random, now: datetime) -> None:
    """A referral, with an outcome most of the time, for referred demo cases."""
    orgs = list(db.session.execute(select(ReferralOrganisation.id)).scalars())
    if not orgs:
        for name, languages, states in DEMO_ORGANISATIONS:
            org = ReferralOrganisation(name=name, languages=languages, states=states)
            db.session.add(org)
            db.session.flush()
            orgs.append(org.id)
    referred = db.session.execute(
        select(HelpRequest.id, HelpRequest.closed_at).where(
            HelpRequest.submission_key.startswith(KEY_PREFIX),
            HelpRequest.disposition == "referred",
            HelpRequest.id.not_in(select(Referral.request_id)),
        )
    ).all()
    rows = []
    for request_id, closed_at in referred:
        made = (closed_at or now).date()
        outcome = rng.choice(("accepted", "accepted", "declined", "no_answer", None))
        answered = min(now.date(), made + timedelta(days=rng.randint(1, 30)))
        rows.append(
            {
                "request_id": request_id,
                "organisation_id": rng.choice(orgs),
                "made_on": made,
                "made_at": closed_at or now,
                "method": rng.choice(("phone", "email", "web")),
                "consent": "form",
                "outcome": outcome,
                "outcome_on": answered if outcome else None,
            }
        )
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(Referral.__table__), rows[start : start + BATCH])


DEMO_FUNDERS = (
    # name, states, relief, languages (fictional funders)
    ("Demo: Empire State Immigrant Defense Fund", "NY", "", ""),
    ("Demo: Protection Claims Fund", "", "asylum withholding cat", ""),
    ("Demo: Haitian Creole Access Grant", "", "", "ht"),
)


def _funders() -> None:
    """Three fictional funders, when none is defined, applied to every request."""
    if db.session.execute(select(func.count(Funder.id))).scalar_one():
        return
    start = timeutil.today() - timedelta(days=SPREAD_DAYS + 30)
    for name, states, relief, languages in DEMO_FUNDERS:
        funder = Funder(
            name=name, active_from=start, states=states, claim_types=relief, languages=languages
        )
        db.session.add(funder)
        db.session.flush()
        apply_funder(funder)


@click.command("seed-demo")
@click.argument("count", type=click.IntRange(min=0))
@click.option("--append", is_flag=True, help="Add COUNT more instead of topping up to COUNT.")
@click.option("--seed", type=int, default=8, show_default=True, help="Random seed.")
@click.option("--force", is_flag=True, help="Run even with INTAKE_PRODUCTION on.")
@with_appcontext
def seed_demo_command(count: int, append: bool, seed: int, force: bool) -> None:
    """Store COUNT synthetic help requests (fictional people) for demos and benchmarks.

    Tops up to COUNT demo requests, so running it twice adds nothing the second time."""
    if current_app.config["PRODUCTION"] and not force:
        raise click.ClickException(
            "INTAKE_PRODUCTION is on: demo requests would mix with real ones in the "
            "staff queue. Use a demo database, or --force if this really is one."
        )
    started = time.perf_counter()
    added = seed_demo(current_app, count, append=append, seed=seed)
    seconds = time.perf_counter() - started
    click.echo(f"Added {added} demo requests in {seconds:.1f} s ({demo_count()} in all).")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)

"""The attack suite's staff world: one of everything a staff POST route can
change, a valid body for each route, and a snapshot of the whole database."""

from datetime import date, datetime
from urllib.parse import urlencode

from flask import url_for
from sqlalchemy import select

from intake import create_app
from intake.api import keys as api_keys
from intake.cases import packet_links
from intake.db import db
from intake.messages import inbound
from intake.models import Funder, HelpRequest, Invitation, Letter, Release, StaffUser
from intake.staff.accounts import operations as accounts
from intake.staff.accounts import second_factor
from intake.staff.followup import outreach, referrals
from intake.timeutil import utcnow

from .apps import TEST_KEYS
from .staff import next_totp_code

OWN = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}


def staff_post_endpoints() -> list[str]:
    """Every endpoint under /staff/ that takes a POST, from the app's own URL map."""
    app = create_app({**TEST_KEYS, "SQLALCHEMY_DATABASE_URI": "sqlite://", "AUTO_MIGRATE": False})
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/staff/") and "POST" in rule.methods
        }
    )


# A body that makes a real change through each route (the control proves it);
# ``w`` is the World below. Anonymous routes (login, enrolment) post as a visitor.
VALID = {
    "staff.login.login": lambda w: {
        "email": w.other.email,
        "password": w.other.password,
        "code": next_totp_code(w.app, w.other),
    },
    "staff.login.enrol": lambda w: {
        "password": "a brand new passphrase",
        "confirm": "a brand new passphrase",
        "code": second_factor.code_for(w.pending_secret(), second_factor.current_step()),
    },
    "staff.login.logout": lambda w: {},
    "staff.login.account": lambda w: {
        "current": w.admin.password,
        "password": "another long passphrase",
        "confirm": "another long passphrase",
    },
    "staff.users.invite": lambda w: {"email": "new.person@staff.example", "role": "reviewer"},
    "staff.users.change_role": lambda w: {"role": "admin"},
    "staff.users.deactivate": lambda w: {},
    "staff.users.reactivate": lambda w: {},
    "staff.users.reinvite": lambda w: {},
    "staff.triage.take_next": lambda w: {},
    "staff.triage.add_note": lambda w: {"text": "A note."},
    "staff.triage.choose_reminders": lambda w: {"do": "stop"},
    "staff.triage.assign": lambda w: {"assignee": str(w.admin.id), "version": "1"},
    "staff.triage.change_status": lambda w: {"status": "in_review", "version": "1"},
    "staff.triage.close": lambda w: {
        "disposition": "duplicate",
        "reason": "Same person.",
        "version": "1",
    },
    "staff.triage.override_screen": lambda w: {
        "screen": "needs_review",
        "reason": "Checked.",
        "version": "1",
    },
    "staff.triage.correct_fact": lambda w: {
        "fact": "hearing_date",
        "month": "6",
        "day": "2",
        "year": "2027",
        "reason": "The notice says so.",
        "version": "1",
    },
    "staff.triage.correct_answer": lambda w: {
        "answer": "moved=yes",
        "reason": "They told us.",
        "version": "1",
    },
    "staff.triage.set_urgency": lambda w: {
        "urgency": "critical",
        "reason": "Called them.",
        "version": "1",
    },
    "staff.triage.record_outcome": lambda w: {"kind": "filed", "happened_on": w.today},
    "staff.funders.new": lambda w: {"name": "New fund", "active_from": "2026-01-01"},
    "staff.funders.edit": lambda w: {"name": "Renamed fund", "active_from": "2026-01-01"},
    "staff.letters.compose": lambda w: {"body": "We are not able to take your case."},
    "staff.letter_templates.edit": lambda w: {"body": "{date}\n\nEstimado/a {name}:"},
    "staff.followup.record_contact": lambda w: {"channel": "phone", "outcome": "no_answer"},
    "staff.followup.book_callback": lambda w: {
        "kind": "callback",
        "day": "2099-01-01",
        "at": "10:00",
        "owner": str(w.admin.id),
    },
    "staff.followup.close_callback": lambda w: {"state": "done"},
    "staff.followup.refer": lambda w: {
        "organisation": str(w.organisation_id),
        "method": "phone",
        "made_on": "2026-12-01",
        "consent_confirmed": "y",
    },
    "staff.followup.referral_outcome": lambda w: {
        "outcome": "accepted",
        "outcome_on": "2099-01-01",
    },
    "staff.followup.add_adverse_party": lambda w: {"relationship": "abuser", "name": "A Person"},
    "staff.directory.new": lambda w: {"name": "New", "refer_by": "phone", "how_to_refer": "1"},
    "staff.directory.edit": lambda w: {"name": "Renamed", "refer_by": "phone", "how_to_refer": "1"},
    "staff.partners.new": lambda w: {"name": "New", "origins": "https://new.example.org"},
    "staff.partners.show": lambda w: {"name": "Renamed", "origins": "https://press.example.org"},
    "staff.partners.toggle_active": lambda w: {"active": "0"},
    "staff.editorial.new": lambda w: {
        "title": "New release",
        "section": "Press",
        "published_on": "2026-01-02",
        "body_html": "<p>Body</p>",
        "save": "1",
    },
    "staff.editorial.edit": lambda w: {
        "title": "Edited",
        "section": "Press",
        "published_on": "2026-01-02",
        "body_html": "<p>Edited</p>",
        "save": "1",
    },
    "staff.followup.send_packet": lambda w: {},
    "staff.followup.revoke_packet": lambda w: {},
    "staff.api_keys.create": lambda w: {"name": "System", "organisation": str(w.organisation_id)},
    "staff.api_keys.revoke": lambda w: {},
    "staff.messages.send": lambda w: {"body": "Hello."},
    "staff.message_templates.edit": lambda w: {"body": "Call {organisation} on {helpline}."},
    "staff.message_inbox.attach": lambda w: {"reference": w.case.reference},
    "staff.message_inbox.answer": lambda w: {"body": "Hello."},
    "staff.message_inbox.dismiss": lambda w: {},
    "staff.editorial.publish": lambda w: {},
    "staff.editorial.unpublish": lambda w: {},
}
ANONYMOUS = {"staff.login.login", "staff.login.enrol"}
# The wording the edit route changes is named in its query.
WORDING = {"name": "cita", "language": "es"}
# Their referral is to an organisation that takes referrals by email.
PACKET_ROUTES = {"staff.followup.send_packet", "staff.followup.revoke_packet"}


class World:
    """An admin logged in on ``client`` (the victim's session), another admin on
    ``other_client`` (the attacker's own session), and one of everything a
    staff route can change."""

    def __init__(self, app, make_staff, login_as, make_request, make_release, make_partner):
        self.app = app
        self.admin = make_staff("admin")
        self.other = make_staff("admin")
        self.target = make_staff("reviewer")
        self.inactive = make_staff("reviewer")
        self.case = make_request()
        with app.app_context():
            db.session.get(StaffUser, self.inactive.id).active = False
            _, self.token = accounts.invite_staff("invited@staff.example", "volunteer")
            db.session.commit()
        self.release_id = self._release_id(make_release(is_published=False))
        self.partner = make_partner()
        self.today = utcnow().date().isoformat()
        self.accepted = make_request(status="accepted", disposition="accepted", closed_at=utcnow())
        with app.app_context():
            funder = Funder(name="A fund", active_from=date(2026, 1, 1))
            db.session.add(funder)
            db.session.commit()
            self.funder_id = funder.id
        self.organisation_id, self.callback_id, self.referral_id = self._follow_up()
        self.letter_id = self._letter()
        self.packet_referral_id, self.packet_id, self.key_id = self._hand_off()
        self.message_id = self._unknown_number_wrote()
        self.client = app.test_client()
        self.other_client = app.test_client()
        login_as(self.client, self.admin)
        login_as(self.other_client, self.other)

    def _release_id(self, slug):
        with self.app.app_context():
            return db.session.execute(select(Release.id).filter_by(slug=slug)).scalar_one()

    def _letter(self) -> int:
        """A letter sent on the case."""
        with self.app.app_context():
            letter = Letter(
                request_id=self.case.id, kind="received", language="en", subject="S", body="B"
            )
            db.session.add(letter)
            db.session.commit()
            return letter.id

    def _follow_up(self) -> tuple[int, int, int]:
        """A directory entry, a callback and a referral on the case."""
        with self.app.app_context():
            actor = db.session.get(StaffUser, self.admin.id)
            case = db.session.get(HelpRequest, self.case.id)
            org = referrals.create_organisation(
                referrals.OrganisationFields(name="Org", how_to_refer="1"), actor
            )
            callback = outreach.book_callback(
                case, actor, owner=actor, due_at=datetime(2099, 1, 1, 15, 0)
            )
            referral = referrals.refer(
                case,
                actor,
                organisation=org,
                method="phone",
                made_on=date(2026, 12, 1),
                staff_confirms_consent=True,
            )
            return org.id, callback.id, referral.id

    def _hand_off(self) -> tuple[int, int, int]:
        """A referral to an organisation taking referrals by email, its packet's
        link, and an API key."""
        with self.app.app_context():
            actor = db.session.get(StaffUser, self.admin.id)
            case = db.session.get(HelpRequest, self.case.id)
            org = referrals.create_organisation(
                referrals.OrganisationFields(
                    name="Mail org", refer_by="email", how_to_refer="intake@org.example"
                ),
                actor,
            )
            referral = referrals.refer(
                case,
                actor,
                organisation=org,
                method="email",
                made_on=date(2026, 12, 1),
                staff_confirms_consent=True,
            )
            sent = packet_links.send(case, referral, actor)
            key = api_keys.create("System", org, actor).key
            return referral.id, sent.packet.id, key.id

    def _unknown_number_wrote(self) -> int:
        """A text from a number no request has, waiting in the inbox."""
        with self.app.test_request_context():
            fields = {"MessageSid": "SM" + "0" * 32, "From": "+12125550199", "Body": "Hello?"}
            return inbound.receive(fields).id

    def pending_secret(self) -> str:
        with self.app.app_context():
            return db.session.execute(
                select(Invitation.pending_totp_secret).where(Invitation.used_at.is_(None))
            ).scalar_one()

    def url(self, endpoint: str) -> str:
        values = {
            "reference": (
                self.accepted if endpoint == "staff.triage.record_outcome" else self.case
            ).reference,
            "funder_id": self.funder_id,
            "release_id": self.release_id,
            "partner_id": self.partner.id,
            "user_id": (self.inactive if endpoint == "staff.users.reactivate" else self.target).id,
            "token": self.token,
            "org_id": self.organisation_id,
            "callback_id": self.callback_id,
            "referral_id": (
                self.packet_referral_id if endpoint in PACKET_ROUTES else self.referral_id
            ),
            "kind": "non_engagement",
            "language": "es",
            "letter_id": self.letter_id,
            "packet_id": self.packet_id,
            "key_id": self.key_id,
            "message_id": self.message_id,
        }
        with self.app.test_request_context():
            rule = next(self.app.url_map.iter_rules(endpoint))
            return url_for(endpoint, **{k: values[k] for k in rule.arguments})

    def post_url(self, endpoint: str) -> str:
        """Where a form of ``endpoint`` posts: its URL, and the query naming what
        it changes where the route has one."""
        url = self.url(endpoint)
        return url + "?" + urlencode(WORDING) if endpoint == "staff.message_templates.edit" else url

    def page_for(self, endpoint: str) -> str:
        """A page of ours with a form, for the token (any staff page carries one)."""
        if endpoint == "staff.login.enrol":
            return self.url(endpoint)
        return "/staff/login" if endpoint in ANONYMOUS else "/staff/account"


def snapshot(app) -> dict:
    """Every row of every table, to compare before and after."""
    with app.app_context(), db.engine.connect() as conn:
        return {
            table.name: sorted(map(tuple, conn.execute(table.select())), key=repr)
            for table in db.metadata.sorted_tables
        }

"""Referrals: the fit ranking (pure), consent, the directory and outcomes."""

from datetime import date

import pytest

from intake.db import db
from intake.models import AuditEvent, HelpRequest, Referral, ReferralOrganisation, StaffUser
from intake.staff.followup import referrals
from intake.staff.followup.referrals import CaseFacts, OrganisationFields, ReferralError


def org(name, **fields):
    values = {
        "languages": " es ",
        "states": " NY ",
        "reliefs": " asylum ",
        "serves_detained": False,
        "detention_centres": "",
        "accepting": True,
        "active": True,
        **fields,
    }
    return ReferralOrganisation(name=name, **values)


SPANISH_NY_ASYLUM = CaseFacts("es", "NY", frozenset({"asylum"}), detained=False)


def names(fits):
    return [f.organisation.name for f in fits]


def test_suggestions_are_ranked_by_fit():
    orgs = [
        org("Z: everything but closed", accepting=False),
        org("Y: wrong state", states=" NJ "),
        org("X: wrong language", languages=" fr "),
        org("W: exact fit"),
        org("V: exact fit and more relief", reliefs=" asylum sijs "),
        org("U: inactive", active=False),
    ]
    ranked = referrals.rank(orgs, SPANISH_NY_ASYLUM)
    assert names(ranked) == [
        "V: exact fit and more relief",
        "W: exact fit",
        "X: wrong language",
        "Y: wrong state",
        "Z: everything but closed",
    ]
    assert ranked[1].matches == ("Serves New York", "Speaks Spanish", "Relief: asylum")
    assert ranked[2].gaps == ("Does not speak Spanish",)
    assert ranked[-1].gaps[0] == "Not accepting new cases now"


def test_relief_in_common_orders_otherwise_equal_organisations():
    case = CaseFacts("es", "NY", frozenset({"asylum", "u_visa"}), detained=False)
    ranked = referrals.rank([org("A: asylum"), org("B: both", reliefs=" asylum u_visa ")], case)
    assert names(ranked) == ["B: both", "A: asylum"]


def test_for_a_detained_person_the_centre_comes_first():
    case = CaseFacts("es", "NY", frozenset({"asylum"}), detained=True, facility="Elizabeth  CDF")
    ranked = referrals.rank(
        [
            org("A: fits, no detention"),
            org("B: detained, other state", serves_detained=True, states=" NJ "),
            org(
                "C: visits the centre",
                serves_detained=True,
                states=" NJ ",
                languages=" fr ",
                detention_centres="Delaney Hall\nelizabeth cdf",
            ),
        ],
        case,
    )
    assert names(ranked) == [
        "C: visits the centre",
        "B: detained, other state",
        "A: fits, no detention",
    ]
    assert ranked[0].matches[0] == "Visits the detention centre named"
    assert ranked[2].gaps[0] == "Does not serve people in detention"


def test_every_organisation_speaks_english():
    case = CaseFacts("en", "NY", frozenset(), detained=False)
    assert referrals.rank([org("A", languages=" ")], case)[0].matches == (
        "Serves New York",
        "Speaks English",
    )


@pytest.mark.parametrize(
    ("answer", "staff_confirms", "basis"),
    [
        (True, False, "form"),
        (True, True, "told_staff"),
        (False, True, "told_staff"),
        (False, False, None),
    ],
)
def test_consent_to_share(answer, staff_confirms, basis):
    assert referrals.consent_basis(answer, staff_confirms) == basis


# --- with the database -----------------------------------------------------------------


FIELDS = OrganisationFields(
    name="  Immigrant   Justice Center ",
    languages=("es", "fr"),
    states=("NY",),
    reliefs=("asylum", "sijs"),
    refer_by="email",
    how_to_refer="intake@ijc.example.org",
)


@pytest.fixture
def admin(make_staff):
    return make_staff("admin")


def test_the_directory_stores_codes_and_refuses_what_is_not_on_the_lists(app, admin):
    with app.app_context():
        actor = db.session.get(StaffUser, admin.id)
        made = referrals.create_organisation(FIELDS, actor)
        assert (made.name, made.languages, made.reliefs) == (
            "Immigrant Justice Center",
            " es fr ",
            " asylum sijs ",
        )
        bad = [
            (OrganisationFields(name=" "), "name"),
            (OrganisationFields(name="A", languages=("xx",), how_to_refer="1"), "language"),
            (OrganisationFields(name="A", states=("ZZ",), how_to_refer="1"), "state"),
            (OrganisationFields(name="A", reliefs=("other",), how_to_refer="1"), "relief"),
            (OrganisationFields(name="A", refer_by="fax", how_to_refer="1"), "how to refer"),
            (OrganisationFields(name="A"), "number, address or web form"),
            (OrganisationFields(name="A", refer_by="email", how_to_refer="nope"), "email"),
            (OrganisationFields(name="A", refer_by="web", how_to_refer="http://x"), "https://"),
            (OrganisationFields(name="A" * 161, how_to_refer="1"), "too long"),
        ]
        for fields, message in bad:
            with pytest.raises(ReferralError, match=message):
                referrals.create_organisation(fields, actor)
        referrals.update_organisation(
            made, OrganisationFields(**{**FIELDS.__dict__, "accepting": False}), actor
        )
        details = db.session.execute(
            db.select(AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id)
        ).all()
        assert [tuple(d) for d in details] == [
            ("referral_org.create", ""),
            ("referral_org.update", "accepting"),
        ]


def test_a_referral_needs_the_applicants_consent(app, make_request, admin):
    said_no, said_yes = make_request(share_consent=False), make_request(share_consent=True)
    with app.app_context():
        actor = db.session.get(StaffUser, admin.id)
        organisation = referrals.create_organisation(FIELDS, actor)
        no = db.session.get(HelpRequest, said_no.id)
        with pytest.raises(ReferralError, match="not agreed to share"):
            referrals.refer(
                no, actor, organisation=organisation, method="email", made_on=date(2026, 12, 1)
            )
        assert not referrals.has_referral(no)
        spoken = referrals.refer(
            no,
            actor,
            organisation=organisation,
            method="phone",
            made_on=date(2026, 12, 1),
            staff_confirms_consent=True,
        )
        assert spoken.consent == "told_staff" and referrals.has_referral(no)
        yes = db.session.get(HelpRequest, said_yes.id)
        by_form = referrals.refer(
            yes, actor, organisation=organisation, method="email", made_on=date(2026, 12, 1)
        )
        assert by_form.consent == "form"
        event = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.action == "case.referral").limit(1)
        ).scalar_one()
        assert event.target == said_no.reference and "consent=told_staff" in event.detail


def test_referral_input_is_checked(app, make_request, admin):
    case = make_request(share_consent=True)
    with app.app_context():
        actor = db.session.get(StaffUser, admin.id)
        organisation = referrals.create_organisation(FIELDS, actor)
        row = db.session.get(HelpRequest, case.id)
        made_on = date(2026, 12, 1)
        with pytest.raises(ReferralError, match="from the directory"):
            referrals.refer(row, actor, organisation=None, method="email", made_on=made_on)
        with pytest.raises(ReferralError, match="how the referral"):
            referrals.refer(row, actor, organisation=organisation, method="fax", made_on=made_on)
        with pytest.raises(ReferralError, match="before the referral"):
            referrals.refer(
                row,
                actor,
                organisation=organisation,
                method="email",
                made_on=made_on,
                follow_up_on=date(2026, 11, 30),
            )
        organisation.active = False
        with pytest.raises(ReferralError, match="from the directory"):
            referrals.refer(row, actor, organisation=organisation, method="email", made_on=made_on)


def test_an_outcome_with_its_follow_up(app, make_request, admin):
    case = make_request(share_consent=True)
    with app.app_context():
        actor = db.session.get(StaffUser, admin.id)
        organisation = referrals.create_organisation(FIELDS, actor)
        row = db.session.get(HelpRequest, case.id)
        referral = referrals.refer(
            row, actor, organisation=organisation, method="email", made_on=date(2026, 12, 1)
        )
        with pytest.raises(ReferralError, match="Choose the outcome"):
            referrals.record_outcome(
                referral, actor, row.reference, outcome="maybe", outcome_on=date(2026, 12, 2)
            )
        with pytest.raises(ReferralError, match="before the referral"):
            referrals.record_outcome(
                referral, actor, row.reference, outcome="accepted", outcome_on=date(2026, 11, 2)
            )
        referrals.record_outcome(
            referral, actor, row.reference, outcome="no_answer", outcome_on=date(2026, 12, 8)
        )
        stored = db.session.get(Referral, referral.id)
        assert (stored.outcome, stored.follow_up_on) == ("no_answer", date(2026, 12, 15))
        referrals.record_outcome(
            referral,
            actor,
            row.reference,
            outcome="accepted",
            outcome_on=date(2026, 12, 16),
            follow_up_on=date(2027, 1, 15),
        )
        assert (stored.outcome, stored.follow_up_on) == ("accepted", date(2027, 1, 15))


def test_suggestions_for_a_case_come_from_the_active_directory(app, make_request, admin):
    case = make_request(state="NY", preferred_language="es", claim_types=" asylum ")
    with app.app_context():
        actor = db.session.get(StaffUser, admin.id)
        referrals.create_organisation(FIELDS, actor)
        referrals.create_organisation(
            OrganisationFields(name="Far away", states=("CA",), how_to_refer="+1 415 555 0100"),
            actor,
        )
        referrals.create_organisation(
            OrganisationFields(name="Gone", states=("NY",), how_to_refer="1", active=False), actor
        )
        fits = referrals.suggestions(db.session.get(HelpRequest, case.id))
        assert names(fits) == ["Immigrant Justice Center", "Far away"]

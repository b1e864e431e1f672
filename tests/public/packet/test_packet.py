"""The referral packet, as staff send it and the receiving organisation opens it."""

import re
from datetime import timedelta

import pytest

from intake.db import db
from intake.models import AuditEvent, OutgoingMail, Referral, ReferralPacket
from intake.timeutil import utcnow
from tests.support.packets import as_json, mailed_links, send_packet
from tests.support.staff import events, post_case
from tests.support.tokens import form_token

pytestmark = pytest.mark.database
OWN = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}


def enter_code(client, link, code, **headers):
    token = form_token(client.get(link).get_data(as_text=True))
    return client.post(link, data={"code": code, "csrf_token": token}, headers=OWN | headers)


def opening_of(page: str) -> str:
    return re.search(r'name="opening" value="([^"]+)"', page).group(1)


def packets(app) -> list[ReferralPacket]:
    with app.app_context():
        rows = list(db.session.execute(db.select(ReferralPacket)).scalars())
        for row in rows:
            db.session.expunge(row)
        return rows


def stored_referral(app, referral_id) -> Referral:
    with app.app_context():
        row = db.session.get(Referral, referral_id)
        db.session.expunge(row)
        return row


@pytest.mark.parametrize(("share_consent", "consent"), [(False, "form"), (True, ""), (False, "")])
def test_a_packet_without_consent_is_refused(app, referred, share_consent, consent):
    case = referred(share_consent=share_consent, consent=consent)
    page = case.client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "No packet can be sent: the applicant has not agreed" in page
    response, code = send_packet(case)
    assert response.status_code == 302 and code is None
    followed = case.client.get(response.location).get_data(as_text=True)
    assert "has not agreed to share their request" in followed
    assert packets(app) == []
    with app.app_context():
        assert db.session.execute(db.select(OutgoingMail)).first() is None
    assert events(app, "case.packet_sent") == []


def test_consent_told_to_staff_is_enough(app, referred):
    response, code = send_packet(referred(share_consent=False, consent="told_staff"))
    assert response.status_code == 200 and code


def test_an_organisation_without_an_email_address_gets_no_packet(app, referred):
    response, code = send_packet(referred(refer_by="phone"))
    assert response.status_code == 302 and code is None and packets(app) == []


def test_the_code_is_shown_once_and_the_mail_carries_only_the_link(app, referred):
    case = referred()
    before = case.client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "Send the referral packet for referral 1" in before
    response, code = send_packet(case)
    assert response.status_code == 200 and re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert response.headers["Cache-Control"] == "no-store"
    (link,) = mailed_links(app)
    token = link.rsplit("/", 1)[1]
    (packet,) = packets(app)
    # Stored as keyed hashes: neither the token nor the code is a column's value.
    assert packet.token_hash != token and token not in packet.token_hash
    assert code.replace("-", "") not in packet.code_hash
    with app.app_context():
        (row,) = db.session.execute(db.select(OutgoingMail)).scalars()
        from intake.mail import registry

        message = registry.message_for(row.kind, "http://localhost").get_content()
    for secret in ("Applicant", "asilo", code, code.replace("-", ""), case.reference):
        assert secret not in message
    assert row.kind == f"referral_packet:{packet.id}"  # nothing of the packet in the row
    # The case page never shows the code again.
    page = case.client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert code not in page and "opened 0 times" in page
    (sent,) = events(app, "case.packet_sent")
    assert sent.detail == f"referral={case.referral_id} packet={packet.id}"


def test_the_code_opens_the_packet_and_every_opening_is_audited(app, referred):
    case = referred()
    _response, code = send_packet(case)
    (link,) = mailed_links(app)
    visitor = app.test_client()
    form = visitor.get(link)
    assert form.status_code == 200 and "Enter the code" in form.get_data(as_text=True)
    assert "Set-Cookie" not in form.headers
    first = enter_code(visitor, link, code.lower())  # typed as the receiver hears it
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
    for shown in (
        "Applicant",  # the name as given
        "Necesito ayuda con mi caso de asilo",  # the person's words, as given
        "One-year asylum filing deadline",
        "INA 208(a)(2)(B)",  # the deadline's source
        "Withholding of removal",
        "INA 241(b)(3)",
        "Do not leave a voicemail or written message",
        "Speak with the person in Spanish",
    ):
        assert shown in page, shown
    assert enter_code(visitor, link, code).status_code == 200
    opening = opening_of(page)
    pdf = visitor.post(f"{link}/pdf", data={"opening": opening}, headers=OWN)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    document = visitor.post(f"{link}/json", data={"opening": opening}, headers=OWN)
    packet = as_json(document)
    assert (packet["schema"], packet["version"]) == ("intake-referral-packet", "1.0")
    assert packet["person"]["name"].startswith("Applicant")
    assert {d["kind"] for d in packet["deadlines"]} == {"one_year"}
    assert {r["relief"] for r in packet["possible_relief"]} >= {"asylum", "withholding", "cat"}
    (stored,) = packets(app)
    assert stored.opened_count == 2
    audited = [(e.action, e.target) for e in events(app) if e.action.startswith("packet.")]
    assert audited == [("packet.open", str(stored.id))] * 2 + [
        ("packet.pdf", str(stored.id)),
        ("packet.json", str(stored.id)),
    ]
    for event in events(app):
        assert "Applicant" not in event.detail and code not in event.detail


def _generic(response, token: str) -> str:
    assert response.status_code == 404
    return response.get_data(as_text=True).replace(token, "TOKEN")


def test_expired_revoked_wrong_code_and_unknown_links_show_one_page(app, referred):
    pages = {}
    for situation in ("expired", "revoked", "wrong_code", "locked", "unknown"):
        case = referred()
        _response, code = send_packet(case)
        link = mailed_links(app)[-1]
        token = link.rsplit("/", 1)[1]
        packet_id = max(p.id for p in packets(app))
        visitor = app.test_client()
        if situation == "expired":
            with app.app_context():
                db.session.get(ReferralPacket, packet_id).expires_at = utcnow() - timedelta(
                    seconds=1
                )
                db.session.commit()
            response = visitor.get(link)
        elif situation == "revoked":
            revoked = post_case(
                case.client,
                case.reference,
                f"referrals/{case.referral_id}/packet/{packet_id}/revoke",
            )
            assert revoked.status_code == 302
            response = visitor.get(link)
        elif situation == "wrong_code":
            wrong = "ZZZZ-ZZZZ" if code != "ZZZZ-ZZZZ" else "YYYY-YYYY"
            response = enter_code(visitor, link, wrong)
        elif situation == "locked":
            with app.app_context():
                db.session.get(ReferralPacket, packet_id).wrong_codes = app.config[
                    "PACKET_CODE_ATTEMPTS"
                ]
                db.session.commit()
            response = visitor.get(link)
        else:
            token = "x" * 43
            response = visitor.get(f"/referral/{token}")
        pages[situation] = _generic(response, token)
        for secret in ("Applicant", "Immigrant Justice", case.reference, "asilo", "Enter the code"):
            assert secret not in pages[situation]
    assert len(set(pages.values())) == 1, "the pages differ"
    reasons = [e.detail for e in events(app, "packet.refused")]
    assert reasons == ["expired", "revoked", "wrong_code", "locked", "unknown"]


def test_wrong_codes_are_limited_per_link(app, referred):
    app.config["PACKET_CODE_ATTEMPTS"] = 3
    case = referred()
    _response, code = send_packet(case)
    (link,) = mailed_links(app)
    visitor = app.test_client()
    token = form_token(visitor.get(link).get_data(as_text=True))
    for _ in range(3):
        assert enter_code(visitor, link, "0000-0000").status_code == 404
    # The right code no longer opens it: staff send a new link.
    assert "Enter the code" not in visitor.get(link).get_data(as_text=True)
    right = visitor.post(link, data={"code": code, "csrf_token": token}, headers=OWN)
    assert right.status_code == 404 and "Applicant" not in right.get_data(as_text=True)
    assert packets(app)[0].wrong_codes == 3


def test_a_new_link_replaces_the_old_one(app, referred):
    case = referred()
    send_packet(case)
    (old,) = mailed_links(app)
    _response, code = send_packet(case)
    # The first link's mail, if still unsent, is not sent any more.
    (new,) = mailed_links(app)
    assert new != old
    visitor = app.test_client()
    assert visitor.get(old).status_code == 404
    assert enter_code(visitor, new, code).status_code == 200


def test_the_answer_updates_the_outcome_once(app, referred):
    case = referred()
    _response, code = send_packet(case)
    (link,) = mailed_links(app)
    visitor = app.test_client()
    opening = opening_of(enter_code(visitor, link, code).get_data(as_text=True))
    missing = visitor.post(
        f"{link}/answer", data={"opening": opening, "answer": "declined"}, headers=OWN
    )
    assert missing.status_code == 400
    assert "Say why you cannot take the case." in missing.get_data(as_text=True)
    assert stored_referral(app, case.referral_id).outcome is None
    accepted = visitor.post(
        f"{link}/answer", data={"opening": opening, "answer": "accepted"}, headers=OWN
    )
    assert accepted.status_code == 200
    referral = stored_referral(app, case.referral_id)
    assert referral.outcome == "accepted" and referral.outcome_on is not None
    again = visitor.post(
        f"{link}/answer",
        data={"opening": opening, "answer": "declined", "reason": "Full"},
        headers=OWN,
    )
    assert again.status_code == 409
    assert "This referral was already answered." in again.get_data(as_text=True)
    assert stored_referral(app, case.referral_id).outcome == "accepted"
    (event,) = events(app, "case.referral_outcome")
    assert event.actor_id is None and "outcome=accepted by=receiver" in event.detail


def test_a_decline_keeps_its_reason_encrypted(app, referred):
    case = referred()
    _response, code = send_packet(case)
    (link,) = mailed_links(app)
    visitor = app.test_client()
    opening = opening_of(enter_code(visitor, link, code).get_data(as_text=True))
    visitor.post(
        f"{link}/answer",
        data={"opening": opening, "answer": "declined", "reason": "No capacity in detention"},
        headers=OWN,
    )
    assert stored_referral(app, case.referral_id).outcome == "declined"
    with app.app_context():
        raw = db.session.execute(db.text("SELECT decline_reason FROM referral_packet")).scalar()
    assert raw and "capacity" not in raw
    assert packets(app)[0].decline_reason == "No capacity in detention"


def test_the_buttons_need_a_recent_opening_of_this_link(app, referred):
    first, second = referred(), referred()
    _r, code = send_packet(first)
    send_packet(second)
    link, other = mailed_links(app)
    visitor = app.test_client()
    opening = opening_of(enter_code(visitor, link, code).get_data(as_text=True))
    for path, data in (
        (f"{link}/json", {}),
        (f"{other}/json", {"opening": opening}),  # another link's opening
        (f"{link}/answer", {"opening": opening + "x", "answer": "accepted"}),
    ):
        response = visitor.post(path, data=data, headers=OWN)
        assert response.status_code == 404 and "Applicant" not in response.get_data(as_text=True)
    app.config["PACKET_OPENING_MINUTES"] = 0
    import time

    time.sleep(1.1)
    stale = visitor.post(f"{link}/json", data={"opening": opening}, headers=OWN)
    assert stale.status_code == 404
    refused = [e.detail for e in events(app, "packet.refused")]
    assert refused.count("not_opened") == 4


def test_a_link_withdrawn_after_opening_stops_answering(app, referred):
    case = referred()
    _r, code = send_packet(case)
    (link,) = mailed_links(app)
    visitor = app.test_client()
    opening = opening_of(enter_code(visitor, link, code).get_data(as_text=True))
    packet_id = packets(app)[0].id
    post_case(
        case.client, case.reference, f"referrals/{case.referral_id}/packet/{packet_id}/revoke"
    )
    answer = visitor.post(
        f"{link}/answer", data={"opening": opening, "answer": "accepted"}, headers=OWN
    )
    assert answer.status_code == 404
    assert stored_referral(app, case.referral_id).outcome is None


def test_another_site_cannot_post_the_code(app, referred):
    case = referred()
    _r, code = send_packet(case)
    (link,) = mailed_links(app)
    response = enter_code(
        app.test_client(),
        link,
        code,
        Origin="https://evil.example",
        **{"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403 and packets(app)[0].opened_count == 0


def test_the_audit_never_holds_the_token(app, referred):
    case = referred()
    _r, code = send_packet(case)
    (link,) = mailed_links(app)
    token = link.rsplit("/", 1)[1]
    enter_code(app.test_client(), link, code)
    with app.app_context():
        details = [e.detail + e.target for e in db.session.execute(db.select(AuditEvent)).scalars()]
    assert all(token not in d and code not in d for d in details)


def test_every_field_of_the_json_is_documented(app, referred):
    from pathlib import Path

    doc = (Path(__file__).parents[3] / "docs" / "referral-packet.md").read_text()
    case = referred()
    _r, code = send_packet(case)
    (link,) = mailed_links(app)
    visitor = app.test_client()
    opening = opening_of(enter_code(visitor, link, code).get_data(as_text=True))
    packet = as_json(visitor.post(f"{link}/json", data={"opening": opening}, headers=OWN))
    assert f"version **{packet['version']}**" in doc
    keys = set(packet)
    for value in packet.values():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                keys |= set(item)
    assert sorted(k for k in keys if f"`{k}`" not in doc) == []


def test_a_purged_case_takes_its_packets_with_it_and_its_link_opens_nothing(app, referred):
    from datetime import datetime

    from intake.cases import retention
    from intake.models import HelpRequest

    case = referred()
    send_packet(case)
    (link,) = mailed_links(app)
    with app.app_context():
        row = db.session.execute(
            db.select(HelpRequest).where(HelpRequest.reference == case.reference)
        ).scalar_one()
        row.status, row.updated_at = "declined", datetime(2000, 1, 1)
        db.session.commit()
        assert retention.purge().deleted == 1
        assert db.session.execute(db.select(ReferralPacket)).first() is None
    assert mailed_links(app) == []  # a queued message is not sent any more
    assert app.test_client().get(link).status_code == 404


@pytest.mark.parametrize(
    "summary", ["Necesito ayuda con mi caso de asilo", "我需要帮助，我害怕回国"]
)
def test_the_pdf_holds_the_packet_and_the_persons_own_words(app, referred, tmp_path, summary):
    import subprocess

    case = referred(summary=summary)
    _r, code = send_packet(case)
    (link,) = mailed_links(app)
    visitor = app.test_client()
    opening = opening_of(enter_code(visitor, link, code).get_data(as_text=True))
    document = visitor.post(f"{link}/pdf", data={"opening": opening}, headers=OWN)
    assert document.headers["Content-Disposition"] == 'attachment; filename="referral-packet.pdf"'
    path = tmp_path / "packet.pdf"
    path.write_bytes(document.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    words = " ".join(text.decode().split())
    for expected in (
        summary,
        "One-year asylum filing deadline",
        "INA 208(a)(2)(B)",
        "Do not leave a voicemail or written message",
        case.reference,
    ):
        assert expected in words, expected


def test_the_packet_pages_are_rate_limited_per_client(app_factory):
    limited = app_factory(RATELIMIT_ENABLED=True, PACKET_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    codes = [client.get(f"/referral/{'x' * 43}").status_code for _ in range(2)]
    codes.append(client.get(f"/es/referral/{'y' * 43}").status_code)
    codes.append(client.get(f"/referral/{'z' * 43}").status_code)
    assert codes == [404, 404, 404, 429]


def test_the_packet_holds_the_letters_sent_in_their_language(app, referred):
    from intake.models import HelpRequest, Letter

    case = referred()
    with app.app_context():
        request_id = db.session.execute(
            db.select(HelpRequest.id).where(HelpRequest.reference == case.reference)
        ).scalar_one()
        db.session.add(
            Letter(
                request_id=request_id,
                kind="referred",
                language="es",
                subject="Le remitimos a otra organización",
                body="Estimada persona:\n\nLe remitimos.",
            )
        )
        db.session.commit()
    _r, code = send_packet(case)
    (link,) = mailed_links(app)
    visitor = app.test_client()
    page = enter_code(visitor, link, code).get_data(as_text=True)
    assert '<article class="letter" lang="es" dir="ltr">' in page
    assert "Le remitimos a otra organización" in page
    opening = opening_of(page)
    packet = as_json(visitor.post(f"{link}/json", data={"opening": opening}, headers=OWN))
    assert [(x["subject"], x["language"]) for x in packet["letters"]] == [
        ("Le remitimos a otra organización", "es")
    ]


def test_switching_language_keeps_the_opened_packet(app, referred):
    """Opened in Spanish, switched to Arabic: the packet again, in Arabic, no
    code asked; the switch posts the opening token, and no URL holds anything
    of the packet but the link's own token."""
    _r, code = send_packet(referred())
    (link,) = mailed_links(app)
    token = link.rsplit("/", 1)[1]
    visitor = app.test_client()
    spanish = enter_code(visitor, f"/es{link}", code).get_data(as_text=True)
    assert "Descargar el PDF" in spanish
    opening = opening_of(spanish)
    switcher = re.search(r'<nav class="languages".*?</nav>', spanish, re.S).group(0)
    assert "<a " not in switcher  # buttons of the opening's form, not links
    assert f'formaction="/ar/referral/{token}"' in switcher
    assert 'form="packet-language"' in switcher
    arabic = visitor.post(f"/ar/referral/{token}", data={"opening": opening}, headers=OWN)
    page = arabic.get_data(as_text=True)
    assert arabic.status_code == 200 and 'lang="ar"' in page and 'dir="rtl"' in page
    assert "تنزيل ملف PDF" in page and "Necesito ayuda con mi caso de asilo" in page
    assert "Enter the code" not in page and 'name="code"' not in page
    assert opening_of(page) == opening  # the same opening: a switch never lengthens it
    # No address of the site on the page holds the opening, the code or a query.
    for address in re.findall(r'(?:href|action|formaction)="(/[^"]*)"', page):
        assert opening not in address and code not in address
        assert "?" not in address or "hl=" in address, address
    (stored,) = packets(app)
    assert stored.opened_count == 2  # the switch showed the packet: audited as an opening
    assert [e.action for e in events(app) if e.action.startswith("packet.")] == ["packet.open"] * 2
    # A stale or foreign opening gets the code page, never the packet.
    for bad in (opening + "x", ""):
        stale = visitor.post(f"/ar/referral/{token}", data={"opening": bad}, headers=OWN)
        assert 'name="code"' in stale.get_data(as_text=True)
        assert "Necesito" not in stale.get_data(as_text=True)
    # From another site the switch is refused like any post.
    foreign = visitor.post(
        f"/ar/referral/{token}",
        data={"opening": opening},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert foreign.status_code == 403

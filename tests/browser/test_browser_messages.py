"""Messages in real Chromium, with the real ``twilio`` client sending to a
stand-in for Twilio's API on the loopback: staff send a Spanish template from
the case page, the person's reply (a signed webhook, as Twilio posts it) appears
on the case, and after their STOP (in Spanish) the page offers no way to send.
axe-core finds no violation on the case page, the conversation, the inbox, the
message wording and the development provider's page."""

import json
import urllib.request
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect
from twilio.request_validator import RequestValidator

from intake.db import db
from intake.mail import outbox
from intake.models import MessageTemplate
from tests.support.browser import SETTLE_TIMEOUT_MS, browser_login
from tests.support.twilio_standin import TwilioStandIn

pytestmark = pytest.mark.browser

TOKEN = "browser-twilio-token"
ACCOUNT = "AC" + "fedcba9876543210" * 2
PHONE = "+12125550147"


@pytest.fixture
def standin():
    server = TwilioStandIn()
    yield server
    server.stop()


@pytest.fixture
def twilio_site(app, live_server, standin):
    """The live app, sending through the stand-in, its webhooks signed for its address."""
    app.config.update(
        MESSAGING_PROVIDER="twilio",
        TWILIO_ACCOUNT_SID=ACCOUNT,
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_FROM_SMS="+12125550100",
        TWILIO_API_BASE=standin.url,
        PUBLIC_BASE_URL=live_server.url,
    )
    return app


def post_inbound(base: str, body: str, sid: str) -> int:
    path = "/webhooks/twilio/messages"
    fields = {
        "MessageSid": sid,
        "AccountSid": ACCOUNT,
        "From": PHONE,
        "To": "+12125550100",
        "Body": body,
    }
    signature = RequestValidator(TOKEN).compute_signature(base + path, fields)
    request = urllib.request.Request(  # noqa: S310 - http to the loopback only
        base + path,
        data=urlencode(fields).encode(),
        headers={"X-Twilio-Signature": signature},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status


def test_spanish_template_reply_and_stop(
    twilio_site, page, standin, make_request, make_staff, axe_check
):
    app = twilio_site
    with app.app_context():
        db.session.add(
            MessageTemplate(
                name="cita", language="es", body="{organisation}: tiene una cita. Llámenos."
            )
        )
        db.session.commit()
    case = make_request(
        phone=PHONE,
        safe_to_message="yes",
        preferred_language="es",
        facts=json.dumps({"reach_by": ["text"]}),
    )
    browser_login(page, make_staff("reviewer"))
    page.goto(f"{page.base}/staff/cases/{case.reference}")
    axe_check(page)
    page.get_by_role("link", name="cita").click()
    box = page.get_by_role("textbox", name="Message")
    expect(box).to_have_value("Human Rights First: tiene una cita. Llámenos.")
    axe_check(page)
    page.get_by_role("button", name="Send the message").click()
    page.wait_for_url(f"**/staff/cases/{case.reference}#messages")
    expect(page.get_by_text("Message queued (Text (SMS)).")).to_be_visible()
    # The outbox sends it once the response has gone out, or else the
    # every-minute `send-mail` run does (the development server does not always
    # call a response's close hook when the browser moves on at once).
    for _ in range(30):
        if standin.sent:
            break
        page.wait_for_timeout(100)
    with app.app_context():
        outbox.deliver_due()
    (sent,) = standin.sent
    assert (sent["To"], sent["Body"]) == (PHONE, "Human Rights First: tiene una cita. Llámenos.")

    # The reply, posted as Twilio does, appears on the case.
    assert post_inbound(live := page.base, "Gracias, allí estaré", "SM" + "1" * 32) == 200
    page.goto(f"{live}/staff/cases/{case.reference}")
    expect(page.get_by_text("Gracias, allí estaré")).to_be_visible(timeout=SETTLE_TIMEOUT_MS)

    # STOP in Spanish: recorded at once, and the page offers no way to send.
    assert post_inbound(live, "PARAR", "SM" + "2" * 32) == 200
    page.goto(f"{live}/staff/cases/{case.reference}")
    expect(page.get_by_text("This number sent STOP")).to_be_visible()
    expect(page.get_by_role("button", name="Send the message")).to_have_count(0)
    expect(page.locator("#no-sending")).to_contain_text("the number sent STOP")
    axe_check(page)


def test_inbox_wording_and_dev_pages_have_no_axe_violations(
    app, page, live_server, make_staff, axe_check
):
    from intake.messages import consent
    from intake.models import Message

    with app.app_context():
        db.session.add(MessageTemplate(name="cita", language="es", body="{organisation}."))
        db.session.add(
            Message(
                direction="in",
                channel="sms",
                kind="inbound",
                body="¿Quién es?",
                phone="+13055550123",
                phone_hash=consent.phone_hash("+13055550123"),
                state="received",
            )
        )
        db.session.commit()
    browser_login(page, make_staff("admin"))
    for path in (
        "/staff/messages/inbox",
        "/staff/message-templates",
        "/staff/message-templates/edit?name=cita&language=es",
        "/staff/messages/dev",
    ):
        page.goto(page.base + path)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)
    # A form with an error.
    page.goto(page.base + "/staff/messages/inbox")
    page.get_by_role("button", name="Attach to the case").click()
    expect(page.locator("#error-summary")).to_be_visible()
    axe_check(page)

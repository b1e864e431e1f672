"""The referral packet's fixture: a referred case (tests/support/packets.py)."""

import pytest

from tests.support.packets import referrer


@pytest.fixture
def referred(app, make_request, make_staff, login_as):
    return referrer(app, make_request, make_staff, login_as)

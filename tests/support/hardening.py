"""The header set every response must carry (test_security, tests/attack/)."""

from intake.hardening import CONTENT_SECURITY_POLICY, HSTS


def assert_hardened(response, production=False):
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "object-src 'none'" in CONTENT_SECURITY_POLICY
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    for feature in ("camera=()", "microphone=()", "geolocation=()", "browsing-topics=()"):
        assert feature in headers["Permissions-Policy"]
    assert headers["Cache-Control"] == "no-store"
    assert (headers.get("Strict-Transport-Security") == HSTS) is production

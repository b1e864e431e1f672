"""Security headers on every response, error pages included.

Framing is denied everywhere; the embed module is the one place that relaxes
``frame-ancestors`` for a registered partner, by setting its own CSP first.
"""

from flask import Flask, Response
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

BASELINE = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def frames_allowed(response: Response) -> bool:
    """True when the response carries its own CSP naming frame ancestors (only
    intake.embed does that, for a registered partner's origins)."""
    policy = response.headers.get("Content-Security-Policy", "")
    return "frame-ancestors" in policy and "frame-ancestors 'none'" not in policy


def init_app(app: Flask) -> None:
    hsts = app.config["PRODUCTION"]
    csrf.init_app(app)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in BASELINE.items():
            if name == "X-Frame-Options" and frames_allowed(response):
                continue  # DENY would contradict the embed page's own allow-list
            response.headers.setdefault(name, value)
        if hsts:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
            )
        return response

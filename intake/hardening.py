"""Security headers on every response, error pages included; methods, hosts and
proxies.

Framing is denied everywhere; the embed module is the one place that relaxes
``frame-ancestors`` for a registered partner, by setting its own CSP first.
Every response except a static file is ``Cache-Control: no-store``: form and
staff pages must never sit in a shared or browser cache (a view that serves
public, cacheable content may set its own Cache-Control).
"""

from urllib.parse import urlsplit

from flask import Flask, Response, g, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import NotImplemented as MethodNotImplemented
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from intake.form_tokens import cross_site_refusal, own_origin


class SameOriginCSRF(CSRFProtect):
    """Flask-WTF's session-bound token, and then the browser's word on where the
    POST came from: a valid token posted from another site's page (a stolen or
    leaked token, a sibling subdomain) is still refused. ``Sec-Fetch-Site`` must
    be same-origin or none and ``Origin`` our own (``form_tokens``, as on the
    public form); a browser that sends neither must not name a foreign Referer.
    Exempt views (the cookie-less public form) do their own check."""

    def protect(self, apply_exemptions=False):
        super().protect(apply_exemptions)
        if g.get("csrf_valid") and (cross_site_refusal() or foreign_referer()):
            self._error_response("The request came from another site.")


def foreign_referer() -> bool:
    referer = request.headers.get("Origin") is None and request.referrer
    if not referer:
        return False
    parts = urlsplit(referer)
    return f"{parts.scheme}://{parts.netloc}" != own_origin()


csrf = SameOriginCSRF()

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

# Browser features no page of ours uses, switched off for us and anything we embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

BASELINE = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}
HSTS = "max-age=63072000; includeSubDomains"

# A site of HTML forms needs no other method. TRACE/TRACK would echo the request
# (cookies included) and CONNECT asks us to be a proxy: all refused with 501.
ALLOWED_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS"})


def is_static(endpoint: str | None) -> bool:
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def frames_allowed(response: Response) -> bool:
    """True when the response carries its own CSP naming frame ancestors (only
    intake.public.embed does that, for a registered partner's origins)."""
    policy = response.headers.get("Content-Security-Policy", "")
    return "frame-ancestors" in policy and "frame-ancestors 'none'" not in policy


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the signer for the
    requests that carry no session cookie (every public page: only staff have one)."""

    def open_session(self, app: Flask, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    hsts = app.config["PRODUCTION"]
    _trusted_hosts(app)
    if app.config.get("PROXY_FIX"):
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    csrf.init_app(app)
    app.session_interface = CookieSessions()

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        # Forbidden, not a malformed request: the change was refused, nothing done.
        return render_template("errors/403.html", error=error), 403

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # No URL can be built for a host we do not serve, so no templated page:
        # a short text answer (the visitor typed a wrong or forged address).
        return "Bad request: unknown host.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.before_request
    def refuse_unknown_methods():
        if request.method not in ALLOWED_METHODS:
            raise MethodNotImplemented()

    defaults = [(name.lower(), name, value) for name, value in BASELINE.items()]
    if hsts:
        defaults.append(("strict-transport-security", "Strict-Transport-Security", HSTS))

    @app.after_request
    def security_headers(response: Response) -> Response:
        # One pass over the headers a view set (it runs on every response).
        headers = response.headers
        present = {name.lower() for name, _value in headers.items()}
        # DENY would contradict an embed page's own allow-list of frame ancestors.
        framed = "content-security-policy" in present and frames_allowed(response)
        for key, name, value in defaults:
            if key not in present and not (framed and key == "x-frame-options"):
                headers.add(name, value)
        if "cache-control" not in present and not is_static(request.endpoint):
            headers.add("Cache-Control", "no-store")
        return response


def _trusted_hosts(app: Flask) -> None:
    """Flask checks ``TRUSTED_HOSTS`` itself (400 for any other Host). A string
    from the environment ("a.org,b.org") becomes a list: Werkzeug would otherwise
    read it as a list of single characters."""
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):
        app.config["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()]

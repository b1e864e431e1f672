"""``/api/v1/``: JSON for case-management systems, one key per integration.

    GET  /api/v1/openapi.json                       api.openapi       (no key)
    GET  /api/v1/cases                              api.list_cases
    GET  /api/v1/cases/<reference>                  api.get_case
    POST /api/v1/cases/<reference>/outcomes         api.add_outcome

Every route but the document needs ``Authorization: Bearer <key>``; a missing,
unknown or revoked key gets 401 and the same body. No cookie is read or set
and no CSRF token asked (a browser never sends the key by itself); each call is
rate limited per key and written in the audit log (``intake.api.cases``).
"""

from datetime import date

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from intake.api import cases, keys, openapi
from intake.hardening import csrf
from intake.limits import client_key, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
OPEN = frozenset({"api.openapi"})


def error(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.before_request
def authenticate():
    if request.endpoint in OPEN:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    key = keys.authenticate(presented.strip()) if scheme.lower() == "bearer" else None
    if key is None:
        return error(401, "A valid API key is needed: Authorization: Bearer <key>.")
    g.api_key = key
    return None


def _limit_key() -> str:
    key = g.get("api_key")
    return f"api-key:{key.id}" if key is not None else client_key()


rate_limited = limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_limit_key)


@bp.errorhandler(HTTPException)
def as_json(exc: HTTPException):
    return error(exc.code or 500, exc.description or exc.name)


@bp.errorhandler(cases.ApiError)
def refused(exc: cases.ApiError):
    return error(exc.status, str(exc))


@bp.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document():
    return jsonify(openapi.document())


def _limit() -> int:
    default = current_app.config["API_PAGE_SIZE"]
    raw = request.args.get("limit")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= cases.LIMIT_MAX:
        raise cases.ApiError(f"limit must be a whole number from 1 to {cases.LIMIT_MAX}.")
    return int(raw)


def _since() -> date | None:
    raw = request.args.get("accepted_since")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise cases.ApiError("accepted_since must be a date such as 2026-12-01.") from exc


@bp.get("/cases")
@rate_limited
def list_cases():
    page = cases.listing(g.api_key, request.args.get("cursor"), _limit(), _since())
    return jsonify(
        {"data": page.items, "next_cursor": page.next_cursor, "resume_cursor": page.resume_cursor}
    )


@bp.get("/cases/<reference>")
@rate_limited
def get_case(reference: str):
    found = cases.one(g.api_key, reference)
    if found is None:
        return error(404, "No case with this reference was accepted by your organisation.")
    return jsonify(found)


@bp.post("/cases/<reference>/outcomes")
@rate_limited
def add_outcome(reference: str):
    body = request.get_json(silent=True)
    made = cases.add_outcome(g.api_key, reference, body)
    if made is None:
        return error(404, "No case with this reference was accepted by your organisation.")
    return jsonify(made), 201

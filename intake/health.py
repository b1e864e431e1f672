"""Liveness and readiness for the load balancer and the process supervisor."""

from flask import Blueprint

from intake.db import database_answers

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}, 200, {"Cache-Control": "no-store"}


@bp.get("/readyz")
def readyz():
    if database_answers():
        return {"status": "ready"}, 200, {"Cache-Control": "no-store"}
    return {"status": "database unavailable"}, 503, {"Cache-Control": "no-store"}

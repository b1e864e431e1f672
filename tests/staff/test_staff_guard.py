"""The /staff parent blueprint guards every staff page: no staff blueprint is
registered beside it, and every staff route names a role. The check reads the
URL map, so it also catches what nobody remembered to list."""

from types import SimpleNamespace

import pytest
from flask import Blueprint, Flask

from intake import staff
from intake.staff import permission_for, roles, unguarded_routes


def test_every_staff_route_is_inside_the_parent_and_has_a_role(app):
    assert unguarded_routes(app) == []
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    staff_endpoints = {e for e in endpoints if e.startswith("staff.")}
    assert {"staff.partners.index", "staff.triage.queue", "staff.login.login"} <= staff_endpoints
    for endpoint in staff_endpoints - staff.NO_LOGIN:
        assert permission_for(endpoint) is not None, endpoint


def _view():
    return "page"


def _app_with(parent: Blueprint, *extra: Blueprint) -> Flask:
    """A bare app whose /staff parent has the real children plus ``extra``."""
    flask_app = Flask(__name__)
    for child, _permission in staff.CHILDREN:
        parent.register_blueprint(child)
    for child in extra:
        parent.register_blueprint(child)
    flask_app.register_blueprint(parent)
    return flask_app


def test_check_catches_a_staff_route_without_a_role():
    unlisted = Blueprint("reports", __name__)  # not in staff.CHILDREN: no permission
    unlisted.add_url_rule("/reports", "index", _view)
    problems = unguarded_routes(
        _app_with(Blueprint("staff", __name__, url_prefix="/staff"), unlisted)
    )
    assert problems == ["/staff/reports (staff.reports.index) has no role"]


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (
            "/staff/outside",  # a staff page beside the parent: no guard runs for it
            [
                "/staff/outside/ (outside.index) is outside the /staff blueprint",
                "blueprint outside (intake.staff.outside) is outside /staff",
            ],
        ),
        ("/admin", ["blueprint outside (intake.staff.outside) is outside /staff"]),
    ],
    ids=["under-staff-urls", "elsewhere"],
)
def test_check_catches_a_staff_blueprint_registered_outside_the_parent(prefix, expected):
    flask_app = _app_with(Blueprint("staff", __name__, url_prefix="/staff"))
    outside = Blueprint("outside", "intake.staff.outside", url_prefix=prefix)
    outside.add_url_rule("/", "index", _view)
    flask_app.register_blueprint(outside)
    assert unguarded_routes(flask_app) == expected


def test_a_route_without_a_role_is_refused_at_request_time(monkeypatch):
    """Default-deny at run time too: the parent's guard answers 403 to an admin
    on a page whose blueprint names no permission, and sends a visitor to log in."""
    parent = Blueprint("staff", __name__, url_prefix="/staff")
    parent.before_request(staff.guard)
    unlisted = Blueprint("reports", __name__)
    unlisted.add_url_rule("/reports", "index", _view)
    listed = staff.CHILDREN[1][0]  # users: the "staff" permission
    flask_app = _app_with(parent, unlisted)
    client = flask_app.test_client()

    monkeypatch.setattr(staff, "current_user", SimpleNamespace(is_authenticated=False))
    response = client.get("/staff/reports")
    assert response.status_code == 302 and response.location.endswith("/staff/login")

    admin = SimpleNamespace(is_authenticated=True, role="admin")
    monkeypatch.setattr(staff, "current_user", admin)
    monkeypatch.setattr(roles, "current_user", admin)
    assert client.get("/staff/reports").status_code == 403
    assert permission_for(f"staff.{listed.name}.index") == "staff"

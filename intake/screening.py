"""The public screening form (built in its own issue)."""

from flask import Blueprint, render_template

from .locales import public_route

bp = Blueprint("screening", __name__)


@public_route(bp, "/help")
def form():
    return render_template("screening/form.html")

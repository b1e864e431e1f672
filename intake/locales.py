"""Interface language: part of the URL (``/es/help``); English has no prefix.

``Accept-Language`` only chooses at the front door (``/`` and ``/help``); after
that the language travels in every link we build, so it follows the visitor
through the whole flow without a cookie.
"""

from dataclasses import dataclass

from flask import Flask, g, request
from flask_babel import Babel
from werkzeug.routing import BaseConverter


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own script, for the switcher
    rtl: bool = False


KNOWN = {
    lang.code: lang
    for lang in (
        Language("en", "English"),
        Language("es", "Español"),
        Language("fr", "Français"),
        Language("ht", "Kreyòl ayisyen"),
        Language("pt_BR", "Português (Brasil)"),
        Language("ar", "العربية", rtl=True),
        Language("fa_AF", "دری", rtl=True),
        Language("ps", "پښتو", rtl=True),
        Language("ru", "Русский"),
        Language("uk", "Українська"),
        Language("zh_Hans", "中文（简体）"),
        Language("ti", "ትግርኛ"),
    )
}
DEFAULT = "en"
FRONT_DOORS = frozenset({"press.index", "screening.form"})
babel = Babel()


def url_code(code: str) -> str:
    """``pt_BR`` appears as ``pt-br`` in URLs."""
    return code.replace("_", "-").lower()


def enabled(app_config) -> list[Language]:
    return [KNOWN[c] for c in app_config["LANGUAGES"] if c in KNOWN]


def current() -> Language:
    return KNOWN[getattr(g, "lang", DEFAULT)]


def public_route(bp, rule: str, **options):
    """Register a public view under ``rule`` and under ``/<lang>`` + ``rule``."""

    def decorator(view):
        bp.add_url_rule(f"/<lang:lang>{rule}", view_func=view, **options)
        bp.add_url_rule(rule, view_func=view, **options)
        return view

    return decorator


def init_app(app: Flask) -> None:
    codes = {url_code(lang.code): lang.code for lang in enabled(app.config) if lang.code != DEFAULT}

    class LangConverter(BaseConverter):
        regex = "|".join(sorted(codes, key=len, reverse=True)) or "(?!)"

        def to_python(self, value: str) -> str:
            return codes[value]

        def to_url(self, value: str) -> str:
            return url_code(value)

    app.url_map.converters["lang"] = LangConverter
    babel.init_app(app, locale_selector=_locale_selector)
    app.add_template_global(current, "current_language")
    app.add_template_global(lambda: enabled(app.config), "enabled_languages")

    @app.url_value_preprocessor
    def pull_lang(endpoint, values):
        g.lang = (values or {}).pop("lang", None) or _front_door_choice(app, endpoint)

    @app.url_defaults
    def push_lang(endpoint, values):
        lang = getattr(g, "lang", DEFAULT)
        if (
            "lang" not in values
            and lang != DEFAULT
            and app.url_map.is_endpoint_expecting(endpoint, "lang")
        ):
            values["lang"] = lang
        elif values.get("lang") == DEFAULT:
            values.pop("lang")

    @app.after_request
    def vary_front_door(response):
        if request.endpoint in FRONT_DOORS and request.path in ("/", "/help"):
            response.vary.add("Accept-Language")
        return response


def _front_door_choice(app: Flask, endpoint: str | None) -> str:
    if endpoint in FRONT_DOORS and request.path in ("/", "/help"):
        return request.accept_languages.best_match(app.config["LANGUAGES"]) or DEFAULT
    return DEFAULT


def _locale_selector() -> str:
    return getattr(g, "lang", DEFAULT)

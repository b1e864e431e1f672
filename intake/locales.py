"""Interface language: part of the URL (``/es/help``); English has no prefix.

``Accept-Language`` only chooses at the front door (a GET of ``/`` or ``/help``);
after that the language travels in every link we build, so it follows the
visitor through the whole flow without a cookie (cookies may be blocked in the
embed). Choosing English in the switcher is a choice too: its links carry
``?language=en`` (``CHOSEN``), which every English page honours over the
browser's languages and passes on in the links it builds. Staff pages have no
prefix and stay in English by design.
"""

from dataclasses import dataclass

from babel import dates, numbers
from flask import Flask, current_app, g, request, url_for
from flask_babel import Babel
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter


@dataclass(frozen=True)
class Language:
    code: str  # the catalogue's name under intake/translations/ and Babel's locale
    name: str  # in its own script, for the switcher
    rtl: bool = False

    @property
    def tag(self) -> str:
        """BCP 47 tag for ``lang`` and ``hreflang``: ``pt-BR``, ``zh-Hans``."""
        return self.code.replace("_", "-")

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"


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
FRONT_DOORS = {"press.index": "/", "screening.form": "/help"}

# Browsers name some languages differently from our catalogues: Dari is often
# sent as Persian ("fa", "fa-AF") or by its ISO 639-3 code "prs"; any Chinese
# ("zh-CN", "zh-SG", "zh-TW") gets the Simplified catalogue rather than English.
ALIASES = {"prs": "fa"}

# Babel (CLDR) has Haitian Creole as a locale but without month names or date
# patterns ("2012 M02 7"), so dates, numbers and currency on the Kreyòl pages are
# formatted as French (Haiti), which Haitian readers know; the words stay Kreyòl.
FORMAT_LOCALES = {"ht": "fr_HT"}

# Query parameters that may follow the visitor into another language: where they
# came from and which partner embeds us (``oembed`` marks the card an oEmbed
# consumer frames, ``at`` the registered site framing it: without them, a
# language link in that card would be refused framing). Never form answers.
KEPT_PARAMS = ("from", "partner", "oembed", "at", "page")
# The query parameter that marks a language chosen in the switcher where the
# address has no prefix to say so (English): never a cookie.
CHOSEN = "language"

babel = Babel()


def url_code(code: str) -> str:
    """``pt_BR`` appears as ``pt-br`` in URLs."""
    return code.replace("_", "-").lower()


def enabled(app_config) -> list[Language]:
    return [KNOWN[c] for c in app_config["LANGUAGES"]]


def current() -> Language:
    return KNOWN[_locale_selector()]


def formatting_locale() -> str:
    """Babel locale for dates, numbers and currency in the current language."""
    code = current().code
    return FORMAT_LOCALES.get(code, code)


def format_date(value, format: str = "medium") -> str:
    return dates.format_date(value, format, locale=formatting_locale())


def format_month(value) -> str:
    """A month and year ("June 2025", "junio de 2025", "2025年6月"): CLDR's own
    pattern for the locale, where a fixed "MMMM y" would be wrong in Russian or
    Chinese."""
    return dates.format_skeleton("yMMMM", value, locale=formatting_locale())


def format_decimal(value, format: str | None = None) -> str:
    return numbers.format_decimal(value, format, locale=formatting_locale())


def format_currency(value, currency: str = "USD", format: str | None = None) -> str:
    return numbers.format_currency(value, currency, format, locale=formatting_locale())


def format_percent(value, format: str | None = None) -> str:
    return numbers.format_percent(value, format, locale=formatting_locale())


def public_route(bp, rule: str, **options):
    """Register a public view under ``rule`` and under ``/<lang>`` + ``rule``."""

    def decorator(view):
        bp.add_url_rule(f"/<lang:lang>{rule}", view_func=view, **options)
        bp.add_url_rule(rule, view_func=view, **options)
        return view

    return decorator


def negotiate(accept: LanguageAccept, offered: list[str]) -> str | None:
    """The offered language the visitor prefers most, or None.

    Werkzeug's ``best_match`` prefers any exact tag over a better-liked partial
    one, so ``es-MX, en;q=0.5`` would give English; here the visitor's order wins
    and each entry matches exactly first, then by its primary subtag.
    """
    exact = {url_code(code): code for code in offered}
    primary: dict[str, str] = {}
    for code in offered:
        primary.setdefault(url_code(code).split("-")[0], code)
    for value, quality in accept:
        if quality <= 0:
            continue
        if value == "*":
            return offered[0] if offered else None
        tag = url_code(value)
        first = tag.split("-")[0]
        match = exact.get(tag) or primary.get(ALIASES.get(first, first))
        if match:
            return match
    return None


def switcher_links() -> list[tuple[Language, str, bool]]:
    """(language, URL of this same page in it, is current) for the switcher.

    Pages without a language prefix (staff) get none. A page with no endpoint
    (an unknown address) offers each language's front page. Only harmless query
    parameters follow; form answers never do (the switch is a plain GET).
    """
    endpoint = request.endpoint
    if endpoint is not None and not current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        return []
    if endpoint is None:
        endpoint, values = "press.index", {}
    else:
        values = dict(request.view_args or {})
        if not _answers_get(endpoint):
            endpoint, values = _page_above(values)
        values.update(_kept_params())
    here = current().code
    return [
        (lang, url_for(endpoint, **{**values, **_choice(lang.code)}), lang.code == here)
        for lang in enabled(current_app.config)
    ]


def _choice(code: str) -> dict[str, str]:
    """URL values that choose ``code``: its prefix, or for English (no prefix)
    the mark that it was chosen."""
    return {"lang": code} if code != DEFAULT else {"lang": code, CHOSEN: code}


def _kept_params() -> dict[str, str]:
    """From the query string only: a posted body may be answers, or too large to read."""
    try:
        kept = {k: v for k, v in request.args.items() if k in KEPT_PARAMS}
    except UnicodeDecodeError:  # a mangled query string: its 400 page still renders
        return {}
    return kept | g.get("kept_params", {})  # set by a view (the card's framing site)


def _answers_get(endpoint: str) -> bool:
    return any("GET" in (rule.methods or ()) for rule in current_app.url_map.iter_rules(endpoint))


def _page_above(values: dict) -> tuple[str, dict]:
    """For a step that only answers POST (``/help/check``), the nearest page above
    it that a link can open (``/help``): a language link must never lead to a 405.
    The answers stay behind; a plain link cannot carry them."""
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build(request.endpoint, values, method=request.method)
    while path not in ("", "/"):
        path = path.rsplit("/", 1)[0]
        try:
            endpoint, found = adapter.match(path or "/", method="GET")
        except HTTPException:
            continue
        if current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
            return endpoint, found
    return "press.index", {}


def init_app(app: Flask) -> None:
    unknown = [c for c in app.config["LANGUAGES"] if c not in KNOWN]
    if unknown or app.config["LANGUAGES"][:1] != [DEFAULT]:
        raise RuntimeError(
            f"LANGUAGES must start with {DEFAULT!r} and use only {sorted(KNOWN)}; got "
            f"{app.config['LANGUAGES']!r}"
        )
    codes = {url_code(lang.code): lang.code for lang in enabled(app.config) if lang.code != DEFAULT}

    class LangConverter(BaseConverter):
        regex = "|".join(sorted(codes, key=len, reverse=True)) or "(?!)"

        def to_python(self, value: str) -> str:
            return codes[value]

        def to_url(self, value: str) -> str:
            return url_code(value)

    app.url_map.converters["lang"] = LangConverter
    babel.init_app(app, locale_selector=_locale_selector)
    # Flask-Babel's filters format with the catalogue's locale; ours use
    # formatting_locale() so that Kreyòl dates are not "2012 M02 7".
    app.jinja_env.filters.update(
        dateformat=format_date,
        monthformat=format_month,
        numberformat=format_decimal,
        decimalformat=format_decimal,
        currencyformat=format_currency,
        percentformat=format_percent,
    )
    app.add_template_global(current, "current_language")
    app.add_template_global(lambda: enabled(app.config), "enabled_languages")
    app.add_template_global(switcher_links, "language_links")

    @app.url_value_preprocessor
    def pull_lang(endpoint, values):
        if endpoint is None:  # no route matched: a 404 at /ar/nowhere is in Arabic
            g.lang = _prefix_language()
        else:
            g.lang = (values or {}).pop("lang", None) or _front_door_choice(app, endpoint)

    @app.url_defaults
    def push_lang(endpoint, values):
        lang = _locale_selector()
        public = app.url_map.is_endpoint_expecting(endpoint, "lang")
        if "lang" not in values and lang != DEFAULT and public:
            values["lang"] = lang
        elif values.get("lang") == DEFAULT:
            values.pop("lang")
        elif "lang" not in values and public and g.get("chosen"):
            # On a page reached by choosing English the mark goes on in every
            # link, or the next front door would ask the browser again.
            values.setdefault(CHOSEN, DEFAULT)

    @app.after_request
    def vary_front_door(response):
        if _at_front_door(request.endpoint):
            response.vary.add("Accept-Language")
        return response


def _at_front_door(endpoint: str | None) -> bool:
    return endpoint is not None and FRONT_DOORS.get(endpoint) == request.path


def _front_door_choice(app: Flask, endpoint: str | None) -> str:
    """English, unless a GET of a front door with no choice made asks the browser.
    A POST comes from one of our pages, whose address named its language."""
    try:
        chosen = request.args.get(CHOSEN)
    except UnicodeDecodeError:  # a mangled query string: its 400 page still renders
        chosen = None
    if chosen == DEFAULT:
        g.chosen = True
        return DEFAULT
    if _at_front_door(endpoint) and request.method in ("GET", "HEAD"):
        return negotiate(request.accept_languages, app.config["LANGUAGES"]) or DEFAULT
    return DEFAULT


def _prefix_language() -> str:
    """The language named by the first path segment, for addresses that matched
    no route."""
    first = request.path.lstrip("/").split("/", 1)[0].lower()
    for lang in enabled(current_app.config):
        if lang.code != DEFAULT and url_code(lang.code) == first:
            return lang.code
    return DEFAULT


def _locale_selector() -> str:
    return getattr(g, "lang", None) or DEFAULT

"""Page weight: gzipped bytes of each public page plus the CSS and scripts it loads,
and of each page of the form as a visitor reaches it (in English and Arabic).

python -m bench.weight            # prints a table; exits 1 over the budgets
"""

import gzip
import re
import sys
import tempfile

from intake import create_app

SLUG = "russian-delegation-visit-to-syria-viewed-with-skepticism"
# Budgets: release page ≤ 14 KB, form page ≤ 20 KB (HTML + CSS + JS, gzipped).
PAGES = {"/": 14_000, f"/press/{SLUG}": 14_000, "/help": 20_000}
# What a partner's page loads from us: embed.js before any click (it is all the host
# page gets until then), then the framed card and form; the oEmbed card. The
# framed pages have the same budgets as ours; embed.js stays under 2.5 KB.
EMBED_SCRIPT_BUDGET = 2_500
EMBED_PAGES = {
    "/embed/cta?partner={key}": 14_000,
    "/embed/help?partner={key}": 20_000,
    "/embed/cta?oembed=1": 14_000,
}


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def weigh(fetch, path: str) -> tuple[int, int, int]:
    """(HTML bytes, gzipped HTML, gzipped HTML + CSS + scripts) of one page;
    ``fetch(path)`` returns a page's bytes (a test client, or HTTP in bench/run.py)."""
    return _weigh(fetch, fetch(path))


def client_fetch(client):
    def fetch(path: str) -> bytes:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        data = response.data
        response.close()  # a static file's handle, else left to the garbage collector
        return data

    return fetch


# Valid answers, enough to reach every page of the form.
STEP_ANSWERS = {
    "asker": "self",
    "detained": "no",
    "in_us": "yes",
    "hearing": "no",
    "decided": "no",
    "arrival_month": "6",
    "arrival_year": "2025",
    "i589_filed": "no",
    "birth_month": "4",
    "birth_year": "1990",
    "name": "Amal",
    "nationality": "SY",
    "preferred_language": "ar",
    "state": "NY",
    "phone": "+1 212 555 0100",
    "safe_to_message": "yes",
    "represented": "no",
    "can_pay": "no",
    "household_size": "3",
    "share_consent": "no",
    "consent": "y",
}


def weigh_steps(client, fetch, prefix: str = "") -> list[tuple[str, tuple[int, int, int]]]:
    """Each page of the form as the visitor reaches it (a POST of the page
    before, carrying the answers so far), then "Check your answers"."""
    from intake.public.screening.form import STEPS

    page = client.get(f"{prefix}/help").data
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page)[1].decode()
    rows = [(f"{prefix}/help step 1", _weigh(fetch, page))]
    answers = {"csrf_token": token}
    for number, step in enumerate(STEPS, start=1):
        answers.update({k: v for k, v in STEP_ANSWERS.items() if k in step.fields})
        response = client.post(f"{prefix}/help", data={**answers, "step": str(number)})
        assert response.status_code == 200, (number, response.status_code)
        label = f"step {number + 1}" if number < len(STEPS) else "check your answers"
        rows.append((f"{prefix}/help {label}", _weigh(fetch, response.data)))
    return rows


def _weigh(fetch, html: bytes) -> tuple[int, int, int]:
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    return len(html), gz(html), gz(html) + sum(gz(fetch(a.decode())) for a in assets)


def main() -> int:
    app = create_app({"SECRET_KEY": "bench"}, instance_path=tempfile.mkdtemp())
    fetch = client_fetch(app.test_client())
    over = False
    print(f"{'page':<70} {'html':>7} {'html gz':>8} {'+assets gz':>11} {'budget':>7}")
    key = bench_partner(app)
    pages = {**PAGES, **{path.format(key=key): budget for path, budget in EMBED_PAGES.items()}}
    for path, budget in pages.items():
        raw, html_gz, total = weigh(fetch, path)
        over |= total > budget
        print(f"{path:<70} {raw:>7} {html_gz:>8} {total:>11} {budget:>7}")
    client = app.test_client()
    for prefix in ("", "/ar"):
        for label, (raw, html_gz, total) in weigh_steps(client, fetch, prefix):
            over |= total > PAGES["/help"]
            print(f"{label:<70} {raw:>7} {html_gz:>8} {total:>11} {PAGES['/help']:>7}")
    script = fetch("/embed.js")
    size = gz(script)
    over |= size > EMBED_SCRIPT_BUDGET
    print(f"{'/embed.js':<70} {len(script):>7} {size:>8} {size:>11} {EMBED_SCRIPT_BUDGET:>7}")
    return 1 if over else 0


def bench_partner(app) -> str:
    """A registered partner, so that the framed pages answer (not their 404)."""
    from intake.staff.admin.partners import create_partner

    with app.app_context():
        return create_partner("Bench partner", ["https://press.example.org"]).key


if __name__ == "__main__":
    sys.exit(main())

"""Page weight: gzipped bytes of each public page plus the CSS and scripts it loads.

python -m bench.weight            # prints a table; exits 1 over the budgets
"""

import gzip
import re
import sys
import tempfile

from intake import create_app

SLUG = "russian-delegation-visit-to-syria-viewed-with-skepticism"
# Budgets from the issues: release page ≤ 14 KB, form page ≤ 20 KB (HTML + CSS + JS, gzipped).
PAGES = {"/": 14_000, f"/press/{SLUG}": 14_000, "/help": 20_000}


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def weigh(fetch, path: str) -> tuple[int, int, int]:
    """(HTML bytes, gzipped HTML, gzipped HTML + CSS + scripts) of one page;
    ``fetch(path)`` returns a page's bytes (a test client, or HTTP in bench/run.py)."""
    html = fetch(path)
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    asset_bytes = sum(gz(fetch(a.decode())) for a in assets)
    return len(html), gz(html), gz(html) + asset_bytes


def client_fetch(client):
    def fetch(path: str) -> bytes:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.data

    return fetch


def main() -> int:
    app = create_app({"SECRET_KEY": "bench"}, instance_path=tempfile.mkdtemp())
    fetch = client_fetch(app.test_client())
    over = False
    print(f"{'page':<70} {'html':>7} {'html gz':>8} {'+assets gz':>11} {'budget':>7}")
    for path, budget in PAGES.items():
        raw, html_gz, total = weigh(fetch, path)
        over |= total > budget
        print(f"{path:<70} {raw:>7} {html_gz:>8} {total:>11} {budget:>7}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

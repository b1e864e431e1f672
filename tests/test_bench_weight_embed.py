"""bench/weight.py weighs what a partner's page loads from us, within budget."""

from bench import weight
from tests.support import ROOT


def test_weight_covers_the_embed_pages_and_embed_js(capsys):
    assert weight.main() == 0  # every page, embed.js too, within its budget
    rows = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()}
    assert any(path.startswith("/embed/cta?partner=") for path in rows)
    assert any(path.startswith("/embed/help?partner=") for path in rows)
    assert "/embed/cta?oembed=1" in rows
    size, gzipped, _, budget = (int(n) for n in rows["/embed.js"])
    assert size == len((ROOT / "static/js/embed.js").read_bytes())
    assert gzipped <= budget == weight.EMBED_SCRIPT_BUDGET

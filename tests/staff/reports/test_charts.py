"""The charts: inline SVG the strict CSP allows, suppressed counts drawn as nothing."""

from intake.staff.reports.charts import bar_chart, line_chart
from intake.staff.reports.ranges import Publishing, suppress

EXACT = Publishing(threshold=5, base=1)


def counts(*numbers):
    return [(f"k{i}", f"Label {i}", n) for i, n in enumerate(numbers)]


def test_chart_is_inline_svg_without_style_script_or_external_reference():
    cells = suppress([("a", "Spanish", 120), ("b", "Tigrinya", 3), ("c", "<b>x</b>", 40)], EXACT)
    svg = str(bar_chart(cells, "Language"))
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>" in svg
    for banned in ("style", "<script", "href", "url(", "javascript:"):
        assert banned not in svg
    assert "Tigrinya (&lt;5)" in svg  # the suppressed bar says so
    assert "&lt;b&gt;x&lt;/b&gt;" in svg  # labels escaped
    months = ["Jan 2026", "Feb 2026"]
    critical, high = suppress(counts(0, 7), EXACT, False), suppress(counts(9, 12), EXACT, False)
    line = str(line_chart(months, {"Critical": critical, "High": high}, "By month"))
    assert "Jan 2026" in line
    assert "style" not in line and "<script" not in line


def test_a_suppressed_count_leaves_a_gap_in_its_line_never_a_zero():
    months = ["Jan 2026", "Feb 2026", "Mar 2026"]
    high = suppress(counts(9, 3, 12), EXACT, False)
    line = str(line_chart(months, {"High": high}, "By month"))
    assert line.count("<path") == 2  # two pieces: before and after the gap
    hidden = suppress(counts(3, 2, 1), EXACT, False)
    assert "see the table" in str(line_chart(months, {"High": hidden}, "By month"))

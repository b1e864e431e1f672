"""Charts drawn on the server as SVG with leather (https://leather.readthedocs.io).

Why leather: it writes plain SVG through ElementTree with presentation
attributes only (``fill``, ``stroke``, ``font-size``) — no ``style`` attribute or
element, no script, no external reference — so the SVG goes inline in the page
under our strict CSP (``style-src 'self'``, no inline script) and the site's own
stylesheet can restyle it for forced colours and print. pygal embeds a
``<style>`` element and a ``<script>`` (blocked by that CSP inline); matplotlib
writes ``style=""`` on every shape and brings numpy. Leather has no dependency.

Every chart reads the same suppressed ``Cell`` objects as the table beside it:
a suppressed count is drawn as nothing and its label says "fewer than 5".
"""

import xml.etree.ElementTree as ET  # noqa: S405 - builds our own SVG, parses nothing
from decimal import Decimal

import leather
from markupsafe import Markup

from intake.staff.reports.ranges import Cell, Duration

WIDTH = 360  # SVG units; scaled to the column (static/css/reports.css: .chart svg)
BAR_ROW = 26
LINE_HEIGHT = 260
MAX_X_TICKS = 3  # period names under the line chart, so they never overlap
# Okabe–Ito colours: told apart with every common colour-vision deficiency.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
DASHES = ("none", "6 3", "2 3")  # and a line style each, for print and forced colours


def _theme() -> None:
    """Leather's theme is module state; set once for every chart of ours."""
    theme = leather.theme
    theme.background_color = "#ffffff"
    theme.margin = 0.05  # room for the last tick label at the right edge
    for part in ("title", "legend", "axis_title", "tick"):
        setattr(theme, f"{part}_font_family", "system-ui, sans-serif")
    theme.title_color = theme.legend_color = theme.axis_title_color = "#1a1a1a"
    theme.label_color = "#333333"
    theme.tick_color = "#d0d0d0"
    theme.zero_color = "#555555"
    theme.tick_font_size = theme.legend_font_size = 13
    theme.default_series_colors = list(COLOURS)


_theme()


NOTHING_TO_DRAW = Markup('<p class="hint">Every count here is small: see the table.</p>')
LABEL_MAX = 18  # characters: longer labels are cut, the table has them whole


def bar_label(cell: Cell) -> str:
    """The bar's label, short enough to leave the bar room at 400 units; a
    suppressed count says so ("<5") where its bar would be."""
    label = cell.label if len(cell.label) <= LABEL_MAX else cell.label[: LABEL_MAX - 1] + "…"
    return f"{label} (<{cell.threshold})" if cell.suppressed else label


def bar_chart(cells: list[Cell], title: str) -> Markup:
    """Horizontal bars, largest list first as given, one per cell."""
    chart = leather.Chart()
    # Leather draws the first category at the top: the chart reads in the table's order.
    data = [(cell.plotted, bar_label(cell)) for cell in cells]
    chart.add_bars(data, fill_color=COLOURS[0])
    height = 60 + BAR_ROW * max(1, len(cells))
    return _inline(chart, height, title)


def small_multiples(groups: dict[str, list[Cell]], title: str) -> Markup:
    """One small bar chart per group (an organisation's referral outcomes),
    each under its name: one chart of every pair would cut the labels to the
    same few letters."""
    parts = []
    for name, cells in groups.items():
        parts.append(Markup('<p class="chart-part">{}</p>').format(name))
        parts.append(bar_chart(cells, f"{title}: {name}"))
    return Markup("").join(parts)


def duration_chart(durations: tuple[Duration, ...]) -> Markup:
    """Median and 90th percentile of each duration, in hours; a duration over
    too few requests is drawn as nothing, as a suppressed count is."""
    bars = []
    for duration in durations:
        short = "Contact" if "contact" in duration.label else "Closing"
        for name, hours in (("median", duration.median_hours), ("90th pct.", duration.p90_hours)):
            shown = not duration.suppressed and hours is not None
            bars.append((int(hours) if shown else 0, f"{short}, {name}"))
    if all(hours == 0 for hours, _label in bars):
        return NOTHING_TO_DRAW
    chart = leather.Chart()
    chart.add_bars(bars, fill_color=COLOURS[1])
    chart.add_x_axis(name="hours")
    title = "Hours from request to first contact and closing"
    return _inline(chart, 80 + BAR_ROW * len(bars), title)


def line_chart(labels: list[str], series: dict[str, list[Cell]], title: str) -> Markup:
    """One line per series over the periods ``labels`` (in order), with a
    legend; the x axis names a few periods, the table names them all."""
    chart = leather.Chart()
    positions = list(range(len(labels)))
    drawn = 0
    for index, (name, cells) in enumerate(series.items()):
        if all(cell.count is None for cell in cells):
            continue  # nothing to draw (its table column says "fewer than")
        drawn += 1
        chart.add_line(
            # A suppressed count leaves a gap in its line: drawn as zero it
            # would claim a fall that may not have happened.
            [(x, cell.count) for x, cell in zip(positions, cells, strict=True)],
            name=name,
            stroke_color=COLOURS[index % len(COLOURS)],
            stroke_dasharray=DASHES[index % len(DASHES)],
        )
    if drawn == 0:  # every count was suppressed
        return NOTHING_TO_DRAW
    step = max(1, -(-len(labels) // MAX_X_TICKS))  # ceiling division
    chart.set_x_scale(PeriodScale(0, max(1, len(labels) - 1)))
    chart.add_x_axis(
        ticks=positions[::step] or [0],
        tick_formatter=lambda x, _i, _n: labels[int(x)] if 0 <= int(x) < len(labels) else "",
    )
    return _inline(chart, LINE_HEIGHT, title)


class PeriodScale(leather.Linear):
    """Leather's linear scale rounds its ends out to "nice" numbers (11 periods
    become 0 to 14), which leaves the lines short of the right edge; periods
    are drawn from the first to the last, edge to edge."""

    def project(self, value, range_min, range_max):
        low, high = self._data_min, self._data_max
        share = (Decimal(value) - low) / (high - low)
        return (Decimal(range_max) - Decimal(range_min)) * share + Decimal(range_min)


def _inline(chart: leather.Chart, height: int, title: str) -> Markup:
    """The chart as an inline <svg> that scales to its column, named for
    assistive technology (the numbers themselves are in the table beside)."""
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height}",
            "role": "img",
            "focusable": "false",
        },
    )
    label = ET.SubElement(root, "title")
    label.text = f"{title}. Chart; the numbers are in the table."
    root.append(chart.to_svg_group(WIDTH, height))
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704 - escaped by ElementTree

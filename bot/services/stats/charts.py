"""PNG charts of the report (matplotlib's Agg canvas, no pyplot: no display, no global state).

Sized for a phone: 1080 px wide, large type, horizontal bars so that long labels stay
readable. Hidden counts get no bar, only their "<k" or "×" mark. The font is DejaVu Sans,
which ships with matplotlib and has every Kazakh Cyrillic letter (ә ғ қ ң ө ұ ү һ і).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.i18n import translations
from bot.services.stats import texts as tx
from bot.services.stats.render import count_text, label, section
from bot.services.stats.report import Report

FONT = "DejaVu Sans"
WIDTH_IN, DPI = 6.0, 180  # 1080 px
BAR_CHARTS = ("categories", "age_band", "caller", "region")
COLOR, HIDDEN_COLOR = "#2b6cb0", "#718096"


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """What one chart shows, in the report's language: its texts are what the PNG prints."""

    name: str
    title: str
    labels: tuple[str, ...]
    values: tuple[int, ...]  # 0 for hidden rows
    marks: tuple[str, ...]  # the printed count: "318", "<5", "×"
    axis: str
    line: bool = False

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.title, self.axis, *self.labels)


def chart_specs(report: Report, lang: str) -> list[ChartSpec]:
    _ = translations(lang).gettext
    specs = []
    for name in BAR_CHARTS:
        b = report.breakdown(name)
        if b.withheld:
            continue
        rows = [r for r in b.rows if r.count > 0 or name in ("age_band", "caller")]
        specs.append(
            ChartSpec(
                name,
                section(name, lang),
                tuple(label(name, r.key, lang) for r in rows),
                tuple(r.count if r.shown else 0 for r in rows),
                tuple(count_text(r, report.min_cell) for r in rows),
                _(tx.CONTACTS),
            )
        )
    weekly = report.weekly
    if not weekly.withheld and weekly.rows:
        specs.append(
            ChartSpec(
                "weekly",
                section("weekly", lang),
                tuple(str(r.key) for r in weekly.rows),
                tuple(r.count if r.shown else 0 for r in weekly.rows),
                tuple(count_text(r, report.min_cell) for r in weekly.rows),
                _(tx.CONTACTS),
                line=True,
            )
        )
    return specs


def _bars(fig: Figure, spec: ChartSpec) -> None:
    ax = fig.add_subplot()
    labels = [textwrap.fill(s, 22) for s in spec.labels]
    positions = range(len(labels))
    colors = [COLOR if m.isdigit() else HIDDEN_COLOR for m in spec.marks]
    ax.barh(list(positions), list(spec.values), color=colors)
    ax.set_yticks(list(positions), labels, fontsize=12)
    ax.invert_yaxis()  # first row on top, as in the table
    top = max(spec.values, default=0) or 1
    for y, (value, mark) in enumerate(zip(spec.values, spec.marks, strict=True)):
        ax.text(value + top * 0.02, y, mark, va="center", fontsize=12)
    ax.set_xlim(0, top * 1.18)
    ax.set_xlabel(spec.axis, fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)


def _line(fig: Figure, spec: ChartSpec) -> None:
    ax = fig.add_subplot()
    xs = list(range(len(spec.labels)))
    ys = [v if m.isdigit() else float("nan") for v, m in zip(spec.values, spec.marks, strict=True)]
    ax.plot(xs, ys, marker="o", color=COLOR, linewidth=2.5)
    step = max(1, len(xs) // 6)
    ax.set_xticks(xs[::step], [spec.labels[i][5:] for i in xs[::step]], fontsize=12)
    ax.set_ylabel(spec.axis, fontsize=12)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


def render_png(spec: ChartSpec) -> bytes:
    rows = len(spec.labels)
    height = 4.5 if spec.line else max(3.5, 1.4 + 0.55 * rows)
    with matplotlib.rc_context({"font.family": FONT, "font.size": 12}):
        fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        fig.suptitle(textwrap.fill(spec.title, 40), fontsize=16, fontweight="bold")
        (_line if spec.line else _bars)(fig, spec)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def charts(report: Report, lang: str) -> dict[str, bytes]:
    """File name → PNG bytes."""
    return {f"{spec.name}.png": render_png(spec) for spec in chart_specs(report, lang)}

"""The report's charts as PNG bytes, drawn by matplotlib (Agg, no display, no pyplot).

Each chart is its own `Figure` with its own canvas: no global pyplot state, so charts can be
drawn from worker threads. matplotlib is imported inside the functions: it costs half a second
and tens of megabytes, which the chat and the webhook server should not pay at start.

The daily charts have one slot per day with questions and one grey slot per run of days
without (`bot.reporting.quiet`), as the daily table has rows.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.reporting import quiet, text
from bot.reporting.figures import Day, EntryFigures, OfficeReport
from bot.reporting.quiet import Quiet

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

OUTCOMES = (
    ("terjawab", "#2e7d32"),
    ("perlu pilihan", "#f9a825"),
    ("tidak dikenali", "#c62828"),
    ("ke petugas", "#1565c0"),
)
HELPFUL, UNHELPFUL = "#2e7d32", "#c62828"
QUIET, QUIET_LABEL = "#e3e8ee", "tidak ada pertanyaan"
DPI = 100
TOP_ENTRIES = 12
TITLE_CHARS = 28
# Right of the plot, so a legend never hides the bars (constrained layout makes room).
OUTSIDE: dict[str, Any] = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "fontsize": "small"}


def _figure(width: float, height: float, rows: int = 1) -> tuple[Figure, list[Axes]]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    axes = figure.subplots(rows, 1, squeeze=False)
    return figure, [row[0] for row in axes]


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)  # attaches itself: savefig then renders with Agg
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class DaySlots:
    """The x axis of a daily chart: one slot per day with questions and per quiet run."""

    stretches: list[Day | Quiet]
    labels: list[str]

    @property
    def days(self) -> list[Day]:
        """Each slot as a day's counts; a quiet run counts nothing."""
        return [s if isinstance(s, Day) else Day(s.first, "semua") for s in self.stretches]

    @property
    def positions(self) -> list[int]:
        return list(range(len(self.stretches)))


def day_slots(report: OfficeReport) -> DaySlots:
    """The x axis of the daily charts for `report`."""
    found = quiet.stretches(report.per_day())
    year = quiet.needs_year(report.period)
    return DaySlots(found, [quiet.label(s, year=year) for s in found])


def _day_axis(axes: Axes, slots: DaySlots) -> None:
    """Date labels, and a grey band where days without questions were joined into one slot."""
    for position, stretch in enumerate(slots.stretches):
        if isinstance(stretch, Quiet):
            axes.axvspan(position - 0.45, position + 0.45, color=QUIET, zorder=0, lw=0)
    # About 15 labels at most, so a busy year does not print 365 overlapping dates.
    step = max(1, len(slots.labels) // 15)
    shown = list(range(0, len(slots.labels), step))
    axes.set_xticks(shown, [slots.labels[i] for i in shown], rotation=45, ha="right")
    axes.set_xlim(-0.6, len(slots.labels) - 0.4)


def questions_chart(report: OfficeReport) -> bytes:
    """Questions per day by channel (top) and each day's share of outcomes (bottom)."""
    figure, (count_axes, share_axes) = _figure(10, 7, rows=2)
    slots = day_slots(report)
    channels = sorted({row.channel for row in report.days if row.questions})
    index = {s.day: i for i, s in enumerate(slots.stretches) if isinstance(s, Day)}
    bottom = [0] * len(slots.labels)
    for channel in channels:
        heights = [0] * len(slots.labels)
        for row in report.days:
            if row.channel == channel and row.day in index:
                heights[index[row.day]] += row.questions
        count_axes.bar(slots.positions, heights, bottom=bottom, label=text.channel(channel))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    count_axes.set_title("Pertanyaan per hari menurut saluran")
    count_axes.set_ylabel("pertanyaan")
    _legend(count_axes, slots)
    _day_axis(count_axes, slots)
    _outcome_shares(share_axes, slots)
    return _png(figure)


def _legend(axes: Axes, slots: DaySlots) -> None:
    """The bars' legend, with the grey band's meaning when the chart has one."""
    from matplotlib.patches import Patch

    handles, labels = axes.get_legend_handles_labels()
    if any(isinstance(s, Quiet) for s in slots.stretches):
        handles.append(Patch(color=QUIET))
        labels.append(QUIET_LABEL)
    if handles:
        axes.legend(handles, labels, **OUTSIDE)


def _outcome_shares(axes: Axes, slots: DaySlots) -> None:
    days = slots.days
    parts = _outcomes(days)
    bottom = [0.0] * len(days)
    for (label, colour), counts in zip(OUTCOMES, parts, strict=True):
        shares = [
            100 * c / d.questions if d.questions else 0.0
            for c, d in zip(counts, days, strict=True)
        ]
        axes.bar(slots.positions, shares, bottom=bottom, label=label, color=colour)
        bottom = [b + s for b, s in zip(bottom, shares, strict=True)]
    axes.set_title("Hasil jawaban bot per hari (persen)")
    axes.set_ylabel("%")
    axes.set_ylim(0, 100)
    _legend(axes, slots)
    _day_axis(axes, slots)


def _outcomes(days: Sequence[Day]) -> list[list[int]]:
    """Each day's counts per outcome, in the order of `OUTCOMES`."""
    return [
        [d.answered for d in days],
        [d.clarified for d in days],
        [d.fallback for d in days],
        [d.to_officers for d in days],
    ]


def outcomes_chart(report: OfficeReport) -> bytes:
    """One small chart for Telegram: questions per day, stacked by outcome."""
    figure, (axes,) = _figure(8, 4.5)
    slots = day_slots(report)
    bottom = [0] * len(slots.labels)
    for (label, colour), counts in zip(OUTCOMES, _outcomes(slots.days), strict=True):
        axes.bar(slots.positions, counts, bottom=bottom, label=label, color=colour)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_title(f"Pertanyaan per hari, {report.period.label()}")
    axes.set_ylabel("pertanyaan")
    _legend(axes, slots)
    _day_axis(axes, slots)
    return _png(figure)


def entries_chart(report: OfficeReport) -> bytes | None:
    """👍 and 👎 on the most asked entries, worst first from the top; None without votes."""
    from matplotlib.ticker import MaxNLocator

    entries = _most_asked(report.entries)
    if not any(e.helpful or e.unhelpful for e in entries):
        return None  # no votes: an empty axis says less than the table
    figure, (axes,) = _figure(10, 1.5 + 0.45 * len(entries))
    # barh draws the first bar at the bottom; reversed, the worst entry is on top.
    shown = list(reversed(entries))
    positions = list(range(len(shown)))
    helpful = [e.helpful for e in shown]
    axes.barh(positions, helpful, color=HELPFUL, label="membantu")
    axes.barh(
        positions,
        [e.unhelpful for e in shown],
        left=helpful,
        color=UNHELPFUL,
        label="tidak membantu",
    )
    labels = [_short(e.title) + (" *" if e.needs_rewrite else "") for e in shown]
    axes.set_yticks(positions, labels)
    axes.set_title("Penilaian jawaban, yang terburuk di atas (* perlu ditulis ulang)")
    axes.set_xlabel("penilaian")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # votes: no 0.25 of a vote
    axes.legend(**OUTSIDE)
    return _png(figure)


def _most_asked(entries: Sequence[EntryFigures]) -> list[EntryFigures]:
    busiest = sorted((e for e in entries if e.asked), key=lambda e: (-e.asked, e.faq_id))
    keep = {e.faq_id for e in busiest[:TOP_ENTRIES]}
    return [e for e in entries if e.faq_id in keep]  # `entries` is already worst first


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def applicants_chart(report: OfficeReport) -> bytes | None:
    """Monthly share of applicants using M-Paspor next to the bot's questions that month."""
    if not report.applicants:
        return None
    figure, (axes,) = _figure(10, 5)
    rows = report.applicants
    positions = list(range(len(rows)))
    axes.bar(positions, [r.questions for r in rows], color="#90caf9", label="pertanyaan ke bot")
    axes.set_ylabel("pertanyaan ke bot")
    share_axes = axes.twinx()
    shares = [100 * r.month.share if r.month.share is not None else float("nan") for r in rows]
    share_axes.plot(positions, shares, color="#1565c0", marker="o", label="pemohon lewat M-Paspor")
    share_axes.set_ylabel("% pemohon lewat M-Paspor")
    share_axes.set_ylim(0, 100)
    axes.set_xticks(positions, [f"{r.month.month:%Y-%m}" for r in rows], rotation=45)
    axes.set_title("Pemohon lewat M-Paspor dan pertanyaan ke bot per bulan")
    lines = axes.get_legend_handles_labels()
    more = share_axes.get_legend_handles_labels()
    axes.legend(lines[0] + more[0], lines[1] + more[1], loc="upper left", fontsize="small")
    return _png(figure)

"""The report's "Suara pemohon": complaints and suggestions heard in applicants' messages, by
topic and by week (Monday to Sunday, cut at the period's ends), with a few redacted examples.

The bot thanks the applicant and says the message is passed on to the office: this section is
that passing on. Pure: figures from the queries' rows, and their wording.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.reporting.period import Period, midnight
from bot.reporting.shown import Section, ShownTable
from bot.reporting.text import number, quote
from bot.reporting.vocabulary import VoiceCount, VoiceExample
from knowledge.complaints import COMPLAINT, SUGGESTION, TOPICS

# The newest rows read for examples, and how many of each topic are shown.
EXAMPLE_ROWS = 500
EXAMPLES_PER_TOPIC = 3
SHOWN_WEEKS = 8
KINDS = {COMPLAINT: "keluhan", SUGGESTION: "saran"}


@dataclass(frozen=True, slots=True)
class Week:
    """Monday to Sunday, or the part of it inside the period."""

    first: dt.date
    last: dt.date

    def label(self) -> str:
        """ "30/11–06/12"."""
        return f"{self.first:%d/%m}–{self.last:%d/%m}"


@dataclass(frozen=True, slots=True)
class TopicVoices:
    """One topic's complaints and suggestions, in all and per week."""

    topic: str
    complaints: int
    suggestions: int
    per_week: tuple[int, ...]

    @property
    def label(self) -> str:
        """ "Antrean dan kuota"."""
        return TOPICS.get(self.topic, self.topic)

    @property
    def total(self) -> int:
        return self.complaints + self.suggestions


@dataclass(frozen=True, slots=True)
class VoiceFigures:
    """What the section shows: topics most heard first, examples newest first."""

    weeks: tuple[Week, ...]
    topics: tuple[TopicVoices, ...]
    examples: tuple[VoiceExample, ...]

    @property
    def complaints(self) -> int:
        return sum(t.complaints for t in self.topics)

    @property
    def suggestions(self) -> int:
        return sum(t.suggestions for t in self.topics)

    def top_complaint(self) -> TopicVoices | None:
        """The topic complained about most (None without complaints)."""
        ranked = sorted(self.topics, key=lambda t: (-t.complaints, -t.total, t.topic))
        return ranked[0] if ranked and ranked[0].complaints else None

    def example_of(self, topic: str, kind: str = COMPLAINT) -> VoiceExample | None:
        """The newest example of a topic and kind."""
        return next((e for e in self.examples if (e.topic, e.kind) == (topic, kind)), None)


def weeks_of(period: Period) -> list[Week]:
    """The period's weeks, Monday to Sunday, the first and last cut at the period's ends."""
    weeks, first = [], period.first_day
    while first <= period.last_day:
        sunday = first + dt.timedelta(days=6 - first.weekday())
        weeks.append(Week(first, min(sunday, period.last_day)))
        first = sunday + dt.timedelta(days=1)
    return weeks


def week_bounds(weeks: Sequence[Week], zone: dt.tzinfo) -> list[dt.datetime]:
    """Each week's first local midnight, and the midnight after the last week, in UTC."""
    return [midnight(w.first, zone) for w in weeks] + [
        midnight(weeks[-1].last + dt.timedelta(days=1), zone)
    ]


def voice_figures(
    weeks: Sequence[Week], counts: Sequence[VoiceCount], examples: Sequence[VoiceExample]
) -> VoiceFigures:
    """The figures from the queries' rows (bucket i is weeks[i])."""
    per_week: dict[str, list[int]] = defaultdict(lambda: [0] * len(weeks))
    kinds: Counter[tuple[str, str]] = Counter()
    for count in counts:
        per_week[count.topic][count.bucket] += count.count
        kinds[(count.topic, count.kind)] += count.count
    topics = [
        TopicVoices(topic, kinds[(topic, COMPLAINT)], kinds[(topic, SUGGESTION)], tuple(weekly))
        for topic, weekly in per_week.items()
    ]
    topics.sort(key=lambda t: (-t.total, -t.complaints, t.topic))
    shown: Counter[str] = Counter()
    kept = []
    for example in examples:
        shown[example.topic] += 1
        if shown[example.topic] <= EXAMPLES_PER_TOPIC:
            kept.append(example)
    return VoiceFigures(tuple(weeks), tuple(topics), tuple(kept))


INTRO = (
    "Keluhan dan saran yang dikenali bot dalam pesan pemohon, per topik dan per minggu"
    " (Senin–Minggu). Bot berterima kasih dan menyampaikan bahwa pesan diteruskan ke kantor:"
    " bagian ini adalah penerusannya. Pesan yang juga bertanya tetap dijawab, dan tetap"
    " dihitung sebagai pertanyaan di bagian lain.",
    "Contoh adalah pesan terbaru setiap topik, sudah disamarkan. Bot bisa salah mengenali:"
    " baca contohnya sebelum menarik kesimpulan.",
)


def voice_section(figures: VoiceFigures, titles: dict[str, str]) -> Section:
    """The section: totals, the topics per week, and examples."""
    intro: tuple[str, ...] = INTRO
    if len(figures.weeks) > SHOWN_WEEKS:
        intro += (f"Tabel menampilkan {SHOWN_WEEKS} minggu terakhir; file CSV memuat semuanya.",)
    samples = tuple(_example_row(e, titles) for e in figures.examples)
    examples = ShownTable(("Topik", "Jenis", "Pesan", "Entri yang diberikan"), samples)
    return Section(
        "suara-pemohon",
        "Suara pemohon",
        intro,
        _figures(figures),
        (_topic_table(figures), examples) if figures.topics else (),
        empty="Tidak ada keluhan atau saran yang dikenali dalam periode ini.",
    )


def _topic_table(figures: VoiceFigures) -> ShownTable:
    """One row per topic: the last `SHOWN_WEEKS` weeks, then complaints and suggestions."""
    weeks = figures.weeks[-SHOWN_WEEKS:]
    header = ("Topik", *(w.label() for w in weeks), "Keluhan", "Saran")
    rows = tuple(
        (
            t.label,
            *(number(n) for n in t.per_week[-len(weeks) :]),
            number(t.complaints),
            number(t.suggestions),
        )
        for t in figures.topics
    )
    return ShownTable(header, rows, frozenset(range(1, len(weeks) + 3)))


def _figures(figures: VoiceFigures) -> tuple[str, ...]:
    lines = [f"Keluhan: {number(figures.complaints)} · Saran: {number(figures.suggestions)}"]
    if (top := figures.top_complaint()) is not None:
        lines.append(f"Paling banyak dikeluhkan: {top.label} ({number(top.complaints)})")
    return tuple(lines)


def _example_row(example: VoiceExample, titles: dict[str, str]) -> tuple[str, ...]:
    entry = titles.get(example.faq_id, example.faq_id) if example.faq_id else "-"
    label = TOPICS.get(example.topic, example.topic)
    return (label, KINDS.get(example.kind, example.kind), quote(example.text_redacted), entry)


def voice_lines(figures: VoiceFigures) -> list[str]:
    """For the chat summary and the weekly digest: the counts and the top complaint."""
    if not figures.topics:
        return []
    counts = f"{number(figures.complaints)} keluhan, {number(figures.suggestions)} saran"
    lines = [f"Suara pemohon: {counts}"]
    if (top := figures.top_complaint()) is not None:
        example = figures.example_of(top.topic)
        said = f", misalnya {quote(example.text_redacted, 80)}" if example else ""
        lines.append(f"• Keluhan terbanyak: {top.label} ({number(top.complaints)}×){said}")
    return lines

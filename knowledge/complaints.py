"""Hear complaints and suggestions in a message, whether or not it also asks something.

A message is cut into clauses and the cues of `data/complaints.tsv` found in each
(`complaint_cues`). A clause complains when it says so outright ("kecewa"), when something bad
is stressed ("lama banget", "error terus", "nunggu dari pagi", "ga masuk2", "udah 3 hari ga
dibales"), said in a complaining frame ("kok lama", "hangus padahal sudah bayar"), or said of a
topic in a message that asks nothing ("kursinya sedikit"; "parah." after what it judges) or that
tells two bad things besides its question; it suggests when it says so ("saran saya",
"sebaiknya") or asks for an improvement ("tolong dipercepat", "waktu bayar ditambah"). What only
supposes ("kalau antre lama gimana?"), the sender's own plans ("saya mau jadwalnya diganti") and
doing ("gagal terus karena kamera hp saya jelek, boleh pakai hp lain?") and problems brought for
help ("ditolak terus, harus gimana?") are questions. The topic is the one the complaining
clauses name most. Features and word lists, no memorised sentences.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from knowledge import complaint_model
from knowledge.complaint_cues import OTHER, TOPICS, Clause, Reader, chunks
from knowledge.complaint_hits import Cue, Hit
from knowledge.text import Normaliser

__all__ = ["COMPLAINT", "OTHER", "SUGGESTION", "TOPICS", "Recogniser", "Voice"]

COMPLAINT, SUGGESTION = "keluhan", "saran"
# Bad things told in this many clauses make a message that also asks a complaint.
GRIEVANCES = 2
# A clause of at most this many words that only says something is bad ("parah.", "ribet
# banget") judges what the message told before it.
VERDICT = 2
# A long time said of these is a long wait: a complaint by itself ("antre dari pagi").
WAITING = frozenset({"antrean", "proses"})
# What a Voice names as heard: what complained or suggested, not topics or question words.
_TOLD = frozenset(
    [
        *("complaint", "suggestion", "advice", "negative", "few", "problem", "stress"),
        *("repeat", "duration", "frame", "despite", "improve", "add", "request"),
    ]
)
# Cue kinds that wish for something better: what the model heard is then a suggestion.
_WISHES = ("suggestion", "advice", "improve", "add", "request")


@dataclass(frozen=True, slots=True)
class Voice:
    """A complaint ("keluhan") or a suggestion ("saran"), its topic and the cues heard."""

    kind: str
    topic: str
    cues: tuple[str, ...]
    asks: bool = False  # the message also asks something
    # Heard by the cues (why is known) or only by the model's second opinion (a likelihood).
    sure: bool = True


@dataclass(frozen=True, slots=True)
class _Message:
    """What the whole message says besides one clause."""

    asks: bool  # some clause asks
    helpless: bool  # mohon bantuan, harus gimana: a problem is brought for help
    # clauses that tell something bad (not asking, not supposing); not a problem, which is
    # often the sender's own ("saya sakit dan tidak bisa datang")
    grievances: int = 0

    @classmethod
    def of(cls, clauses: Sequence[Clause]) -> _Message:
        return cls(
            any(c.asks for c in clauses),
            any(c.has("help") for c in clauses),
            sum(not c.asks and not c.supposes and c.has("negative") for c in clauses),
        )

    @property
    def tells(self) -> bool:
        """Mostly telling: it asks nothing, or tells two bad things besides what it asks
        ("ditanya cuma nunjuk, ..., antre ulang dari awal"), not asking for help."""
        return not self.asks or (self.grievances >= GRIEVANCES and not self.helpless)


class Recogniser:
    """Finds complaints and suggestions; build once (it compiles the cues), use many times."""

    def __init__(
        self,
        normaliser: Normaliser | None = None,
        cues: Iterable[Cue] | None = None,
        *,
        model: complaint_model.Model | None = None,
    ) -> None:
        self._normaliser = normaliser or Normaliser()
        self._reader = Reader(self._normaliser, shipped_cues() if cues is None else cues)
        self.model = model

    def read(self, text: str) -> list[Clause]:
        """The message's clauses with the cues found in each."""
        return [self._reader.read(chunk, after) for chunk, after in chunks(text)]

    def features(self, text: str, clauses: Sequence[Clause]) -> dict[str, float]:
        """What the model weighs (`complaint_model.features`)."""
        return complaint_model.features(self._normaliser.stems(text), clauses, text)

    def hear(self, text: str) -> Voice | None:
        """The complaint or suggestion in `text`, or None for a plain question or chat."""
        clauses = self.read(text)
        message = _Message.of(clauses)
        before = [frozenset[str](), *(c.topics() if not c.asks else frozenset() for c in clauses)]
        earlier: set[str] = set()
        for i, clause in enumerate(clauses):
            if clause.size <= VERDICT:
                before[i] = before[i] | earlier
            earlier |= before[i + 1]
        # A problem the sender explains by their own doing, in a message that asks, is theirs:
        # "verifikasi gagal terus karena kamera hp ku jelek. Boleh pakai hp lain?"
        own = [message.asks and c.blames_sender for c in clauses[1:]] + [False]
        verdicts = [
            (_verdict(clause, topics, message, mine), clause)
            for clause, topics, mine in zip(clauses, before, own, strict=False)
        ]
        voiced = [(kind, clause) for kind, clause in verdicts if kind is not None]
        if not voiced:
            return self._second_opinion(text, clauses, message)
        kind = COMPLAINT if any(k == COMPLAINT for k, _ in voiced) else SUGGESTION
        told = {h.cue.phrase.lstrip("=~") for _, c in voiced for h in c.hits if h.kind in _TOLD}
        topic = _topic([c for _, c in voiced], clauses)
        return Voice(kind, topic, tuple(sorted(told)), asks=message.asks)

    def _second_opinion(
        self, text: str, clauses: Sequence[Clause], message: _Message
    ) -> Voice | None:
        """What the model hears where no cue decided: a suggestion when the message only
        wishes for something better, else a complaint. The sender's own plan ("jadwal saya mau
        diubah") is a question here as it is to the cues."""
        if self.model is None or any(c.has("want") for c in clauses):
            return None
        if not self.model.hears(self.features(text, clauses)):
            return None
        wishes = any(c.has(*_WISHES) for c in clauses)
        bad = any(c.has("complaint", "negative", "problem") for c in clauses)
        kind = SUGGESTION if wishes and not bad else COMPLAINT
        return Voice(kind, _topic(clauses, clauses), ("model",), asks=message.asks, sure=False)


def _verdict(
    clause: Clause, before: frozenset[str], message: _Message, own: bool = False
) -> str | None:
    """COMPLAINT, SUGGESTION or None for one clause; `before` are the topics of the clause
    before it when that one tells ("parkirnya bayar lagi, mahal"); `own` when the clause after
    it blames the sender in a message that asks."""
    if clause.has("complaint"):
        return COMPLAINT
    if clause.has("suggestion"):
        return SUGGESTION
    if clause.supposes or own:
        return None  # "kalau antre lama gimana?" is no complaint
    if _complains(clause, before, message):
        return COMPLAINT
    return SUGGESTION if _suggests(clause, message) else None


def _complains(clause: Clause, before: frozenset[str], message: _Message) -> bool:
    bad = [hit for hit in clause.hits if hit.kind in {"negative", "problem"}]
    if any(_stressed(hit, clause, message) for hit in bad):
        return True
    negative = any(hit.kind == "negative" for hit in bad)
    framed = clause.has("frame") or clause.exclaims
    if (clause.has("despite") and bad) or (framed and negative):
        return True
    if not message.tells:
        return False  # the weak signs below are context for a question ("ATM lagi rusak")
    topics = clause.topics()
    about = bool(topics | before) and (negative or clause.has("few"))
    waited = bool(topics & WAITING) and (clause.has("duration") or clause.long_time)
    return about or waited


def _stressed(hit: Hit, clause: Clause, message: _Message) -> bool:
    """Stressed next to it, or repeated, or said of a long time in a message that asks
    nothing; a problem brought for help counts only when stressed or long ("error banget",
    "down seharian", not "ditolak terus, harus gimana?")."""
    if clause.has("duration"):
        return True
    if hit.kind == "problem" and message.helpless:
        return clause.near(hit, {"stress"})
    # "jadi dalam empat hari kerja, kan?" asks about a time; "udah 2 jam ga dipanggil, kapan?"
    # tells one (but "sudah 3 hari status masih verifikasi, normal ga?" brings a problem to ask)
    told = clause.elapsed and hit.kind == "negative"
    timed = clause.long_time and (told or not message.asks)
    return timed or clause.near(hit, {"stress", "repeat"})


def _suggests(clause: Clause, message: _Message) -> bool:
    if clause.has("want"):
        return False  # the sender's own plan: "kalau bisa saya mau ganti jadwal"
    if clause.has("advice") and not clause.asks:
        return True
    requested = clause.has("request")  # in this clause: "mohon maaf, ..., bisa diperbaiki?"
    if clause.has("mine") or (clause.asks and not requested):
        return False  # "tolong jadwal saya diganti" asks for the sender's own case
    about = bool(clause.topics())
    changed = clause.has("change") and about and requested
    return clause.has("improve") or (clause.has("add") and about) or changed


def _topic(voiced: Sequence[Clause], clauses: Sequence[Clause]) -> str:
    """The topic the complaining clauses name most (a named topic counts double the hint of
    a complaint word), else the one the whole message names, else OTHER."""
    order = list(TOPICS)
    for group in (voiced, clauses):
        votes: Counter[str] = Counter()
        for clause in group:
            votes.update({topic: 2 for topic in clause.topics()})
            hinted = {h.cue for h in clause.hits if h.kind in {"complaint", "negative", "problem"}}
            votes.update(cue.topic for cue in hinted if cue.topic)
        if votes:
            return max(votes, key=lambda t: (votes[t], -order.index(t)))
    return OTHER


@cache
def shipped_cues() -> tuple[Cue, ...]:
    """The cue file's rows (comments and the header line skipped)."""
    raw = resources.files("knowledge").joinpath("data", "complaints.tsv").read_text("utf-8")
    lines = [line for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    cues = []
    for line in lines[1:]:
        phrase, kind, *rest = (cell.strip() for cell in line.split("\t"))
        cues.append(Cue(phrase, kind, rest[0] if rest and rest[0] else None))
    return tuple(cues)


@cache
def default_recogniser() -> Recogniser:
    """The shipped cues and model over the default normaliser (built once per process)."""
    return Recogniser(model=complaint_model.shipped())

"""Hear complaints and suggestions in a message, whether or not it also asks something.

A message is cut into clauses (sentences, and parts between commas). Each clause is read through
the normaliser twice, after the slang maps and as typed, and the team-written cues of
`data/complaints.tsv` are found in both readings. A clause complains when it says so outright
("kecewa"), when something bad is stressed ("lama banget", "error terus", "nunggu dari pagi"),
said in a complaining frame ("kok lama"), or said of a topic in a clause that asks nothing
("kursinya sedikit"); it suggests when it says so ("saran saya") or asks for an improvement
("tolong dipercepat", "waktu bayar ditambah"). The topic is the one its clauses name most.
Pure and synchronous: features and word lists, no memorised sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from knowledge.text import Normaliser, clean

COMPLAINT, SUGGESTION = "keluhan", "saran"
OTHER = "lainnya"
# Topic ids as the cue file names them, with the label reports show; the order breaks ties.
TOPICS = {
    "petugas": "Petugas dan pelayanan",
    "aplikasi": "Aplikasi M-Paspor",
    "pembayaran": "Pembayaran dan biaya",
    "fasilitas": "Fasilitas kantor",
    "proses": "Lama proses",
    "antrean": "Antrean dan kuota",
    "kontak": "Kontak dan informasi",
    OTHER: "Lainnya",
}
# A long time said of these is a long wait: a complaint by itself ("antre dari pagi").
WAITING = frozenset({"antrean", "proses"})
KINDS = frozenset(
    [
        *("complaint", "suggestion", "advice", "negative", "few", "problem", "stress"),
        *("repeat", "duration", "frame", "improve", "add", "request", "want", "asking"),
        *("tag", "condition", "negator", "neutral", "topic", "despite", "help", "mine"),
    ]
)
# How far (in words) a stress or repeat may stand from the negative it stresses.
NEAR = 2
# Sentence ends, and commas that are not inside a number ("650,000").
_CLAUSE = re.compile(r"([.!?;\n]+|(?<!\d),|,(?!\d))")
# "3x", "dua kali": tried again and again.
_TIMES = re.compile(r"\b(?:[2-9]|\d{2,}|dua|tiga|empat|lima|beberapa) ?(?:x|kali)\b")
# "2 jam", "3 minggu", but not "2 hari lalu" or "3 minggu lagi" (when, not how long).
_NUMBER_TIME = re.compile(
    r"\b(?:\d+|dua|tiga|empat|lima|enam|tujuh|delapan|sepuluh|beberapa)"
    r" (?:jam|hari|minggu|bulan)\b(?! (?:yang )?lalu\b| lagi\b)"
    # "dari jam 8 sampai jam 1": a span of the day.
    r"|\bdari jam \d+ (?:sampai|sampe|smp|hingga|ampe) (?:jam )?\d+"
)
# Endings and a slang prefix the stemmer does not take off: "petugasnya" (it makes "tugas" of
# it, but keeps "petugas" whole), Palembang "pelayanannyo", "ngeblank", "ngebentak".
_POSSESSIVE = re.compile(r"(?<=[a-z]{4})(?:nya|nyo|ku|mu)$")
_NGE = re.compile(r"^nge(?=[a-z]{3})")

# The readings of a clause: normalised words and their stems, typed words and their stems.
NORM, NORM_STEM, RAW, RAW_STEM = range(4)
EMOJI = -1


@dataclass(frozen=True, slots=True)
class Voice:
    """A complaint ("keluhan") or a suggestion ("saran"), its topic and the cues heard."""

    kind: str
    topic: str
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cue:
    """One row of the cue file."""

    phrase: str
    kind: str
    topic: str | None = None


# "ga masuk2", "tidak dipanggil-panggil": the thing never happens, however long one waits.
NEVER = (Cue("tidak X-X", "problem"), Cue("X-X", "repeat"))


@dataclass(frozen=True, slots=True)
class _Hit:
    cue: Cue
    view: int
    start: int
    end: int

    @property
    def reading(self) -> int:
        """Normalised (0) or typed (1): words and stems of one reading share positions."""
        return self.view // 2 if self.view >= 0 else EMOJI


@dataclass(frozen=True, slots=True)
class _Clause:
    hits: tuple[_Hit, ...]
    asks: bool
    exclaims: bool
    long_time: bool  # a number of hours, days, weeks or months ("2 jam"), or of tries ("3x")
    supposes: bool  # opens with "kalau", "jika": what it says is not what happened

    def has(self, *kinds: str) -> bool:
        return any(hit.cue.kind in kinds for hit in self.hits)

    def topics(self) -> frozenset[str]:
        return frozenset(h.cue.topic for h in self.hits if h.cue.kind == "topic" and h.cue.topic)


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


class Recogniser:
    """Finds complaints and suggestions; build once (it compiles the cues), use many times."""

    def __init__(
        self, normaliser: Normaliser | None = None, cues: Iterable[Cue] | None = None
    ) -> None:
        self._normaliser = normaliser or Normaliser()
        self._patterns: list[dict[tuple[str, ...], list[Cue]]] = [{} for _ in range(4)]
        self._symbols: list[Cue] = []
        for cue in shipped_cues() if cues is None else cues:
            if cue.kind not in KINDS or (cue.topic is not None and cue.topic not in TOPICS):
                raise ValueError(f"unknown cue kind or topic in {cue}")
            self._add(cue)
        self._longest = max((len(k) for view in self._patterns for k in view), default=1)

    def hear(self, text: str) -> Voice | None:
        """The complaint or suggestion in `text`, or None for a plain question or chat."""
        clauses = [self._read(chunk, after) for chunk, after in _chunks(text)]
        message = _Message.of(clauses)
        before = [frozenset[str](), *(clause.topics() for clause in clauses)]
        verdicts = [
            (_verdict(clause, topics, message), clause)
            for clause, topics in zip(clauses, before, strict=False)
        ]
        voiced = [(kind, clause) for kind, clause in verdicts if kind is not None]
        if not voiced:
            return None
        kind = COMPLAINT if any(k == COMPLAINT for k, _ in voiced) else SUGGESTION
        topic = _topic([c for _, c in voiced], clauses)
        cues = sorted({h.cue.phrase.lstrip("=~") for _, c in voiced for h in c.hits if _heard(h)})
        return Voice(kind, topic, tuple(cues))

    def _add(self, cue: Cue) -> None:
        if not any(ch.isalnum() for ch in cue.phrase):
            self._symbols.append(cue)
            return
        for view, words in self._forms(cue.phrase):
            if words:
                self._patterns[view].setdefault(words, []).append(cue)

    def _forms(self, phrase: str) -> list[tuple[int, tuple[str, ...]]]:
        """Where and as what a phrase is looked for: "~" as typed, "=" as whole words,
        otherwise as stems in both readings."""
        normaliser = self._normaliser
        if phrase.startswith("~"):
            return [(RAW, tuple(clean(phrase[1:]).split()))]
        if phrase.startswith("="):
            word = phrase[1:]
            return [(NORM, tuple(normaliser.words(word))), (RAW, tuple(clean(word).split()))]
        norm = tuple(self._stem(w) for w in normaliser.words(phrase))
        raw = tuple(self._stem(w) for w in clean(phrase).split())
        return [(NORM_STEM, norm), (RAW_STEM, raw)]

    def _stem(self, word: str) -> str:
        """The stem without a possessive ending: the stemmer takes "petugas" whole but
        "petugasnya" to "tugas"."""
        return self._normaliser.stem(_POSSESSIVE.sub("", _NGE.sub("", word)))

    def _read(self, chunk: str, after: str) -> _Clause:
        normaliser = self._normaliser
        norm, raw = normaliser.words(chunk), clean(chunk).split()
        readings = (norm, [self._stem(w) for w in norm], raw, [self._stem(w) for w in raw])
        hits = [hit for view, words in enumerate(readings) for hit in self._find(view, words)]
        hits += [_Hit(cue, EMOJI, 0, 0) for cue in self._symbols if cue.phrase in chunk]
        typed = " ".join(raw)
        hits += _never(norm, typed, hits)
        asks = "?" in after or _asks(hits, len(norm))
        long_time = bool(_NUMBER_TIME.search(typed) or _TIMES.search(typed))
        supposes = any(h.cue.kind == "condition" and h.start < 2 for h in _outside(hits))
        return _Clause(tuple(_disarmed(_outside(hits))), asks, "!" in after, long_time, supposes)

    def _find(self, view: int, words: Sequence[str]) -> list[_Hit]:
        patterns, found = self._patterns[view], []
        for start in range(len(words)):
            for size in range(1, min(self._longest, len(words) - start) + 1):
                for cue in patterns.get(tuple(words[start : start + size]), ()):
                    found.append(_Hit(cue, view, start, start + size))
        return found


def _chunks(text: str) -> list[tuple[str, str]]:
    """Clauses with the punctuation that ends each ("?" asks, "!" exclaims)."""
    pieces = _CLAUSE.split(text)
    pairs = zip(pieces[::2], [*pieces[1::2], ""], strict=True)
    return [(chunk, after) for chunk, after in pairs if chunk.strip()]


def _asks(hits: Sequence[_Hit], size: int) -> bool:
    """A question word, or a tag ending the clause ("lama ga")."""
    return any(
        hit.cue.kind == "asking"
        or (hit.cue.kind == "tag" and hit.view == NORM and hit.end == size)
        for hit in hits
    )


def _outside(hits: Sequence[_Hit]) -> list[_Hit]:
    """Hits not inside a longer phrase of another kind: "kalau" in "kalau bisa" is a request,
    "dibuka" in "tidak bisa dibuka" a problem, not a change asked for."""
    return [
        hit
        for hit in hits
        if not any(
            other.cue.kind != hit.cue.kind
            and other.end - other.start > hit.end - hit.start
            and _overlap(hit, other)
            for other in hits
        )
    ]


def _never(words: Sequence[str], typed: str, hits: Sequence[_Hit]) -> list[_Hit]:
    """A negator before a word typed twice ("ga masuk2"), but not "tidak apa apa" (nor two
    slang words the maps made one: "ga buat bikin")."""
    found = []
    for hit in hits:
        if hit.cue.kind == "negator" and hit.view == NORM_STEM:
            pair = words[hit.end : hit.end + 2]
            asking = any(h.cue.kind == "asking" and h.start == hit.end for h in hits)
            doubled = len(pair) == 2 and pair[0] == pair[1] and f"{pair[0]} {pair[0]}" in typed
            if doubled and len(pair[0]) > 3 and not asking:
                found += [_Hit(cue, NORM, hit.start, hit.end + 2) for cue in NEVER]
    return found


def _overlap(one: _Hit, other: _Hit) -> bool:
    """Both in one reading, sharing a word."""
    same = one.reading == other.reading
    return same and one.start < other.end and other.start < one.end


def _disarmed(hits: list[_Hit]) -> list[_Hit]:
    """Drop what a neutral phrase covers ("berapa lama") and one-word negatives and
    complaints right after a negator ("tidak lama"), in every reading where it was found."""
    dropped: set[tuple[Cue, int]] = set()
    ranks = _ranks(hits)
    for hit in hits:
        if hit.cue.kind in {"neutral", "negator"}:
            for other in hits:
                if other.reading == hit.reading and _disarms(hit, other):
                    dropped.add((other.cue, ranks[other]))
    return [h for h in hits if (h.cue, ranks[h]) not in dropped and h.cue.kind != "neutral"]


def _disarms(by: _Hit, hit: _Hit) -> bool:
    if by.cue.kind == "neutral":
        return hit.cue.kind != "neutral" and _overlap(by, hit)
    one_word = hit.end - hit.start == 1
    negatable = hit.cue.kind in {"negative", "complaint", "few"}
    return negatable and one_word and 0 <= hit.start - by.end <= NEAR - 1


def _ranks(hits: list[_Hit]) -> dict[_Hit, int]:
    """Which occurrence of its cue each hit is in its reading (the k-th "lama" of the typed
    words is the k-th "lama" of the normalised ones)."""
    seen: Counter[tuple[Cue, int]] = Counter()
    ranks = {}
    for hit in sorted(hits, key=lambda h: (h.view, h.start)):
        ranks[hit] = seen[(hit.cue, hit.view)]
        seen[(hit.cue, hit.view)] += 1
    return ranks


@dataclass(frozen=True, slots=True)
class _Message:
    """What the whole message says besides one clause."""

    requested: bool  # tolong, mohon: a change named anywhere is asked for
    asks: bool  # some clause asks
    helpless: bool  # mohon bantuan, harus gimana: a problem is a request for help

    @classmethod
    def of(cls, clauses: Sequence[_Clause]) -> _Message:
        return cls(
            any(c.has("request") for c in clauses),
            any(c.asks for c in clauses),
            any(c.has("help") for c in clauses),
        )


def _verdict(clause: _Clause, before: frozenset[str], message: _Message) -> str | None:
    """COMPLAINT, SUGGESTION or None for one clause; `before` are the topics of the clause
    before it ("parkirnya bayar lagi, mahal")."""
    if clause.has("complaint"):
        return COMPLAINT
    if clause.has("suggestion"):
        return SUGGESTION
    if clause.supposes:
        return None  # "kalau antre lama gimana?" is no complaint
    if _complains(clause, before, message):
        return COMPLAINT
    return SUGGESTION if _suggests(clause, message) else None


def _complains(clause: _Clause, before: frozenset[str], message: _Message) -> bool:
    bad = [hit for hit in clause.hits if hit.cue.kind in {"negative", "problem"}]
    if any(_stressed(hit, clause, message) for hit in bad):
        return True
    negative = any(hit.cue.kind == "negative" for hit in bad)
    framed = clause.has("frame") or clause.exclaims
    if (clause.has("despite") and bad) or (framed and negative):
        return True
    if clause.asks:
        return False
    topics = clause.topics()
    # "Only" is a fact in a message that asks ("jadwalnya cuma senin, bisa hari lain?").
    few = clause.has("few") and not message.asks
    about = bool(topics | before) and (negative or few)
    waited = bool(topics & WAITING) and (clause.has("duration") or clause.long_time)
    return about or waited


def _stressed(hit: _Hit, clause: _Clause, message: _Message) -> bool:
    """Stressed next to it, or repeated or said of a long time; a problem in a message that
    asks for help counts only when stressed ("error banget", not "ditolak terus")."""
    again = {"stress"} if hit.cue.kind == "problem" and message.helpless else {"stress", "repeat"}
    if "repeat" in again and (clause.has("duration") or clause.long_time):
        return True
    return any(
        other.cue.kind in again
        and other.reading == hit.reading
        and max(other.start - hit.end, hit.start - other.end) < NEAR
        for other in clause.hits
    )


def _suggests(clause: _Clause, message: _Message) -> bool:
    if clause.has("want"):
        return False  # the sender's own plan: "kalau bisa saya mau ganti jadwal"
    if clause.has("advice") and not clause.asks:
        return True
    if clause.has("mine") or (clause.asks and not message.requested):
        return False  # "tolong jadwal saya diganti" asks for the sender's own case
    return clause.has("improve") or (clause.has("add") and bool(clause.topics()))


def _topic(voiced: Sequence[_Clause], clauses: Sequence[_Clause]) -> str:
    """The topic the complaining clauses name most (a named topic counts double the hint of
    a negative word), else the one the whole message names, else OTHER."""
    for group in (voiced, clauses):
        votes: Counter[str] = Counter()
        for clause in group:
            votes.update({topic: 2 for topic in clause.topics()})
            hinted = {
                h.cue for h in clause.hits if h.cue.kind in {"complaint", "negative", "problem"}
            }
            votes.update(cue.topic for cue in hinted if cue.topic)
        if votes:
            order = list(TOPICS)
            return max(votes, key=lambda t: (votes[t], -order.index(t)))
    return OTHER


@cache
def default_recogniser() -> Recogniser:
    """The shipped cues over the default normaliser (built once per process)."""
    return Recogniser()


def _heard(hit: _Hit) -> bool:
    """A cue worth naming in a Voice: what complained or suggested, not topics or questions."""
    return hit.cue.kind in {"complaint", "suggestion", "advice", "negative", "few", "problem"} | {
        "stress",
        "repeat",
        "duration",
        "frame",
        "despite",
        "improve",
        "add",
        "request",
    }

"""Hearing complaints and suggestions: the team-written test set's figures, the features the
recogniser generalises on, and the cue file itself.

tests/data/complaints.tsv was written in batches (its header says how): the cues were tuned on
the earlier batches and the complaint model fitted on them; "final2" and "final3" were written
before the model and neither tuned nor fitted on. The whole set must reach recall 0.90 with at
most 5% of plain questions flagged, and so must every batch's false flags; the held-out batches,
the honest figures, are held to what they measured (final2 47 of 51, final3 73 of 80), so
that a change that makes the recogniser worse on unseen messages fails here.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

import pytest

from knowledge.complaint_cues import KINDS, TOPICS
from knowledge.complaint_hits import Cue
from knowledge.complaints import COMPLAINT, SUGGESTION, Recogniser, default_recogniser
from knowledge.complaints import shipped_cues as cues

ROOT = Path(__file__).resolve().parents[2]
TEST_SET = ROOT / "tests" / "data" / "complaints.tsv"
SHARED = ROOT.parent / "shared" / "eval"
LABELS = {COMPLAINT, SUGGESTION, "pertanyaan"}
# In the order they were written (the header of the test set says how).
SPLITS = {"tune", "held", "fresh", "fresh2", "long", "long2", "final", "final2", "final3"}


def rows() -> list[tuple[str, str, str, str]]:
    lines = [line for line in TEST_SET.read_text("utf-8").splitlines() if not line.startswith("#")]
    return [tuple(line.split("\t")) for line in lines[1:]]  # type: ignore[misc]


def figures(split: set[str] | None = None) -> tuple[float, float, int, int]:
    """Recall on complaints and suggestions, share of plain questions flagged, and counts."""
    hear = default_recogniser().hear
    chosen = [r for r in rows() if split is None or r[3] in split]
    voices = [text for text, label, _, _ in chosen if label != "pertanyaan"]
    plain = [text for text, label, _, _ in chosen if label == "pertanyaan"]
    recall = sum(hear(text) is not None for text in voices) / len(voices)
    flagged = sum(hear(text) is not None for text in plain) / len(plain)
    return recall, flagged, len(voices), len(plain)


def test_the_test_set_is_big_enough_and_well_formed() -> None:
    found = rows()
    labels = Counter(label for _, label, _, _ in found)
    assert labels[COMPLAINT] + labels[SUGGESTION] >= 60
    assert labels["pertanyaan"] >= 200
    assert set(labels) == LABELS
    assert len({text for text, *_ in found}) == len(found)
    for text, label, topic, split in found:
        assert (topic in TOPICS) == (label != "pertanyaan"), text
        assert split in SPLITS, text


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared dev sets are not beside the checkout")
def test_no_row_is_copied_from_the_shared_dev_sets() -> None:
    dev: set[str] = set()
    for path in SHARED.glob("*.tsv"):
        with path.open(encoding="utf-8", newline="") as handle:
            dev |= {cells[0].casefold() for cells in csv.reader(handle, delimiter="\t") if cells}
    assert not {text.casefold() for text, *_ in rows()} & dev


def test_recall_and_false_flags_on_the_whole_test_set() -> None:
    recall, flagged, _, _ = figures()
    assert recall >= 0.90
    assert flagged <= 0.05


@pytest.mark.parametrize(
    ("split", "size", "heard", "flags"),
    [
        # With the model: 47 of 51 (the cues alone 42), 2 of 92 flagged.
        ("final2", (51, 92), 47, 2),
        # With the model: 73 of 80 (the cues alone 64), 7 of 160 flagged.
        ("final3", (80, 160), 73, 7),
    ],
)
def test_the_held_out_batches_do_not_get_worse(
    split: str, size: tuple[int, int], heard: int, flags: int
) -> None:
    recall, flagged, voices, plain = figures({split})
    assert (voices, plain) == size
    assert recall >= heard / voices
    assert flagged <= flags / plain


def test_the_cues_alone_hear_less_of_the_unseen_batches() -> None:
    """The model's share: without it the unseen batches fall to what the cues measured."""
    plain = Recogniser()
    for split, heard in (("final2", 42), ("final3", 64)):
        voices = [text for text, label, _, s in rows() if s == split and label != "pertanyaan"]
        assert sum(plain.hear(text) is not None for text in voices) <= heard


def test_the_earlier_held_out_batch_was_tuned_on_but_stays_heard() -> None:
    recall, flagged, voices, plain = figures({"final"})
    assert (voices, plain) == (28, 47)
    assert recall >= 0.82  # held out, it measured 24 of 28 (0.857); since tuned on
    assert flagged <= 0.03


@pytest.mark.parametrize("split", sorted(SPLITS))
def test_no_batch_flags_more_than_five_percent_of_questions(split: str) -> None:
    _, flagged, _, _ = figures({split})
    assert flagged <= 0.05


def test_long_messages_with_context_are_rarely_taken_for_complaints() -> None:
    _, flagged, _, plain = figures({"long", "long2"})
    assert plain == 81
    assert flagged <= 0.05


@pytest.mark.parametrize(
    ("text", "kind", "topic"),
    [
        # The four examples of issue 17.
        ("antreannya hampir sejam", COMPLAINT, "antrean"),
        ("kursinya sedikit", COMPLAINT, "fasilitas"),
        ("15 hari terlalu lama, tolong dipercepat", COMPLAINT, "proses"),
        ("waktu bayar ditambah jadi 5 jam", SUGGESTION, "pembayaran"),
        # Slang, typos, stretched letters, regional words, emoji.
        ("aplikasinya lemotttt bgt", COMPLAINT, "aplikasi"),
        ("otp ga masuk2 dr kmrn", COMPLAINT, "aplikasi"),
        ("petugasnya galak", COMPLAINT, "petugas"),  # not Palembang "galak" = "mau"
        ("pelayanannyo lamo nian", COMPLAINT, "petugas"),
        ("ac nya mati, gerah 😡", COMPLAINT, "fasilitas"),
        ("nunggu dari jam 8 sampai jam 1 baru dipanggil", COMPLAINT, "antrean"),
        ("saran saya loket ditambah", SUGGESTION, "antrean"),
        ("mohon toilet dibersihkan lebih sering", SUGGESTION, "fasilitas"),
        # A long time gone by is told even beside a question; a stress inside a bad phrase.
        ("sms dari kanim udah 4 hari ga dibales, trus gmn?", COMPLAINT, "kontak"),
        ("slot jadwal habis terus, ada info kapan dibuka?", COMPLAINT, "antrean"),
        ("sejak 2 minggu lalu belum dipanggil juga, nomor saya kapan?", COMPLAINT, "antrean"),
        # A short verdict judges what was told before it; two bad things besides a question.
        ("tadi antre di loket 3 ditanya berkas terus. ribet", COMPLAINT, "antrean"),
        ("kemarin antre di loket foto, disuruh pindah ke lantai 2. ribet", COMPLAINT, "antrean"),
        (
            "kenapa ya min? tadi petugas parkir marah marah, ruang tunggunya juga pengap",
            COMPLAINT,
            "fasilitas",
        ),
        # A word both bad and a stress; advice bound to a topic.
        ("antrean loketnya parah", COMPLAINT, "antrean"),
        ("mending loket pengambilan dipisah dari loket wawancara", SUGGESTION, "antrean"),
    ],
)
def test_complaints_and_suggestions_are_heard(text: str, kind: str, topic: str) -> None:
    voice = default_recogniser().hear(text)
    assert voice is not None, text
    assert (voice.kind, voice.topic) == (kind, topic)


@pytest.mark.parametrize(
    "text",
    [
        "berapa lama paspor jadi?",  # "lama" asked neutrally
        "paspor lama saya hilang",  # "lama" is "old"
        "tidak lama kok, cepat",  # negated
        "kalau antre lama gimana?",  # supposed
        "paspor saya sudah mati 2 tahun, bisa diperpanjang?",  # an expired passport
        "jadwal saya mau diubah ke minggu depan",  # the sender's own plan
        "sebaiknya saya datang jam berapa",  # asking for advice
        "minta saran dong, paspor 5 atau 10 tahun?",
        "kasih tau syaratnya ya min",  # "kasih" is no "kasihan"
        "biar cepat, bayar di mana?",  # "biar" is no "dibiarkan"
        "tanggal 12 jam 10 bisa ganti tanggal?",  # a time of day, no long wait
        "KK saya belum diperbarui, bisa daftar?",  # a state, no wish
        "mohon bantuannya, foto saya ditolak terus, harus gimana?",  # brought for help
        "min, ATM lagi rusak, kode billing berlaku sampai kapan?",  # context for a question
        "tidak apa apa min, terima kasih",
        # The sender's own doing explains the problem; a clause ends as its sentence does.
        "upload ktp gagal terus karena foto saya buram, boleh foto ulang di kantor?",
        "bisa minta jadwal dimajukan karena saya harus kembali kerja?",
        # "parah" does not stress itself: traffic on the way is context for the question.
        "besok jalan tol macet parah, boleh datang jam 11?",
        # "kak" is not "bangku" read through the possessive; advice passed on to the sender.
        "kak, kata teman mending bikin paspor elektronik, bener ga",
        "kak kursinya boleh pilih sendiri?",
        # A problem and the sender's own state are no two grievances.
        "saya sakit dan tidak bisa datang. kuota bulan ini juga penuh. kapan daftar lagi?",
        "paspor saya sudah 3 bulan habis, masih bisa diperpanjang?",
    ],
)
def test_plain_questions_are_not_heard(text: str) -> None:
    assert default_recogniser().hear(text) is None


def test_a_message_that_also_asks_says_so() -> None:
    asking = default_recogniser().hear("ngantri lama bgt, trus syaratnya apa?")
    telling = default_recogniser().hear("ngantri lama bgt")
    assert asking is not None
    assert telling is not None
    assert (asking.asks, telling.asks) == (True, False)


def test_long_messages_cost_linear_time() -> None:
    hear = default_recogniser().hear
    for text in ("antri " * 800, "tidak lama banget kalau bisa " * 140, "x" * 4000):
        # CPU time, not wall time: a loaded machine (CI runs three parts at once) stretches
        # the wall clock, not the work; a quadratic reading of 4,000 characters takes seconds.
        started = time.process_time()
        hear(text[:4000])
        assert time.process_time() - started < 0.5  # measured: 16-35 ms


def test_every_cue_row_is_known_and_once() -> None:
    shipped = cues()
    assert all(cue.kind in KINDS for cue in shipped)
    assert all(cue.topic is None or cue.topic in TOPICS for cue in shipped)
    assert all(cue.phrase.lstrip("=~") for cue in shipped)
    counted = Counter((cue.phrase, cue.kind) for cue in shipped)
    assert [row for row, n in counted.items() if n > 1] == []


def test_an_unknown_kind_or_topic_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown cue kind or topic"):
        Recogniser(cues=[Cue("lama", "grumble")])
    with pytest.raises(ValueError, match="unknown cue kind or topic"):
        Recogniser(cues=[Cue("lama", "negative", "cuaca")])

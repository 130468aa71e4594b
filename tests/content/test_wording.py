"""The words of a post come from its entry only, fit the slide and caption limits, and leave out
what only makes sense in the chat; an admin's edited words are checked and drawn again."""

from __future__ import annotations

import dataclasses
import functools
import re

import pytest
from reporting.helpers import ROOT

from bot.content.brand import brand_for, contact_of, office_tag, parse_hashtags
from bot.content.errors import ContentError
from bot.content.ideas import MAX_WORDS
from bot.content.render import render_post
from bot.content.vocabulary import Slide
from bot.content.wording import ASK_US, CAPTION_MAX, draft, problems
from bot.core.replies import fill
from knowledge.entries import Entry, KnowledgeBase
from knowledge.loader import load
from knowledge.policy import CHAT

CHAT_ONLY = re.compile(r"Tanya petugas|🙋|tekan tombol|lihat topik", re.IGNORECASE)
MARKER = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+", re.MULTILINE)
SENTENCE = re.compile(r"(?<=[.!?])\s+")
POINTER = re.compile(r"\s*\(lihat topik [^)]*\)")  # the one cut inside a sentence


@functools.cache
def kb() -> KnowledgeBase:
    return load(ROOT / "faq.yaml")


def topics() -> list[Entry]:
    """Every entry a post can be about (small talk never is)."""
    return [entry for entry in kb().entries if entry.category != CHAT]


def with_office(**contact: str) -> KnowledgeBase:
    return dataclasses.replace(kb(), office=dataclasses.replace(kb().office, **contact))


@pytest.mark.parametrize("entry", topics(), ids=lambda entry: entry.id)
def test_every_entry_makes_a_post_within_the_limits(entry: Entry) -> None:
    texts = draft(entry, kb(), brand_for(kb()))
    assert problems(texts) == []
    assert 3 <= len(texts.slides) <= 6
    assert [s.kind for s in texts.slides][:2] == ["cover", "step"]
    assert all(slide.words <= MAX_WORDS for slide in texts.slides)
    steps = [s.number for s in texts.slides if s.kind == "step"]
    assert steps == list(range(1, len(steps) + 1))
    assert len(texts.caption) <= CAPTION_MAX
    assert not CHAT_ONLY.search(texts.caption)
    assert not any(CHAT_ONLY.search(" ".join((s.heading, *s.lines))) for s in texts.slides)


@pytest.mark.parametrize("entry", topics(), ids=lambda entry: entry.id)
def test_every_sentence_on_a_slide_is_the_entry_s_own(entry: Entry) -> None:
    texts = draft(entry, kb(), brand_for(kb()))
    source = POINTER.sub("", MARKER.sub("", fill(f"{entry.answer}\n{entry.short}", kb())))
    cover, *rest = texts.slides
    assert (cover.heading, cover.lines) == (entry.title, (entry.questions[0],))
    for slide in rest:
        if slide.kind == "end":
            assert slide.lines == (ASK_US,)
            continue
        assert slide.heading in source
        for line in slide.lines:
            heading = line.removesuffix(":")  # a heading inlined when ideas were joined
            assert all(part in source for part in SENTENCE.split(heading)), line


def test_the_caption_hooks_answers_invites_and_gives_the_contact() -> None:
    entry = kb().get("biaya-paspor")
    assert entry is not None
    caption = draft(entry, kb(), brand_for(kb())).caption
    hook, answer, invite, contact, tags = caption.split("\n\n")
    assert hook == "Berapa biaya membuat paspor?"
    assert answer == fill(entry.short, kb()).strip()
    assert invite == "Tanya lewat DM atau komentar ya 🙏"
    assert contact == f"📞 Ditjen Imigrasi: {kb().national_contact_short}"
    assert tags == "#Paspor #MPaspor #BiayaPaspor #ImigrasiKalianda"


def test_the_office_s_own_contact_replaces_the_national_one() -> None:
    national = contact_of(kb())
    assert national == f"Ditjen Imigrasi: {kb().national_contact_short}"
    office = with_office(whatsapp="0811-7200-1234", phone="(0727) 322 100")
    assert contact_of(office) == "WA 0811-7200-1234, telp (0727) 322 100"
    entry = office.get("cek-status")
    assert entry is not None
    caption = draft(entry, office, brand_for(office)).caption
    assert "📞 WA 0811-7200-1234, telp (0727) 322 100" in caption
    assert "imigrasi.go.id" not in caption


def test_hashtags_are_the_office_s_or_its_name() -> None:
    assert office_tag("Kantor Imigrasi Kelas I TPI Bandar Lampung") == (
        "#ImigrasiKelasITPIBandarLampung"
    )
    assert parse_hashtags("#ImigrasiKalianda, PasporLampung") == (
        "#ImigrasiKalianda",
        "#PasporLampung",
    )
    with pytest.raises(ValueError, match="tagar"):
        parse_hashtags("#paspor-murah")
    brand = brand_for(kb(), hashtags=("#PasporLampung",))
    entry = kb().get("cara-bayar")
    assert entry is not None
    assert draft(entry, kb(), brand).caption.endswith(
        "#Paspor #MPaspor #BiayaPaspor #PasporLampung"
    )


def test_edited_words_are_drawn_again() -> None:
    entry = kb().get("akun-otp")
    assert entry is not None
    brand = brand_for(kb())
    texts = draft(entry, kb(), brand)
    first = render_post(texts, brand)
    edited = list(texts.slides)
    edited[1] = dataclasses.replace(edited[1], lines=("Cek folder Spam di email Anda.",))
    again = render_post(dataclasses.replace(texts, slides=tuple(edited)), brand)
    assert again.slides[1] != first.slides[1]
    assert again.slides[2:] == first.slides[2:]
    assert "Cek folder Spam di email Anda." in again.alt[1]
    assert again.caption == first.caption


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slides": 1}, "Slide 2: 40 kata, paling banyak 35."),
        ({"caption": "x" * 2201}, "Caption 2201 karakter, paling banyak 2200."),
        ({"caption": " ".join(f"#tag{n}" for n in range(31))}, "31 tagar, paling banyak 30"),
        ({"more": 7}, "7 slide; harus 3 sampai 6."),
        ({"empty": 2}, "Slide 3 kosong."),
    ],
)
def test_edited_words_beyond_the_limits_are_refused(
    change: dict[str, object], message: str
) -> None:
    entry = kb().get("akun-otp")
    assert entry is not None
    brand = brand_for(kb())
    texts = draft(entry, kb(), brand)
    slides = list(texts.slides)
    if "slides" in change:
        slides[1] = Slide("step", "", (" ".join(["kata"] * 40),), 1)
    if "more" in change:
        slides += [Slide("step", "", ("Satu lagi.",), 6)]
    if "empty" in change:
        slides[2] = Slide("step", " ", ("",), 2)
    caption = str(change.get("caption", texts.caption))
    edited = dataclasses.replace(texts, slides=tuple(slides), caption=caption)
    assert message in " ".join(problems(edited))
    with pytest.raises(ContentError, match=re.escape(message)):
        render_post(edited, brand)

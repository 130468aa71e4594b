"""Short first (issue 18): every entry's first reply fits one phone screen, and the whole
answer comes only on request, with the follow-ups and the votes."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.memory_log import MemoryLog

from bot.core.conversation import Conversation
from bot.core.replies import AGENT_BUTTON, DETAILS_BUTTON, HELPFUL, fallback_text
from bot.core.turns import Render
from bot.core.vocabulary import Reply
from knowledge.entries import Entry, KnowledgeBase
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.policy import CHAT, OUT_OF_SCOPE

from .conftest import says

ROOT = Path(__file__).resolve().parents[2]
FIRST_REPLY_MAX = 480
# Placeholders in the shape of real contacts: the filled-in footer must fit as well.
FILLED_OFFICE = {
    '  address: ""': '  address: "Jl. Contoh No. 1, Kalianda, Lampung Selatan 35551"',
    '  phone: ""': '  phone: "(0727) 000000"',
    '  whatsapp: ""': '  whatsapp: "0800-0000-0000"',
    '  email: ""': "  email: kanim.contoh@imigrasi.go.id",
    '  hours: ""': '  hours: "Senin–Jumat 08.00–16.00 WIB"',
}


def filled(tmp_path: Path) -> KnowledgeBase:
    text = (ROOT / "faq.yaml").read_text(encoding="utf-8")
    for empty, value in FILLED_OFFICE.items():
        text = text.replace(empty, value, 1)
    (tmp_path / "faq.yaml").write_text(text, encoding="utf-8")
    return load(tmp_path / "faq.yaml")


def screen(reply: Reply) -> int:
    """What a phone shows of a reply: its text and its buttons' labels."""
    return len(reply.text) + sum(len(button.label) for button in reply.buttons)


def first_reply(kb: KnowledgeBase, entry: Entry) -> Reply:
    """The reply the entry gives first: an answer, or for a pointer elsewhere, the fallback
    naming the right place (with the help buttons)."""
    render = Render(kb, agent=True, subscribe=True)
    if entry.category == OUT_OF_SCOPE:
        return render.with_help(fallback_text(kb, redirect=entry))
    return render.answer(entry, 2_147_483_647)


@pytest.mark.parametrize("office", ["as-shipped", "filled-in"])
def test_every_first_reply_fits_one_phone_screen(
    matcher: Matcher, tmp_path: Path, office: str
) -> None:
    kb = matcher.kb if office == "as-shipped" else filled(tmp_path)
    sizes = {entry.id: screen(first_reply(kb, entry)) for entry in kb.entries}
    assert {k: v for k, v in sizes.items() if v > FIRST_REPLY_MAX} == {}
    assert len(sizes) == len(kb.entries) >= 72  # every entry, new ones included


def test_a_long_answer_offers_only_the_details_and_a_short_one_has_no_button(
    matcher: Matcher,
) -> None:
    kb = matcher.kb
    for entry in kb.entries:
        if entry.category in {CHAT, OUT_OF_SCOPE}:
            continue  # small talk shows the menu; a pointer elsewhere offers a person
        labels = [button.label for button in first_reply(kb, entry).buttons]
        person = [AGENT_BUTTON] if entry.office_dependent else []
        assert (labels == [DETAILS_BUTTON, *person]) == entry.has_details, entry.id
    detailed = {entry.id for entry in kb.entries if entry.has_details}
    assert {"biaya-paspor", "syarat-anak", "kuota-jadwal"} <= detailed
    assert "terima-kasih" not in detailed  # nothing more to show


async def test_the_tap_brings_the_whole_answer_and_is_logged(matcher: Matcher) -> None:
    log = MemoryLog()
    core = Conversation(matcher, log, salt="test-salt")
    for question, entry_id in (
        ("biaya paspor berapa?", "biaya-paspor"),
        ("syarat paspor anak apa aja", "syarat-anak"),
        ("kuota penuh gimana", "kuota-jadwal"),
    ):
        # A note that the message was also taken as feedback may come before the answer.
        (answer,) = [reply for reply in await core.handle(says(question)) if reply.buttons]
        entry = matcher.kb.get(entry_id)
        assert entry is not None
        assert answer.text.startswith(entry.short.strip())
        whole = await core.handle(says(answer.buttons[0].data))
        assert whole[0].text.startswith(entry.answer.strip()[:60])
        assert HELPFUL in [button.label for button in whole[0].buttons]
        assert (log.recent()[0].action, log.recent()[0].faq_id) == ("details", entry_id)

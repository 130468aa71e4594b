"""Which office serves a chat (issue 21), on the real chat-office store (SQLite and PostgreSQL):
asked once, answered by free text or a button, a deep link, /kantor, a place named in a question,
and the office filled into answers and logged with every question."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.memory_log import MemoryLog

from bot.core.conversation import Conversation
from bot.core.offices import ANY_OFFICE, ASK, PICK_AREA, PICK_OFFICE, OfficeRouting
from bot.core.vocabulary import Incoming, Reply
from bot.storage.chat_offices import ChatOfficeStore
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.office_file import load_offices
from knowledge.offices import OfficeDirectory

ROOT = Path(__file__).resolve().parents[2]
MATCHER = Matcher(load(ROOT / "faq.yaml"))
DIRECTORY = load_offices(ROOT / "offices.yaml")
FEE = "brp biaya paspor"


def says(text: str, chat: str = "c1", office: str | None = None) -> Incoming:
    return Incoming(channel="test", chat_id=chat, user_id=chat, text=text, office=office)


def conversation(
    engine: AsyncEngine,
    log: MemoryLog,
    *,
    home: str | None,
    directory: OfficeDirectory = DIRECTORY,
) -> Conversation:
    routing = OfficeRouting(directory, ChatOfficeStore(engine), home=home)
    return Conversation(MATCHER, log, salt="s", offices=routing)


def text_of(replies: list[Reply]) -> str:
    return "\n".join(reply.text for reply in replies)


@pytest.fixture
def log() -> MemoryLog:
    return MemoryLog()


@pytest.mark.parametrize(
    ("said", "office", "name"),
    [
        ("Saya dari Way Kanan, bikin paspor di mana?", "kotabumi", "Kantor Imigrasi Kotabumi"),
        ("sy tinggal di pringsewu", "bandar-lampung", "Kantor Imigrasi Bandar Lampung"),
        ("domisili lamtim kak", "kalianda", "Kantor Imigrasi Kalianda"),
    ],
)
async def test_free_text_routes_to_the_office_serving_the_area(
    engine: AsyncEngine, log: MemoryLog, said: str, office: str, name: str
) -> None:
    chat = conversation(engine, log, home=None)
    replies = await chat.handle(says(said))
    assert name in replies[0].text
    assert ANY_OFFICE in replies[0].text  # any office may be chosen in M-Paspor
    assert "📞" in text_of(replies)  # the contact on every answer
    assert log.questions[-1].office_id == office
    # Remembered for the chat: the next question is answered for that office and logged so.
    await chat.handle(says(FEE))
    assert log.questions[-1].office_id == office
    assert ASK not in text_of(await chat.handle(says("syarat paspor anak")))


@pytest.mark.parametrize(
    ("area", "office"),
    [("Way Kanan", "kotabumi"), ("Pringsewu", "bandar-lampung"), ("Lampung Timur", "kalianda")],
)
async def test_a_new_chat_is_asked_once_and_a_button_answers(
    engine: AsyncEngine, log: MemoryLog, area: str, office: str
) -> None:
    chat = conversation(engine, log, home=None)
    first = await chat.handle(says(FEE))
    assert "Rp350.000" in first[0].text  # the question is answered first
    ask = first[-1]
    assert ask.text == ASK
    assert [b.label for b in ask.buttons] == [c.label for c in DIRECTORY.choices()]
    assert log.questions[-1].office_id is None
    # Ignored: asked once, not again.
    assert ASK not in text_of(await chat.handle(says("syarat paspor anak")))
    (picked,) = await chat.handle(says(PICK_AREA + area))
    assert DIRECTORY.get(office).short_name in picked.text  # type: ignore[union-attr]
    await chat.handle(says(FEE))
    assert log.questions[-1].office_id == office


async def test_answers_speak_of_the_chats_office(engine: AsyncEngine, log: MemoryLog) -> None:
    chat = conversation(engine, log, home=None)
    await chat.handle(says(PICK_AREA + "Way Kanan"))
    (answer, *_) = await chat.handle(says("#faq:kantor-kalianda"))
    assert answer.text.startswith("Kantor Imigrasi Kotabumi melayani paspor untuk warga")
    assert "Kabupaten Way Kanan" in answer.text
    assert "Kalianda" not in answer.text


async def test_a_deep_link_binds_the_chat(engine: AsyncEngine, log: MemoryLog) -> None:
    chat = conversation(engine, log, home=None)
    (welcome,) = await chat.handle(says("/start kotabumi"))
    assert "Kantor Imigrasi Kotabumi" in welcome.text  # the welcome names the office
    assert welcome.keyboard
    await chat.handle(says(FEE))
    assert log.questions[-1].office_id == "kotabumi"
    # An unknown payload is an ordinary /start and binds nothing.
    other = await chat.handle(says("/start atlantis", chat="c2"))
    assert other[0].keyboard
    assert ASK in text_of(other)


async def test_kantor_changes_the_office(engine: AsyncEngine, log: MemoryLog) -> None:
    chat = conversation(engine, log, home=None)
    await chat.handle(says(PICK_AREA + "Lampung Selatan"))
    (ask,) = await chat.handle(says("/kantor"))
    assert "Kantor Imigrasi Kalianda" in ask.text
    assert ASK in ask.text
    await chat.handle(says("mesuji"))
    await chat.handle(says(FEE))
    assert log.questions[-1].office_id == "kotabumi"


async def test_the_default_deployment_binds_kalianda_and_never_asks(
    engine: AsyncEngine, log: MemoryLog
) -> None:
    chat = conversation(engine, log, home="kalianda")
    replies = await chat.handle(says(FEE))
    assert ASK not in text_of(replies)
    assert log.questions[-1].office_id == "kalianda"
    # A Way Kanan resident hears which office serves them and may move there; until then the
    # chat stays with the office whose account it is.
    (lead, *_) = await chat.handle(says("saya dari way kanan, bikin paspor di mana?"))
    assert "Kantor Imigrasi Kotabumi" in lead.text
    assert ANY_OFFICE in lead.text
    assert log.questions[-1].office_id == "kalianda"
    use = next(b for b in lead.buttons if b.data.startswith(PICK_OFFICE))
    await chat.handle(says(use.data))
    await chat.handle(says(FEE))
    assert log.questions[-1].office_id == "kotabumi"


async def test_an_entry_points_office_binds_its_chats(engine: AsyncEngine, log: MemoryLog) -> None:
    chat = conversation(engine, log, home=None)
    replies = await chat.handle(says(FEE, office="bandar-lampung"))
    assert ASK not in text_of(replies)
    assert log.questions[-1].office_id == "bandar-lampung"


async def test_a_database_outage_answers_without_asking(
    engine: AsyncEngine, log: MemoryLog
) -> None:
    chat = conversation(engine, log, home=None)
    await engine.dispose()
    async with engine.begin() as connection:  # the table gone: every read and write fails
        await connection.exec_driver_sql("DROP TABLE chat_offices")
    replies = await chat.handle(says("saya dari way kanan"))
    assert "Kantor Imigrasi Kotabumi" in replies[0].text  # still told, though not remembered
    replies = await chat.handle(says(FEE))
    assert "Rp350.000" in replies[0].text
    assert ASK not in text_of(replies)

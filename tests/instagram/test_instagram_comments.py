"""Comments on the office's posts, end to end through `serve`: one private reply and a short
public one for a question, nothing for praise, emojis or tags, hidden on personal data, a
public fallback, no loops on the office's own comments, once per thread."""

from __future__ import annotations

import pytest
from fakes import instagram_payloads as payloads
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser
from privacy.dump import containing, table_texts
from support.rows import recent_questions

from bot.channels.instagram.comments import asks
from bot.channels.instagram.render import PUBLIC_ANSWERED, PUBLIC_FALLBACK
from bot.channels.instagram.texts import COMMENT_HIDDEN
from bot.core.replies import DETAILS_BUTTON, HELPFUL
from bot.runtime.app import App

from .harness import instagram_of

USER = IgUser("6543210987654321", "siti.pemohon")
OTHER = IgUser("6543210987650000", "budi.pemohon")
POST = "17999000000000042"


async def test_a_question_gets_one_private_reply_and_a_short_public_one(
    fake: FakeInstagram, bot: App
) -> None:
    status, comment_id = await fake.user_comments(USER, "min, berapa biaya paspor?", media_id=POST)
    assert status == 200
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    (private,) = fake.sent
    assert private.comment == comment_id
    assert "Rp650.000" in private.text
    assert DETAILS_BUTTON in [title for _, title in private.choices]  # short first
    ((under, text, _),) = fake.public_replies
    assert under == comment_id
    assert text.startswith(PUBLIC_ANSWERED)
    assert "Layanan pelanggan" in text  # the contact
    row = await instagram_of(bot).comments.comment(comment_id)
    assert row is not None
    assert (row.media_id, row.action, row.topic) == (POST, "answered", "biaya-paspor")
    assert row.replied_at is not None
    assert comment_id not in (row.comment_key, row.thread_key)  # ids are kept hashed


async def test_a_tap_on_the_private_replys_quick_reply_continues_in_dm(
    fake: FakeInstagram, bot: App
) -> None:
    await fake.user_comments(USER, "syarat paspor anak apa aja ya?")
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    (private,) = fake.sent
    await fake.user_taps(USER, private, DETAILS_BUTTON)
    details = fake.sent_to(USER.igsid)[1:]
    assert details
    assert all(sent.comment is None for sent in details)  # a DM now, not a private reply
    assert HELPFUL in [title for sent in details for _, title in sent.choices]


@pytest.mark.parametrize(
    "text",
    ["Mantap, pelayanannya cepat", "🔥🔥🔥", "@budi_s lihat ini", "terima kasih min", "halo"],
)
async def test_what_asks_nothing_gets_no_reply(fake: FakeInstagram, bot: App, text: str) -> None:
    status, comment_id = await fake.user_comments(USER, text)
    assert status == 200
    assert (fake.sent, fake.public_replies, fake.hidden) == ([], [], {})
    row = await instagram_of(bot).comments.comment(comment_id)
    assert row is not None
    assert row.action == "ignored"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("berapa biaya paspor", True),
        ("syarat paspor anak", True),
        ("paspor hilang gimana", True),
        ("bisa bikin paspor hari sabtu?", True),
        ("Mantap, pelayanannya cepat", False),
        ("semangat terus kantor imigrasi", False),
        ("lihat ini", False),
    ],
)
def test_what_counts_as_asking(text: str, expected: bool) -> None:
    assert asks(text) is expected


async def test_personal_data_is_hidden_and_its_author_told_in_private(
    fake: FakeInstagram, bot: App
) -> None:
    text = "paspor saya belum jadi, NIK 1801234567890001 hp 081234567890 gimana?"
    _, comment_id = await fake.user_comments(USER, text)
    await fake.wait_for(lambda: fake.hidden == {comment_id: True} and len(fake.sent) == 1)
    (private,) = fake.sent
    assert private.comment == comment_id
    assert private.text.startswith(COMMENT_HIDDEN)
    assert fake.public_replies == []
    (logged,) = await recent_questions(bot.store, 1)
    assert "1801234567890001" not in logged.text_redacted
    row = await instagram_of(bot).comments.comment(comment_id)
    assert row is not None
    assert row.action == "hidden"


async def test_a_question_the_bot_cannot_answer_gets_a_public_fallback(
    fake: FakeInstagram, bot: App
) -> None:
    _, comment_id = await fake.user_comments(
        USER, "bolehkah saya membawa hewan peliharaan ke ruang tunggu?"
    )
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    ((under, text, _),) = fake.public_replies
    assert under == comment_id
    assert text.startswith(PUBLIC_FALLBACK)
    assert "Layanan pelanggan" in text
    assert fake.sent == []  # no private reply: the DM is offered, not pushed


async def test_a_request_for_an_officer_in_a_comment_is_offered_a_dm(
    fake: FakeInstagram, bot: App
) -> None:
    await fake.user_comments(USER, "mau tanya petugas dong")
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    assert fake.public_replies[0][1].startswith(PUBLIC_FALLBACK)
    assert await bot.store.open_tickets() == []


async def test_the_offices_own_comments_are_never_answered(fake: FakeInstagram, bot: App) -> None:
    _, comment_id = await fake.user_comments(USER, "berapa biaya paspor?")
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    ((_, text, _),) = fake.public_replies
    # The bot's public reply comes back as the office's own comment, as do officers' ones.
    assert (await fake.office_comments(text, parent_id=comment_id))[0] == 200
    assert (await fake.office_comments("Berapa biaya paspor? Cek di bio ya!"))[0] == 200
    assert len(fake.public_replies) == 1
    assert len(fake.sent) == 1


async def test_replies_to_replies_are_read_but_a_thread_is_answered_once(
    fake: FakeInstagram, bot: App
) -> None:
    _, top = await fake.user_comments(USER, "berapa biaya paspor?")
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    _, reply = await fake.user_comments(OTHER, "syarat paspor anak apa?", parent_id=top)
    _, again = await fake.user_comments(USER, "kapan kantor buka?", parent_id=top)
    assert len(fake.public_replies) == 1
    assert len(fake.sent) == 1
    instagram = instagram_of(bot)
    for comment_id in (reply, again):
        row = await instagram.comments.comment(comment_id)
        assert row is not None
        assert row.action == "thread_done"


async def test_a_thread_whose_first_comment_asked_nothing_is_answered_later(
    fake: FakeInstagram, bot: App
) -> None:
    _, top = await fake.user_comments(USER, "Mantap pelayanannya")
    await fake.user_comments(OTHER, "berapa biaya paspor?", parent_id=top)
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    assert fake.public_replies[0][0] == top  # Instagram files replies under the top comment


async def test_the_dashboards_flat_test_payload_is_answered(fake: FakeInstagram, bot: App) -> None:
    _, comment_id = await fake.user_comments(USER, "berapa biaya paspor?", flat=True)
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    assert fake.sent[0].comment == comment_id


async def test_a_redelivered_comment_is_answered_once(fake: FakeInstagram, bot: App) -> None:
    value, _ = fake.comment_value(USER, "berapa biaya paspor?")
    body = payloads.envelope(fake.comment_entry(value))
    assert await fake.post(body) == 200
    assert await fake.post(body) == 200
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    assert len(fake.sent) == 1
    assert not [error for error in fake.errors if error[1] == 10900]  # no second private reply


async def test_a_batch_of_comments_and_dms_is_handled_whole(fake: FakeInstagram, bot: App) -> None:
    first, _ = fake.comment_value(USER, "berapa biaya paspor?")
    second, _ = fake.comment_value(OTHER, "syarat paspor anak apa?", media_id=POST)
    dm = fake.dm_entry(OTHER, payloads.text("jam buka kantor"))
    assert await fake.post_entries(fake.comment_entry(first, second), dm) == 200
    await fake.wait_for(lambda: len(fake.public_replies) == 2 and len(fake.sent) == 3)


async def test_no_instagram_id_nor_personal_data_is_kept_in_the_clear(
    fake: FakeInstagram, bot: App
) -> None:
    await fake.user_says(USER, "berapa biaya paspor")
    _, asked = await fake.user_comments(OTHER, "syarat paspor anak apa?")
    _, exposed = await fake.user_comments(USER, "NIK saya 1801234567890001 kok belum jadi?")
    await fake.wait_for(lambda: len(fake.public_replies) == 1 and exposed in fake.hidden)
    await fake.wait_for(lambda: len(fake.sent) == 3)
    texts = await table_texts(instagram_of(bot).store._engine)
    for needle in (USER.igsid, OTHER.igsid, asked, exposed, "1801234567890001"):
        assert containing(texts, needle) == [], needle

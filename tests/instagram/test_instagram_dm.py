"""Applicants in Instagram DMs, end to end: signed webhook POSTs in Meta's shapes to the real
`serve` route, the real core and database (SQLite and PostgreSQL), replies sent over real HTTP
to the strict fake Graph API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest
from fakes import instagram_payloads as payloads
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser
from support.meta_harness import served
from support.rows import count_questions, feedback_for, recent_questions

from bot.channels.instagram.store import CHANNEL, message_key
from bot.core.replies import (
    AGENT_BUTTON,
    DETAILS_BUTTON,
    HELPFUL,
    MEDIA,
    NOT_HELPFUL,
    SORRY_FEEDBACK,
    SUBSCRIBE_BUTTON,
)
from bot.core.vocabulary import Incoming
from bot.runtime.app import App
from bot.storage.queue import KEYS_KEPT

from .harness import VERIFY_TOKEN, instagram_of, instagram_settings

USER = IgUser("6543210987654321", "siti.pemohon")
OTHER = IgUser("6543210987650000", "budi.pemohon")


def titles(sent: payloads.IgSent) -> list[str]:
    return [title for _, title in sent.choices]


def first_button(bot: App, payload: str) -> str:
    """What the first reply to an entry offers: the details when it has more, else 👍."""
    entry = bot.conversation.matcher.kb.get(payload.removeprefix("#faq:"))
    assert entry is not None
    return DETAILS_BUTTON if entry.has_details else HELPFUL


async def test_verification_echoes_the_challenge_only_for_our_token(
    fake: FakeInstagram, bot: App
) -> None:
    assert fake.webhook_url is not None
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42ab"}
    async with httpx.AsyncClient() as client:
        ok = await client.get(fake.webhook_url, params=query)
        wrong = await client.get(fake.webhook_url, params={**query, "hub.verify_token": "x"})
        mode = await client.get(fake.webhook_url, params={**query, "hub.mode": "unsubscribe"})
    assert (ok.status_code, ok.text) == (200, "42ab")
    assert (wrong.status_code, mode.status_code) == (403, 403)


async def test_bad_or_missing_signatures_are_refused_and_nothing_stored(
    fake: FakeInstagram, bot: App
) -> None:
    body = payloads.envelope(fake.dm_entry(USER, payloads.text("berapa biaya paspor")))
    assert await fake.post(body, signature=None) == 403
    assert await fake.post(body, signature="sha256=" + "0" * 64) == 403
    assert await fake.post(body, signature="sha256=ganti") == 403
    assert fake.sent == []
    assert await count_questions(bot.store) == 0


async def test_a_body_that_is_not_metas_envelope_gets_400(fake: FakeInstagram, bot: App) -> None:
    assert await fake.post(b"{not json") == 400
    assert await fake.post({"object": "page", "entry": []}) == 400
    assert await fake.post({"object": "instagram", "entry": "x"}) == 400
    assert await fake.post(b"[" * 100_000 + b"]" * 100_000) == 400
    assert await count_questions(bot.store) == 0


async def test_a_short_answer_then_details_as_a_quick_reply_then_feedback(
    fake: FakeInstagram, bot: App
) -> None:
    assert await fake.user_says(USER, "brp biaya bikin paspor 10 thn?") == 200
    (short,) = fake.sent_to(USER.igsid)
    assert "Rp650.000" in short.text
    assert "Rp1.000.000" not in short.text, "percepatan is a detail"
    assert "📞 Ditjen Imigrasi" in short.text  # the contact footer, short
    assert titles(short) == [DETAILS_BUTTON]
    assert await fake.user_taps(USER, short, DETAILS_BUTTON) == 200
    replies = fake.sent_to(USER.igsid)[1:]
    assert "Rp1.000.000" in replies[0].text
    assert "Layanan pelanggan" in replies[-1].text  # the whole contact footer, last part
    tap, asked = await recent_questions(bot.store, 2)
    assert (asked.action, asked.faq_id) == ("answer", "biaya-paspor")
    assert (tap.action, tap.faq_id, tap.flags) == ("details", "biaya-paspor", ("details",))
    (answer,) = [r for r in replies if NOT_HELPFUL in titles(r)]
    assert HELPFUL in titles(answer)
    assert await fake.user_taps(USER, answer, NOT_HELPFUL) == 200
    sorry = fake.sent_to(USER.igsid)[1 + len(replies)]
    assert sorry.text.startswith(SORRY_FEEDBACK)
    question_id = int(dict((t, p) for p, t in answer.choices)[NOT_HELPFUL].split(":")[1])
    (vote,) = await feedback_for(bot.store, question_id)
    assert vote.helpful is False


async def test_a_clarification_is_answered_by_tapping_a_choice(
    fake: FakeInstagram, bot: App
) -> None:
    await fake.user_says(USER, "paspor")
    (choices,) = fake.sent_to(USER.igsid)
    assert len(choices.choices) >= 2, fake.describe()
    payload, title = choices.choices[0]
    assert payload.startswith("#")
    await fake.user_taps(USER, choices, title)
    answer = fake.sent_to(USER.igsid)[1]
    assert first_button(bot, payload) in titles(answer)


async def test_an_ice_breaker_tap_is_answered_like_a_menu_choice(
    fake: FakeInstagram, bot: App
) -> None:
    assert (
        await fake.user_taps_ice_breaker(USER, "Berapa biaya paspor?", "#faq:biaya-paspor") == 200
    )
    (answer,) = fake.sent_to(USER.igsid)
    assert "Rp650.000" in answer.text


@pytest.mark.parametrize(("kind", "what"), [("image", "foto"), ("audio", "pesan suara"),
                                            ("share", "pesan jenis ini")])  # fmt: skip
async def test_media_without_text_gets_the_polite_media_answer(
    fake: FakeInstagram, bot: App, kind: str, what: str
) -> None:
    await fake.user_sends(USER, kind)
    (reply,) = fake.sent_to(USER.igsid)
    assert reply.text.startswith(MEDIA.format(what=what))
    assert AGENT_BUTTON in titles(reply)
    (logged,) = await recent_questions(bot.store, 1)
    assert logged.action == "notice"


async def test_a_story_reply_is_answered_as_text(fake: FakeInstagram, bot: App) -> None:
    await fake.user_replies_to_story(USER, "syarat paspor anak apa saja", "17900000000000777")
    (answer,) = fake.sent_to(USER.igsid)
    assert "anak" in answer.text.lower()


async def test_reactions_reads_and_edits_are_never_answered(fake: FakeInstagram, bot: App) -> None:
    await fake.user_says(USER, "berapa biaya paspor")
    (answer,) = fake.sent_to(USER.igsid)
    assert await fake.user_reacts(USER, answer.mid) == 200
    assert await fake.post_entries(fake.dm_entry(USER, payloads.read(answer.mid))) == 200
    edit = payloads.edit(answer.mid, "berapa biaya paspor elektronik")
    assert await fake.post_entries(fake.dm_entry(USER, edit)) == 200
    assert len(fake.sent_to(USER.igsid)) == 1
    assert await count_questions(bot.store) == 1


async def test_a_batch_of_many_entries_is_handled_whole(fake: FakeInstagram, bot: App) -> None:
    entries = [
        fake.dm_entry(USER, payloads.text("berapa biaya paspor")),
        fake.dm_entry(OTHER, payloads.text("syarat paspor anak")),
        fake.dm_entry(USER, payloads.text("jam buka kantor")),
    ]
    assert await fake.post_entries(*entries) == 200
    await fake.wait_sent(USER.igsid, 2)
    await fake.wait_sent(OTHER.igsid, 1)
    assert await count_questions(bot.store) == 3


async def test_a_redelivered_batch_is_answered_once(fake: FakeInstagram, bot: App) -> None:
    body = payloads.envelope(fake.dm_entry(USER, payloads.text("berapa biaya paspor")))
    assert await fake.post(body) == 200
    assert await fake.post(body) == 200
    assert len(fake.sent_to(USER.igsid)) == 1
    assert await count_questions(bot.store) == 1


async def test_a_redelivery_to_a_second_worker_is_answered_once(
    fake: FakeInstagram, bot: App, db_url: str, tmp_path: Path
) -> None:
    body = payloads.envelope(fake.dm_entry(USER, payloads.text("berapa biaya paspor")))
    assert await fake.post(body) == 200
    async with served(instagram_settings(fake, db_url, tmp_path / "b")) as (_, url):
        fake.deliver_to(f"{url}/instagram")
        assert await fake.post(body) == 200
    assert len(fake.sent_to(USER.igsid)) == 1
    assert await count_questions(bot.store) == 1


async def test_a_message_older_than_the_key_window_is_refused(
    fake: FakeInstagram, bot: App
) -> None:
    fake.clock_offset = -(KEYS_KEPT + dt.timedelta(days=1)).total_seconds()
    body = payloads.envelope(fake.dm_entry(USER, payloads.text("berapa biaya paspor")))
    fake.clock_offset = 0
    assert await fake.post(body) == 200  # acknowledged, so Meta stops retrying
    assert fake.sent == []
    assert await count_questions(bot.store) == 0


async def test_applicants_are_kept_hashed(fake: FakeInstagram, bot: App) -> None:
    await fake.user_says(USER, "berapa biaya paspor")
    (logged,) = await recent_questions(bot.store, 1)
    assert logged.user_hash == bot.conversation.user_hash(Incoming(CHANNEL, "", USER.igsid, ""))
    instagram = instagram_of(bot)
    (sent,) = fake.sent_to(USER.igsid)
    assert await instagram.store.is_ours(sent.mid)
    row = await instagram.store.chat(USER.igsid)
    assert row is not None
    assert USER.igsid not in row.chat_hash
    assert message_key(sent.mid) != sent.mid


async def test_the_bots_own_echoes_are_ignored(fake: FakeInstagram, bot: App) -> None:
    await fake.user_says(USER, "berapa biaya paspor")
    (answer,) = fake.sent_to(USER.igsid)
    assert await fake.echo(answer) == 200
    await fake.user_says(USER, "syarat paspor anak")
    assert len(fake.sent_to(USER.igsid)) == 2
    row = await instagram_of(bot).store.chat(USER.igsid)
    assert row is not None
    assert row.takeover_until is None


async def test_an_echo_before_the_send_is_answered_is_still_the_bots_own(
    fake: FakeInstagram, bot: App
) -> None:
    # The echo reaches the webhook while the bot still waits for Meta's answer to the send,
    # so the message id is not recorded yet: the send in flight tells it is the bot's.
    fake.echo_before_answer = True
    await fake.user_says(USER, "berapa biaya paspor")
    await fake.user_comments(USER, "syarat paspor anak apa?")
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    assert await fake.user_says(USER, "jam buka kantor") == 200
    assert len(fake.sent_to(USER.igsid)) == 3  # the DMs and the private reply
    row = await instagram_of(bot).store.chat(USER.igsid)
    assert row is not None
    assert row.takeover_until is None


async def test_an_officer_typing_in_the_app_takes_the_conversation_over(
    fake: FakeInstagram, bot: App
) -> None:
    await fake.user_says(USER, "berapa biaya paspor")
    status, _ = await fake.officer_types(USER, "Halo kak, saya petugas, ada yang bisa dibantu?")
    assert status == 200
    assert await fake.user_says(USER, "iya kak, paspor saya hilang") == 200
    assert len(fake.sent_to(USER.igsid)) == 1  # the bot kept quiet
    row = await instagram_of(bot).store.chat(USER.igsid)
    assert row is not None
    assert row.takeover_until is not None
    assert dt.timedelta(minutes=59) < row.takeover_until - dt.datetime.now(dt.UTC)
    await fake.user_says(OTHER, "berapa biaya paspor")  # other conversations go on
    assert len(fake.sent_to(OTHER.igsid)) == 1


async def test_after_the_takeover_time_the_bot_answers_again(
    fake: FakeInstagram, db_url: str, tmp_path: Path
) -> None:
    extra = {"INSTAGRAM_TAKEOVER_MINUTES": "0"}
    async with served(instagram_settings(fake, db_url, tmp_path, extra=extra)) as (_, url):
        fake.deliver_to(f"{url}/instagram")
        await fake.officer_types(USER, "Halo kak")
        await fake.user_says(USER, "berapa biaya paspor")
        assert len(fake.sent_to(USER.igsid)) == 1


async def test_rate_limits_are_retried(fake: FakeInstagram, bot: App) -> None:
    fake.fail_next(2, status=429)
    await fake.user_says(USER, "berapa biaya paspor")
    (answer,) = await fake.wait_sent(USER.igsid, 1, timeout=15)
    assert "Rp650.000" in answer.text


async def test_ice_breakers_are_set_at_start_from_the_menu_and_a_tap_is_answered(
    fake: FakeInstagram, bot: App
) -> None:
    await fake.wait_for(lambda: len(fake.ice_breakers) == 1)
    (pairs,) = fake.ice_breakers
    menu = bot.conversation.matcher.kb.menu_entries()[:4]
    assert pairs == [(entry.title, f"#faq:{entry.id}") for entry in menu]
    question, payload = pairs[0]
    await fake.user_taps_ice_breaker(USER, question, payload)
    (answer,) = fake.sent_to(USER.igsid)
    assert first_button(bot, payload) in titles(answer)


async def test_the_menu_offers_no_subscription_announcements_cannot_reach(
    fake: FakeInstagram, bot: App
) -> None:
    await fake.user_says(USER, "menu")
    (menu,) = await fake.wait_sent(USER.igsid, 1)
    payloads = [payload for payload, _ in menu.choices]
    assert len(payloads) > len(bot.conversation.matcher.kb.menu_entries())  # and 🙋
    assert SUBSCRIBE_BUTTON not in titles(menu)


async def test_a_long_rate_limit_is_retried_from_the_outbox(fake: FakeInstagram, bot: App) -> None:
    fake.fail_next(6, status=429)  # more than the client's own four tries
    assert await fake.user_says(USER, "berapa biaya paspor") == 200
    (answer,) = await fake.wait_sent(USER.igsid, 1, timeout=20)
    assert "Rp650.000" in answer.text

"""The Graph client against the strict fake over real HTTP: sends and their windows, private
and public replies, hiding, ice breakers, the token refresh, retries of passing failures and
the classification of what remains."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser

from bot.channels.instagram.api import InstagramClient, InstagramError
from bot.channels.instagram.render import private_reply, render
from bot.channels.meta import Retries
from bot.core.vocabulary import Button, Reply

from .conftest import settings_for

USER = IgUser("1234567890123456", "rina.lampung")
HOUR = 3600.0


async def opened(fake: FakeInstagram, user: IgUser = USER) -> None:
    """The user wrote just now (the fake opens their window; no webhook needed)."""
    fake.dm_entry(user, {"message": {"mid": "x", "text": "halo"}})


async def test_a_reply_is_sent_as_a_response_and_returns_its_mid(
    fake: FakeInstagram, client: InstagramClient
) -> None:
    await opened(fake)
    messages = render(Reply("Jawaban. " * 150, buttons=(Button("👍 Membantu", "#fb:1:1"),)))
    mids = [await client.send(USER.igsid, message) for message in messages]
    sent = fake.sent_to(USER.igsid)
    assert [s.mid for s in sent] == mids
    assert len(sent) == len(messages) > 1
    assert {s.body["messaging_type"] for s in sent} == {"RESPONSE"}
    assert sent[-1].choices == [("#fb:1:1", "👍 Membantu")]


async def test_after_24_hours_the_window_is_closed_and_said_so(
    fake: FakeInstagram, client: InstagramClient
) -> None:
    await opened(fake)
    fake.clock_offset = 25 * HOUR
    with pytest.raises(InstagramError) as caught:
        await client.send(USER.igsid, {"text": "Jawaban petugas"})
    error = caught.value
    assert (error.window_closed, error.temporary, error.code, error.subcode) == (
        True,
        False,
        10,
        2534022,
    )
    assert fake.requests == 1  # not retried


async def test_human_agent_reaches_up_to_7_days(
    fake: FakeInstagram, client: InstagramClient
) -> None:
    await opened(fake)
    fake.clock_offset = 6 * 24 * HOUR
    await client.send(USER.igsid, {"text": "Jawaban petugas"}, human_agent=True)
    [sent] = fake.sent_to(USER.igsid)
    assert (sent.human_agent, sent.body["tag"], sent.body["messaging_type"]) == (
        True,
        "HUMAN_AGENT",
        "MESSAGE_TAG",
    )
    fake.clock_offset = 7 * 24 * HOUR + 60
    with pytest.raises(InstagramError) as caught:
        await client.send(USER.igsid, {"text": "Terlambat"}, human_agent=True)
    assert caught.value.window_closed


async def test_human_agent_without_the_feature_is_refused_for_good(
    fake: FakeInstagram, client: InstagramClient
) -> None:
    fake.human_agent = False
    await opened(fake)
    with pytest.raises(InstagramError) as caught:
        await client.send(USER.igsid, {"text": "Jawaban"}, human_agent=True)
    assert (caught.value.code, caught.value.temporary, caught.value.window_closed) == (
        3,
        False,
        False,
    )


async def test_one_private_reply_per_comment_within_7_days(
    fake: FakeInstagram, client: InstagramClient
) -> None:
    _, first = fake.comment_value(USER, "syarat paspor?")
    mid = await client.private_reply(private_reply(first, Reply("Syaratnya KTP dan KK.")))
    [sent] = fake.sent_to(USER.igsid)
    assert (sent.mid, sent.comment, sent.text) == (mid, first, "Syaratnya KTP dan KK.")
    with pytest.raises(InstagramError) as again:
        await client.private_reply(private_reply(first, Reply("Lagi")))
    assert (again.value.already_replied, again.value.temporary) == (True, False)
    _, old = fake.comment_value(USER, "biaya?")
    fake.clock_offset = 7 * 24 * HOUR + 60
    with pytest.raises(InstagramError) as late:
        await client.private_reply(private_reply(old, Reply("Terlambat")))
    assert (late.value.window_closed, late.value.already_replied) == (True, False)


async def test_public_reply_and_hide(fake: FakeInstagram, client: InstagramClient) -> None:
    _, comment = fake.comment_value(USER, "kuota kapan dibuka?")
    _, reply_to_it = fake.comment_value(USER, "halo?", parent_id=comment)
    first = await client.public_reply(comment, "Sudah kami balas lewat DM ya 🙏")
    second = await client.public_reply(reply_to_it, "Sudah kami balas lewat DM ya 🙏")
    assert fake.public_replies == [
        (comment, "Sudah kami balas lewat DM ya 🙏", first),
        (comment, "Sudah kami balas lewat DM ya 🙏", second),  # under the top-level comment
    ]
    await client.hide(comment)
    assert fake.hidden == {comment: True}
    with pytest.raises(InstagramError):
        await client.public_reply(comment, "Tidak bisa: tersembunyi")
    await client.hide(comment, hidden=False)
    assert fake.hidden == {comment: False}


async def test_ice_breakers_are_set_in_metas_shape(
    fake: FakeInstagram, client: InstagramClient
) -> None:
    questions = [(f"Pertanyaan {n}?", f"#faq:q{n}") for n in range(5)]
    await client.set_ice_breakers(questions)
    assert fake.ice_breakers == [questions[:4]]


async def test_the_token_is_refreshed_and_the_new_one_used(
    fake: FakeInstagram, client: InstagramClient
) -> None:
    old = fake.token
    refreshed = await client.refresh_token()
    assert refreshed.token.reveal() == fake.token != old
    assert refreshed.expires_in == dt.timedelta(days=60)
    assert fake.refreshes == 1
    fake.tokens = {fake.token}  # the old token expires
    client.use_token(refreshed.token)
    await opened(fake)
    await client.send(USER.igsid, {"text": "Dengan token baru"})


async def test_a_wrong_token_is_refused_for_good(fake: FakeInstagram) -> None:
    fake.tokens = {"IGAAlain"}
    client = InstagramClient(settings_for(fake), retries=Retries(backoff=0.0))
    try:
        with pytest.raises(InstagramError) as caught:
            await client.hide("17850000000000001")
    finally:
        await client.close()
    assert (caught.value.code, caught.value.temporary, fake.requests) == (190, False, 1)


@pytest.mark.parametrize(
    ("status", "code"), [(429, None), (500, None), (400, 4), (400, 17), (403, 32), (400, 613)]
)
async def test_passing_failures_are_retried(
    fake: FakeInstagram, client: InstagramClient, status: int, code: int | None
) -> None:
    await opened(fake)
    fake.fail_next(3, status=status, code=code)
    await client.send(USER.igsid, {"text": "Akhirnya terkirim"})
    assert (fake.requests, len(fake.sent)) == (4, 1)


async def test_what_remains_after_the_last_attempt_is_raised_as_temporary(
    fake: FakeInstagram, client: InstagramClient
) -> None:
    await opened(fake)
    fake.fail_next(4, status=400, code=613)
    with pytest.raises(InstagramError) as caught:
        await client.send(USER.igsid, {"text": "Tidak terkirim"})
    assert (caught.value.rate_limited, caught.value.temporary, fake.requests) == (True, True, 4)
    assert fake.sent == []


async def test_an_unknown_recipient_is_not_a_closed_window(
    client: InstagramClient,
) -> None:
    with pytest.raises(InstagramError) as caught:
        await client.send("9999999999999999", {"text": "Halo"})
    assert (caught.value.code, caught.value.window_closed, caught.value.temporary) == (
        100,
        False,
        False,
    )


async def test_network_failures_are_temporary_and_never_show_the_token(
    fake: FakeInstagram,
) -> None:
    settings = settings_for(fake, INSTAGRAM_API_URL="http://127.0.0.1:9/v26.0")
    client = InstagramClient(settings, retries=Retries(attempts=2, backoff=0.0))
    try:
        with pytest.raises(InstagramError) as caught:
            await client.refresh_token()
    finally:
        await client.close()
    assert caught.value.temporary
    assert caught.value.reason.startswith("network: ")
    assert fake.token not in str(caught.value)


def test_backoff_doubles_up_to_eight_seconds_and_honours_retry_after(
    fake: FakeInstagram,
) -> None:
    client = InstagramClient(settings_for(fake))
    plain = InstagramError("throttled", status=429)
    delays = [client.retries.delay(n, plain) for n in range(7)]
    assert delays == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    told = InstagramError("throttled", status=429, retry_after=120.0)
    assert client.retries.delay(0, told) == 30.0  # capped: a worker must not sleep for minutes

"""The webhook parser on Meta's Instagram shapes (every event kind, both comment shapes,
batches), and signed bodies over real HTTP from the fake's Meta side (the check itself is the
shared one, `tests/channels/test_meta.py`)."""

from __future__ import annotations

import pytest
from fakes import instagram_payloads as payloads
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser
from fakes.meta import encode, sign

from bot.channels.instagram.api import InstagramClient
from bot.channels.instagram.inbound import (
    Comment,
    DirectMessage,
    Echo,
    Ignored,
    MalformedPayload,
    ReplyTo,
    parse,
    text_digest,
)

from .harness import RecordingWebhook

ACCOUNT = "17841400000000001"
USER = IgUser("1234567890123456", "rina.lampung")


def one(content: dict[str, object], *, sender: str = USER.igsid) -> object:
    event = payloads.event(sender, ACCOUNT, 1_760_000_000_000, **content)
    (parsed,) = parse(payloads.envelope(payloads.messaging_entry(ACCOUNT, [event], 1)))
    return parsed


def test_text_is_a_direct_message_keyed_by_its_mid() -> None:
    content = payloads.text("  berapa biaya paspor? ")
    message = one(content)
    assert isinstance(message, DirectMessage)
    assert (message.key, message.sender_id) == (content["message"]["mid"], USER.igsid)
    assert (message.text, message.kind, message.source) == ("berapa biaya paspor?", "text", "text")
    assert message.sent_at.timestamp() == 1_760_000_000  # milliseconds read as such


def test_quick_reply_and_ice_breaker_carry_their_payload() -> None:
    quick = one(payloads.quick_reply("👍 Membantu", "#fb:7:1"))
    breaker = one(payloads.postback("Berapa biaya paspor?", "#faq:biaya-paspor"))
    assert isinstance(quick, DirectMessage)
    assert isinstance(breaker, DirectMessage)
    assert (quick.text, quick.source) == ("#fb:7:1", "quick_reply")
    assert (breaker.text, breaker.source, breaker.kind) == (
        "#faq:biaya-paspor",
        "postback",
        "text",
    )


def test_a_reply_to_a_story_or_a_message_keeps_what_it_replied_to() -> None:
    story = one(payloads.story_reply("ini syaratnya apa?", "18000000000000001"))
    earlier = one(payloads.message_reply("maksudnya yang ini", "aWdfbWlkMQ"))
    assert isinstance(story, DirectMessage)
    assert isinstance(earlier, DirectMessage)
    assert story.reply_to is not None
    assert story.reply_to.story_id == "18000000000000001"
    assert story.reply_to.story_url.startswith("https://")
    assert (story.text, earlier.reply_to) == ("ini syaratnya apa?", ReplyTo(mid="aWdfbWlkMQ"))


@pytest.mark.parametrize(
    ("media", "kind"),
    [
        ("image", "photo"),
        ("audio", "voice"),
        ("video", "video"),
        ("file", "document"),
        ("sticker", "sticker"),
        ("story_mention", "story_mention"),
        ("share", "share"),
        ("ig_reel", "ig_reel"),
    ],
)
def test_an_attachment_without_text_is_media(media: str, kind: str) -> None:
    message = one(payloads.attachment(media))
    assert isinstance(message, DirectMessage)
    assert (message.text, message.kind, message.source, message.media) == (
        "",
        kind,
        "media",
        media,
    )


def test_reactions_reads_edits_and_deletions_are_ignorable() -> None:
    kinds = [
        one(payloads.reaction("aWdfbWlkMQ")),
        one(payloads.reaction("aWdfbWlkMQ", action="unreact")),
        one(payloads.read("aWdfbWlkMQ")),
        one(payloads.edit("aWdfbWlkMQ", "ralat")),
        one({"message": {"mid": "aWdfbWlkMg", "is_deleted": True}}),
        one({"message": {"mid": "aWdfbWlkMw", "is_unsupported": True}}),
    ]
    assert all(isinstance(event, Ignored) for event in kinds)
    assert [e.kind for e in kinds] == [
        "reaction",
        "reaction",
        "read",
        "edit",
        "deleted",
        "unsupported",
    ]
    assert len({e.key for e in kinds}) == len(kinds)
    assert one(payloads.reaction("aWdfbWlkMQ")) == kinds[0]  # a redelivery has the same key


def test_an_echo_carries_the_mid_the_send_returned() -> None:
    echo = one(payloads.echo("aWdfc2VudA", "Jawaban"), sender=ACCOUNT)
    # The text is kept only as a digest, to know a send whose id is not recorded yet.
    assert echo == Echo("aWdfc2VudA", ACCOUNT, echo.sent_at, text_digest("Jawaban"))
    assert "Jawaban" not in repr(echo)
    # Sent by the office's account, even without the flag: still ours, not the applicant's.
    assert isinstance(one(payloads.text("halo"), sender=ACCOUNT), Echo)


def test_comments_in_changes_and_in_the_flat_shape_parse_alike() -> None:
    value = payloads.comment_value("17850000000000001", "syarat paspor?", USER, "17999", "178")
    (nested,) = parse(payloads.envelope(payloads.changes_entry(ACCOUNT, [value], 1_760_000_000)))
    (flat,) = parse(payloads.flat_comment(value), account_id=ACCOUNT)
    expected = Comment(
        "17850000000000001",
        "syarat paspor?",
        USER.igsid,
        "rina.lampung",
        "17999",
        "178",
        False,
        nested.sent_at,
    )
    assert nested == expected
    assert flat == Comment(**{**_fields(expected), "sent_at": flat.sent_at})
    assert nested.sent_at.timestamp() == 1_760_000_000


def _fields(comment: Comment) -> dict[str, object]:
    return {name: getattr(comment, name) for name in Comment.__slots__}


def test_the_offices_own_comment_is_flagged() -> None:
    office = IgUser(ACCOUNT, "kanim.kalianda")
    value = payloads.comment_value("17850000000000002", "Sudah kami balas", office, "17999")
    (comment,) = parse(payloads.envelope(payloads.changes_entry(ACCOUNT, [value], 1)))
    assert isinstance(comment, Comment)
    assert comment.own
    assert comment.parent_id is None


def test_a_batch_keeps_every_event_in_order() -> None:
    other = IgUser("6543210987654321")
    events = [
        payloads.event(u.igsid, ACCOUNT, 1, **payloads.text(f"pesan {n}"))
        for n, u in enumerate([USER, other, USER])
    ]
    value = payloads.comment_value("17850000000000003", "info kuota", other, "17999")
    body = payloads.envelope(
        payloads.messaging_entry(ACCOUNT, events[:2], 1),
        payloads.changes_entry(ACCOUNT, [value, {**value, "id": "17850000000000004"}], 1),
        payloads.messaging_entry(ACCOUNT, events[2:], 1),
    )
    parsed = parse(body)
    assert [type(e).__name__ for e in parsed] == [
        "DirectMessage",
        "DirectMessage",
        "Comment",
        "Comment",
        "DirectMessage",
    ]
    assert [e.text for e in parsed if isinstance(e, DirectMessage)] == [
        "pesan 0",
        "pesan 1",
        "pesan 2",
    ]


def test_odd_events_inside_an_envelope_are_skipped_not_fatal() -> None:
    entry = payloads.messaging_entry(ACCOUNT, ["bukan objek", {"sender": {"id": USER.igsid}}], 1)
    changes = {
        "id": ACCOUNT,
        "changes": [
            {"field": "mentions", "value": {}},
            {"field": "comments", "value": {"text": "tanpa id"}},
        ],
    }
    assert parse(payloads.envelope(entry, changes)) == []


@pytest.mark.parametrize(
    "body",
    [
        [],
        "teks",
        {"object": "page", "entry": []},
        {"object": "whatsapp_business_account", "entry": []},
        {"object": "instagram"},
        {"object": "instagram", "entry": {}},
        {"object": "instagram", "entry": ["bukan objek"]},
        {"object": "instagram", "entry": [{"messaging": {}}]},
        {"object": "instagram", "entry": [{"changes": ["bukan objek"]}]},
    ],
)
def test_a_body_that_is_not_an_envelope_is_malformed(body: object) -> None:
    with pytest.raises(MalformedPayload):
        parse(body)


async def test_signed_bodies_over_http_are_accepted_and_bad_ones_refused(
    fake: FakeInstagram, hook: RecordingWebhook
) -> None:
    assert await fake.user_says(USER, "biaya paspor") == 200
    raw = encode(payloads.envelope(fake.dm_entry(USER, payloads.text("lagi"))))
    assert await fake.post(raw, signature=None) == 403
    assert await fake.post(raw, signature="sha256=" + "0" * 64) == 403
    assert await fake.post(raw, signature=sign("rahasia-lain", raw)) == 403
    assert await fake.post(raw, signature=b"sha256=\xfc" + b"0" * 63) == 403
    assert await fake.post(b"{bukan json") == 400
    assert await fake.post({"object": "page", "entry": []}) == 400
    assert [e.text for e in hook.events] == ["biaya paspor"]


async def test_every_kind_arrives_over_http(fake: FakeInstagram, hook: RecordingWebhook) -> None:
    await fake.user_sends(USER, "story_mention")
    await fake.user_taps_ice_breaker(USER, "Syarat paspor baru?", "#faq:syarat")
    _, mid = await fake.officer_types(USER, "Halo, saya petugas.")
    _, comment_id = await fake.user_comments(USER, "kuota kapan dibuka?", flat=True)
    _, own_id = await fake.office_comments("Sudah kami balas lewat DM ya 🙏", parent_id=comment_id)
    kinds = [type(e).__name__ for e in hook.events]
    assert kinds == ["DirectMessage", "DirectMessage", "Echo", "Comment", "Comment"]
    assert hook.events[2].key == mid
    assert [(e.key, e.own) for e in hook.events[3:]] == [(comment_id, False), (own_id, True)]


async def test_a_batch_of_many_entries_arrives_whole(
    fake: FakeInstagram, hook: RecordingWebhook
) -> None:
    users = [IgUser(f"10000000000000{n:02d}") for n in range(5)]
    dms = [fake.dm_entry(user, payloads.text(f"pertanyaan {n}")) for n, user in enumerate(users)]
    values = [fake.comment_value(user, "info?")[0] for user in users[:3]]
    assert await fake.post_entries(*dms, fake.comment_entry(*values)) == 200
    assert len(hook.events) == 8
    assert len({event.key for event in hook.events}) == 8


async def test_the_echo_of_our_own_send_carries_the_mid_the_send_returned(
    fake: FakeInstagram, hook: RecordingWebhook, client: InstagramClient
) -> None:
    await fake.user_says(USER, "halo")
    mid = await client.send(USER.igsid, {"text": "Halo, ada yang bisa kami bantu?"})
    [sent] = fake.sent_to(USER.igsid)
    assert await fake.echo(sent) == 200
    _, officer_mid = await fake.officer_types(USER, "Saya petugas, sebentar ya.")
    echoes = [e for e in hook.events if isinstance(e, Echo)]
    assert [(e.key, e.recipient_id) for e in echoes] == [
        (mid, USER.igsid),
        (officer_mid, USER.igsid),
    ]

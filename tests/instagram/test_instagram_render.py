"""Rendering replies within Instagram's limits: 1,000 bytes a message (multi-byte emoji near the
limit included), the contact footer whole on the last part, quick replies (13, titles of 20),
the one private reply to a comment, and the public replies. Every rendered message is also run
through the fake Graph API's validator, the one the client tests use."""

from __future__ import annotations

import pytest
from fakes import instagram_rules as rules

from bot.channels.instagram.render import (
    MAX_TEXT_BYTES,
    PUBLIC_ANSWERED,
    contact_line,
    fit,
    private_reply,
    public_fallback,
    public_reply,
    quick_replies,
    render,
    shorten,
    split,
    split_bytes,
)
from bot.core import replies
from bot.core.escalation import AGENT
from bot.core.vocabulary import Button, Reply

FOOTER = "📞 Layanan pelanggan Kantor Imigrasi Kalianda: WhatsApp 0812-0000-0000"


def size(text: str) -> int:
    return len(text.encode())


def valid(messages: list[dict[str, object]]) -> None:
    for message in messages:
        rules.message(message)


def test_a_short_reply_is_one_message() -> None:
    assert render(Reply("Biaya paspor Rp350.000.")) == [{"text": "Biaya paspor Rp350.000."}]


def test_long_text_is_split_under_1000_bytes_at_words_with_nothing_lost() -> None:
    text = ("Paragraf panjang tentang paspor elektronik. " * 30 + "\n\n") * 3 + FOOTER
    messages = render(Reply(text))
    valid(messages)
    assert len(messages) > 3
    assert all(size(m["text"]) <= MAX_TEXT_BYTES for m in messages)
    assert " ".join(m["text"] for m in messages).split() == text.split()
    assert messages[-1]["text"].endswith(FOOTER)


def test_bytes_not_characters_are_counted() -> None:
    # 400 characters of 3 bytes each: under 1,000 characters, over 1,000 bytes.
    text = "ꦲ" * 400
    parts = split_bytes(text, MAX_TEXT_BYTES)
    assert len(text) < MAX_TEXT_BYTES < size(text)
    assert [size(p) for p in parts] == [999, 201]
    assert "".join(parts) == text


@pytest.mark.parametrize("emoji", ["🙏", "👍🏽", "👨‍👩‍👧", "🇮🇩"])
def test_emoji_near_the_limit_are_never_cut_in_two(emoji: str) -> None:
    for pad in range(8):
        text = "a" * (MAX_TEXT_BYTES - 8 + pad) + emoji * 3
        parts = split_bytes(text, MAX_TEXT_BYTES)
        assert all(size(p) <= MAX_TEXT_BYTES for p in parts)
        assert "".join(parts) == text
        # A cut inside a sequence (a tone, a joiner, half a flag) would lose one here.
        assert sum(part.count(emoji) for part in parts) == 3


def test_text_with_emoji_at_the_boundary_splits_at_a_space() -> None:
    text = "🙏 " * 330 + "akhir"  # 5 bytes a pair: the cut falls among emoji
    parts = split(text)
    assert all(size(p) <= MAX_TEXT_BYTES for p in parts)
    assert " ".join(parts).split() == text.split()


def test_the_footer_stays_whole_on_the_last_part() -> None:
    body = "x" * 990
    parts = split(f"{body}\n\n{FOOTER}")
    assert parts == [body, FOOTER]
    short = split(f"Jawaban singkat.\n\n{FOOTER}")
    assert short == [f"Jawaban singkat.\n\n{FOOTER}"]
    assert contact_line(f"Jawaban.\n\n{FOOTER}") == FOOTER
    assert contact_line("Tanpa kontak.") == ""


def test_buttons_become_quick_replies_on_the_last_part() -> None:
    buttons = (
        Button("Syarat paspor anak di bawah umur", "#faq:anak"),
        Button(replies.HELPFUL, "#fb:7:1"),
    )
    messages = render(Reply("Jawaban. " * 200, buttons=buttons))
    valid(messages)
    assert all("quick_replies" not in m for m in messages[:-1])
    assert messages[-1]["quick_replies"] == [
        {"content_type": "text", "title": "Syarat paspor anak…", "payload": "#faq:anak"},
        {"content_type": "text", "title": "👍 Membantu", "payload": "#fb:7:1"},
    ]


def test_more_than_13_buttons_keep_feedback_and_the_officer() -> None:
    choices = [Button(f"Topik nomor {n}", f"#faq:t{n}") for n in range(14)]
    feedback = [Button(replies.HELPFUL, "#fb:1:1"), Button(replies.NOT_HELPFUL, "#fb:1:0")]
    agent = Button(replies.AGENT_BUTTON, AGENT)
    quick = quick_replies([*choices, *feedback, agent])
    rules.quick_replies(quick)
    payloads = [q["payload"] for q in quick]
    assert len(payloads) == 13
    assert payloads[-3:] == ["#fb:1:1", "#fb:1:0", AGENT]
    assert payloads[:10] == [f"#faq:t{n}" for n in range(10)]


def test_titles_are_cut_at_a_word_and_kept_distinct() -> None:
    assert shorten("Perpanjangan paspor yang hilang", 20) == "Perpanjangan paspor…"
    assert shorten("Superkalifragilistikeksplialidosius", 20) == "Superkalifragilisti…"
    same = [Button("Biaya paspor elektronik 48 halaman", f"#faq:{n}") for n in range(3)]
    titles = [q["title"] for q in quick_replies(same)]
    assert len(set(titles)) == 3
    assert all(len(t) <= 20 for t in titles)


def test_buttons_without_data_or_with_a_too_long_payload_are_left_out() -> None:
    buttons = [Button("Kosong", ""), Button("Panjang", "#x" * 600), Button("Biaya", "#faq:biaya")]
    assert [q["payload"] for q in quick_replies(buttons)] == ["#faq:biaya"]
    assert render(Reply("Pilih:", buttons=(Button("Kosong", ""),))) == [{"text": "Pilih:"}]


def test_a_private_reply_is_one_message_that_fits() -> None:
    answer = "Syarat paspor: KTP, KK, akta lahir. " * 60 + "\n\n" + FOOTER
    buttons = (Button(replies.HELPFUL, "#fb:9:1"),)
    body = private_reply("17850000000000001", Reply(answer, buttons=buttons))
    recipient, tagged = rules.validate_send(body)
    assert (recipient, tagged) == ({"comment_id": "17850000000000001"}, False)
    text = body["message"]["text"]
    assert size(text) <= MAX_TEXT_BYTES
    assert text.startswith("Syarat paspor: KTP")
    assert text.endswith("…\n\n" + FOOTER)
    assert body["message"]["quick_replies"][0]["payload"] == "#fb:9:1"


def test_fit_keeps_short_text_and_cuts_long_text_without_a_footer() -> None:
    assert fit("Singkat.") == "Singkat."
    cut = fit("kata " * 400)
    assert size(cut) <= MAX_TEXT_BYTES
    assert cut.endswith("…")


def test_public_replies_are_short_indonesian_lines_with_the_contact() -> None:
    assert public_reply(FOOTER) == f"{PUBLIC_ANSWERED}\n{FOOTER}"
    assert PUBLIC_ANSWERED == "Sudah kami balas lewat DM ya 🙏"
    fallback = public_fallback(FOOTER)
    assert fallback.endswith(FOOTER)
    assert "DM" in fallback
    assert len(public_reply(FOOTER)) <= rules.LIMITS["comment"]

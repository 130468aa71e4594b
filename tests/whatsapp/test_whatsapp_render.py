"""Pure parts of the WhatsApp channel: rendering within the Cloud API's limits and the webhook
parser on Meta's payload shapes (the signature check is the shared one, `tests/channels/
test_meta.py`). Every rendered message is also run through the fake Graph API's validator, the
same one the end-to-end tests use."""

from __future__ import annotations

import pytest
from fakes import whatsapp_payloads
from fakes.whatsapp_payloads import User
from fakes.whatsapp_rules import validate

from bot.channels.whatsapp.api import recipient
from bot.channels.whatsapp.inbound import MalformedPayload, parse
from bot.channels.whatsapp.render import render, shorten, unique_titles
from bot.core import replies
from bot.core.vocabulary import Button, Reply


def valid(messages: list[dict[str, object]]) -> list[str]:
    return [validate({**recipient("628123456789"), **m}, {}) for m in messages]


def test_long_text_is_split_under_4096() -> None:
    text = ("Paragraf panjang tentang paspor. " * 60 + "\n\n") * 5
    messages = render(Reply(text))
    assert len(messages) > 1
    assert all(len(m["text"]["body"]) <= 4096 for m in messages)
    assert valid(messages) == ["text"] * len(messages)
    joined = " ".join(m["text"]["body"] for m in messages)
    assert joined.split() == text.split()


def test_three_choices_are_buttons_four_are_a_list() -> None:
    three = [Button(f"Pilihan nomor {n} yang panjang", f"#faq:p{n}") for n in range(3)]
    (buttons,) = render(Reply("Pilih:", buttons=tuple(three)))
    assert buttons["interactive"]["type"] == "button"
    four = [*three, Button("Bukan semuanya", "#none:0")]
    (listing,) = render(Reply("Pilih:", buttons=tuple(four)))
    assert listing["interactive"]["type"] == "list"
    assert valid([buttons, listing]) == ["interactive", "interactive"]


def test_more_than_ten_choices_become_several_lists() -> None:
    choices = tuple(Button(f"Topik {n}", f"#faq:t{n}") for n in range(13))
    first, second = render(Reply("Menu", buttons=choices))
    rows = [r for m in (first, second) for r in m["interactive"]["action"]["sections"][0]["rows"]]
    assert [r["id"] for r in rows] == [b.data for b in choices]
    assert second["interactive"]["body"]["text"] == replies.WA_MORE_CHOICES
    valid([first, second])


def test_feedback_gets_its_own_buttons_when_choices_fill_the_row() -> None:
    related = (Button("Cara bayar", "#faq:a"), Button("Paspor jadi sehari", "#faq:b"))
    feedback = (Button(replies.HELPFUL, "#fb:7:1"), Button(replies.NOT_HELPFUL, "#fb:7:0"))
    answer, question = render(Reply("Jawaban.", buttons=related + feedback))
    assert [b["reply"]["id"] for b in answer["interactive"]["action"]["buttons"]] == [
        "#faq:a",
        "#faq:b",
    ]
    assert question["interactive"]["body"]["text"] == replies.FEEDBACK_QUESTION
    one = render(Reply("Jawaban.", buttons=(related[0], *feedback)))
    assert len(one) == 1  # one related topic and 👍/👎 fit in three buttons
    valid([answer, question, *one])


def test_a_long_answer_with_buttons_keeps_every_word() -> None:
    text = "kata " * 400  # 2,000 characters: too long for an interactive body
    messages = render(Reply(text, buttons=(Button("Menu", "#menu"),)))
    assert messages[0]["type"] == "text"
    assert messages[-1]["interactive"]["body"]["text"] == replies.WA_CHOOSE
    valid(messages)


@pytest.mark.parametrize(
    ("label", "limit", "expected"),
    [
        ("Biaya paspor", 20, "Biaya paspor"),
        ("Masa berlaku 5/10 tahun", 20, "Masa berlaku 5/10…"),
        ("Pendaftaranpasporelektronik", 20, "Pendaftaranpasporel…"),
    ],
)
def test_shorten(label: str, limit: int, expected: str) -> None:
    assert shorten(label, limit) == expected
    assert len(shorten(label, limit)) <= limit


def test_titles_stay_unique_after_shortening() -> None:
    titles = unique_titles(["Syarat paspor untuk anak", "Syarat paspor untuk lansia"], 20)
    assert len(set(titles)) == 2
    assert all(len(t) <= 20 for t in titles)


def test_bsuid_recipients_use_the_recipient_field() -> None:
    assert recipient("6281234")["to"] == "6281234"
    assert recipient("ID.1234")["recipient"] == "ID.1234"


def test_parse_prefers_the_bsuid_and_maps_kinds() -> None:
    user = User("6281", "ID.77")
    body = whatsapp_payloads.envelope(
        "1", whatsapp_payloads.message_value(user, whatsapp_payloads.media("audio", 1))
    )
    (message,) = parse(body).messages
    assert (message.chat_id, message.user_id, message.kind) == ("6281", "ID.77", "voice")


def test_parse_skips_taken_back_reactions_and_system_messages() -> None:
    user = User("6281")
    reaction = whatsapp_payloads.message("reaction", {"message_id": "wamid.x", "emoji": ""}, 1)
    system = whatsapp_payloads.message("system", {"body": "nomor berubah"}, 1)
    for message in (reaction, system):
        body = whatsapp_payloads.envelope("1", whatsapp_payloads.message_value(user, message))
        assert parse(body).messages == ()


def test_parse_refuses_what_is_not_an_envelope() -> None:
    for body in ([], {"entry": {}}, {"entry": [1]}, {"entry": [{"changes": [1]}]}):
        with pytest.raises(MalformedPayload):
            parse(body)

"""Rendering core replies for Telegram: escaping, splitting, keyboards within limits."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.channels.telegram.render import MAX_CHARS, render, rendered, split
from bot.core.vocabulary import Button, Reply


def test_long_text_is_split_at_paragraphs_under_the_limit() -> None:
    paragraphs = [f"Paragraf {n}: " + "kata " * 150 for n in range(30)]
    parts = split("\n\n".join(paragraphs))
    assert len(parts) > 1
    assert all(len(part) <= MAX_CHARS for part in parts)
    assert "".join(p.replace(" ", "").replace("\n", "") for p in parts) == "".join(
        p.replace(" ", "") for p in paragraphs
    )


def test_a_single_huge_word_is_still_cut() -> None:
    parts = split("x" * 9000)
    assert [len(p) for p in parts] == [MAX_CHARS, MAX_CHARS, 1000]


def test_html_is_escaped_and_keyboard_goes_last() -> None:
    reply = Reply("<b>tebal</b> & " + "y " * 3000, buttons=(Button("A", "#faq:a"),))
    messages = render(reply)
    assert messages[0].text.startswith("&lt;b&gt;tebal&lt;/b&gt; &amp;")
    assert messages[0].markup is None
    assert isinstance(messages[-1].markup, InlineKeyboardMarkup)


def test_callback_data_over_64_bytes_is_never_sent() -> None:
    too_long = Button("Panjang", "#faq:" + "é" * 40)
    markup = render(Reply("teks", buttons=(too_long, Button("Pendek", "#menu"))))[-1].markup
    assert isinstance(markup, InlineKeyboardMarkup)
    datas = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert datas == ["#menu"]


def test_votes_share_a_row_and_menus_become_a_reply_keyboard() -> None:
    votes = (Button("👍", "#fb:1:1"), Button("👎", "#fb:1:0"))
    inline = render(Reply("t", buttons=(Button("Topik", "#faq:x"), *votes)))[-1].markup
    assert isinstance(inline, InlineKeyboardMarkup)
    assert [len(row) for row in inline.inline_keyboard] == [1, 2]
    menu = render(Reply("t", buttons=(Button("A", "#faq:a"),) * 5, keyboard=True))[-1].markup
    assert isinstance(menu, ReplyKeyboardMarkup)
    assert [len(row) for row in menu.keyboard] == [2, 2, 1]


def test_the_outbox_posts_the_keyboards_ptb_would_post() -> None:
    """`rendered` (the outbox's parts, keyboards straight to JSON) against `render` and PTB's
    own JSON of its keyboard objects: the same text, every layout."""
    votes = (Button("👍", "#fb:9:up"), Button("👎", "#fb:9:down"))
    handover = (Button("Tanya petugas", "#agent"), Button("Menu", "#menu"))
    too_long = Button("Panjang", "#" + "x" * 64)
    layouts = [(), votes, handover, (too_long,), (Button("Biaya", "#t:biaya"), too_long, *votes)]
    replies = [Reply("Halo <b>&</b>\n\n" + "kata " * 1500, buttons) for buttons in layouts]
    replies += [Reply("Menu utama", (*votes, Button("Kontak", "#kontak")), keyboard=True)]
    for reply in replies:
        by_ptb = render(reply)
        posted = rendered(reply)
        assert [p.text for p in posted] == [p.text for p in by_ptb]
        assert [p.markup for p in posted] == [
            None if p.markup is None else p.markup.to_json() for p in by_ptb
        ]

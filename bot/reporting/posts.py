"""The report's section on a channel with posts (Instagram): which posts raised questions in
their comments and about what, and how fast the office first replied to comments and DMs.

The study behind the bot found that posts drew questions nobody answered; this section is that
feedback, and the content plan can then say which posts confused people. Pure: formatting only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.reporting.shown import Section, ShownTable
from bot.reporting.text import minutes, number
from bot.reporting.vocabulary import PostFigures

SHOWN_POSTS = 15
SHOWN_TOPICS = 3
HEADER = ("Unggahan", "Komentar", "Pertanyaan", "Belum jelas*", "Disembunyikan**", "Topik")


def post_section(figures: PostFigures, titles: Mapping[str, str]) -> Section:
    """The section: reply times first, then one row per post with questions."""
    label = figures.channel
    rows = tuple(
        (
            post.post,
            number(post.comments),
            number(post.questions),
            number(post.unclear),
            number(post.hidden),
            topic_list(post.topics, titles, limit=SHOWN_TOPICS),
        )
        for post in figures.posts[:SHOWN_POSTS]
    )
    table = ShownTable(HEADER, rows, frozenset({1, 2, 3, 4}))
    return Section(
        "unggahan",
        f"{label}: pertanyaan per unggahan",
        _intro(label),
        _figures(figures),
        (table,) if rows else (),
        empty=f"Belum ada komentar di unggahan {label} dalam periode ini.",
    )


def _intro(label: str) -> tuple[str, ...]:
    return (
        f"Pertanyaan di komentar unggahan {label} per unggahan, dan topiknya. Unggahan dengan"
        " banyak pertanyaan, terutama yang belum jelas, membingungkan pembaca: perjelas isinya"
        " atau buat unggahan lanjutan.",
        "* dijawab dengan pilihan (“Maksud Anda…?”) atau tidak dikenali bot.",
        "** disembunyikan karena memuat data pribadi (NIK, telepon, paspor).",
    )


def _figures(figures: PostFigures) -> tuple[str, ...]:
    comments = sum(post.comments for post in figures.posts)
    questions = sum(post.questions for post in figures.posts)
    return (
        f"Komentar: {number(comments)}, berisi pertanyaan: {number(questions)}",
        f"Median balasan pertama di komentar: {minutes(figures.median_comment_reply)}"
        f" ({number(len(figures.comment_reply_minutes))} komentar dibalas)",
        f"Median balasan pertama di DM: {minutes(figures.median_dm_reply)}"
        f" ({number(len(figures.dm_reply_minutes))} pesan dibalas)",
    )


def topic_list(
    topics: Sequence[tuple[str, int]], titles: Mapping[str, str], *, limit: int | None = None
) -> str:
    """ "Paspor anak (3), Biaya (1)": entry titles with their questions, most first."""
    shown = [f"{titles.get(faq_id, faq_id)} ({count})" for faq_id, count in topics[:limit]]
    if limit is not None and len(topics) > limit:
        shown.append(f"+{len(topics) - limit} lainnya")
    return ", ".join(shown)

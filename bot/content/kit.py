"""A week's kit: one drawn post per chosen topic (sync CPU work, seconds for three posts)."""

from __future__ import annotations

from bot.content.errors import ContentError
from bot.content.render import make_post
from bot.content.vocabulary import Brand, Choice, Kit, Post, Skipped, Topic
from knowledge.entries import KnowledgeBase


def make_kit(choice: Choice, kb: KnowledgeBase, brand: Brand) -> Kit:
    """The posts of the chosen topics; one that cannot be drawn becomes a note instead."""
    posts: list[tuple[Post, Topic]] = []
    skipped = list(choice.skipped)
    for topic in choice.topics:
        entry = kb.get(topic.entry_id)
        if entry is None:
            continue
        try:
            posts.append((make_post(entry, kb, brand), topic))
        except ContentError as exc:
            skipped.append(Skipped(entry.id, f"{entry.title} ({entry.id}) tidak dibuat: {exc}"))
    return Kit(tuple(posts), tuple(skipped))

"""The 👍/👎 buttons under an answer: a verdict is kept only from the asker, on a question
that exists, with a vote of 0 or 1; each outcome has its own reply."""

from __future__ import annotations

import pytest
from support.memory_log import MemoryLog

from bot.core.conversation import Conversation
from bot.core.replies import (
    AGENT_BUTTON,
    FEEDBACK_UNKNOWN,
    SORRY_FEEDBACK,
    THANKS_FEEDBACK,
    footer,
)

from .conftest import says


async def asked(core: Conversation) -> int:
    """The id of a question u1 asked and got answered."""
    await core.handle(says("berapa biaya paspor 10 tahun"))
    return 1


async def test_a_helpful_vote_is_kept_and_thanked(core: Conversation, log: MemoryLog) -> None:
    question = await asked(core)
    [reply] = await core.handle(says(f"#fb:{question}:1"))
    assert reply.text == THANKS_FEEDBACK
    [verdict] = log.feedback_for(question)
    assert verdict.helpful is True
    latest = log.recent()[0]
    assert (latest.action, latest.text_redacted) == ("feedback", f"#fb:{question}:1")


async def test_an_unhelpful_vote_is_kept_and_a_person_offered(
    core: Conversation, log: MemoryLog
) -> None:
    question = await asked(core)
    [reply] = await core.handle(says(f"#fb:{question}:0"))
    assert reply.text == f"{SORRY_FEEDBACK}\n\n{footer(core.matcher.kb)}"
    assert AGENT_BUTTON not in [b.label for b in reply.buttons]  # no officers run here
    [verdict] = log.feedback_for(question)
    assert verdict.helpful is False


@pytest.mark.parametrize(
    "data", ["#fb:1:2", "#fb:1:", "#fb:satu:1", "#fb:1", "#fb::1", "#fb:1:1:1"]
)
async def test_malformed_feedback_is_not_kept(
    core: Conversation, log: MemoryLog, data: str
) -> None:
    await asked(core)
    [reply] = await core.handle(says(data))
    assert reply.text == FEEDBACK_UNKNOWN
    assert log.feedback_for(1) == []


async def test_a_vote_on_someone_elses_question_is_not_kept(
    core: Conversation, log: MemoryLog
) -> None:
    question = await asked(core)
    [reply] = await core.handle(says(f"#fb:{question}:1", user="u2"))
    assert reply.text == FEEDBACK_UNKNOWN
    assert log.feedback_for(question) == []

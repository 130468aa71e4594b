"""A logged question for tests that only care about a field or two."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from bot.core.vocabulary import QuestionRecord

_PLAIN = QuestionRecord(
    channel="test",
    user_hash="u" * 64,
    text_redacted="berapa biaya paspor",
    normalized="berapa biaya paspor",
    action="answer",
    faq_id="biaya-paspor",
    score=0.9,
    candidates=(),
    latency_ms=1.0,
    kb_version="v1",
)


def question(**changes: Any) -> QuestionRecord:
    """An answered question about the passport fee, logged now, with `changes` applied."""
    return dataclasses.replace(_PLAIN, **{"created_at": dt.datetime.now(dt.UTC), **changes})

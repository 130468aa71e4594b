"""Texts staff publish to every applicant (announcements, the outage notice): redacted before
they are stored and sent, like everything else kept, except the office's own published contact
details — an announcement giving the office's telephone number is the point, not a leak, while
an applicant's NIK pasted from a ticket must not reach every subscriber."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bot.core.privacy import redact
from knowledge.entries import KnowledgeBase

Contacts = Callable[[], Iterable[str]]


def office_contacts(kb: KnowledgeBase) -> tuple[str, ...]:
    """The office's telephone, WhatsApp and e-mail as the knowledge base publishes them."""
    office = kb.office
    return tuple(value for value in (office.phone, office.whatsapp, office.email) if value)


def redact_published(text: str, public: Iterable[str] = ()) -> str:
    """`text` redacted, the `public` contact details left as written."""
    kept = sorted({value for value in public if value.strip()}, key=len, reverse=True)
    if not kept:
        return redact(text).text
    pieces = re.split("(" + "|".join(map(re.escape, kept)) + ")", text)
    # re.split puts the separators it keeps at the odd positions.
    return "".join(piece if n % 2 else redact(piece).text for n, piece in enumerate(pieces))

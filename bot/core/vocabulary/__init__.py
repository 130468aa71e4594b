"""Shared vocabulary of the application: messages in, replies out, tickets, and what gets logged.

Plain dataclasses and protocols only, so the core, the channels and the storage agree without
importing each other. Import from this package; its modules are how it is kept in parts.
"""

from .chats import (
    NEVER,
    ChatQuery,
    ChatReads,
    ChatSnapshot,
    Notice,
    NoticeBoard,
)
from .messages import (
    ENTRY,
    MAX_ID,
    Button,
    Candidate,
    ChatOffice,
    ComplaintLog,
    ComplaintRecord,
    FeedbackRecord,
    FloodCounter,
    Incoming,
    Outcome,
    QuestionHistory,
    QuestionLog,
    QuestionRecord,
    Reply,
    record_id,
)
from .tickets import (
    TO_OFFICER,
    Author,
    Claim,
    Ticket,
    TicketLifecycle,
    TicketLookup,
    TicketMessage,
    TicketPosts,
    TicketStatus,
    TicketThreads,
)

__all__ = [
    "ENTRY",
    "MAX_ID",
    "NEVER",
    "TO_OFFICER",
    "Author",
    "Button",
    "Candidate",
    "ChatOffice",
    "ChatQuery",
    "ChatReads",
    "ChatSnapshot",
    "Claim",
    "ComplaintLog",
    "ComplaintRecord",
    "FeedbackRecord",
    "FloodCounter",
    "Incoming",
    "Notice",
    "NoticeBoard",
    "Outcome",
    "QuestionHistory",
    "QuestionLog",
    "QuestionRecord",
    "Reply",
    "Ticket",
    "TicketLifecycle",
    "TicketLookup",
    "TicketMessage",
    "TicketPosts",
    "TicketStatus",
    "TicketThreads",
    "record_id",
]

"""Comments on the office's posts: answered once per thread, in private, with a short public
note; hidden when they expose personal data; left alone when they ask nothing.

The rule for what deserves an answer: a comment that *asks* (a question mark, or an asking
word such as "berapa", "syarat", "gimana") and that the core answers or clarifies, outside small
talk, gets the one private reply Instagram allows (the full answer, its buttons as quick
replies) and "Sudah kami balas lewat DM ya 🙏" under it; one that asks but falls back gets a
public reply with the contact and an offer of a DM. Praise, thanks, emojis and tags get
nothing: the matcher reads "Mantap, pelayanannya cepat" as a topic, and a public page must
not answer praise with a price list.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.channels.instagram import texts
from bot.channels.instagram.accounts import Accounts
from bot.channels.instagram.comment_store import CommentNote, CommentStore
from bot.channels.instagram.inbound import Comment
from bot.channels.instagram.render import public_fallback, public_reply
from bot.channels.instagram.store import CHANNEL
from bot.channels.instagram.transport import HIDE, PRIVATE, PUBLIC, target
from bot.core import replies
from bot.core.conversation import Conversation
from bot.core.escalation import is_agent_request
from bot.core.privacy import redact
from bot.core.vocabulary import Incoming, Outcome, Reply
from bot.delivery.vocabulary import Outgoing

MENTION = re.compile(r"@[\w.]+")
# Words of asking or of wanting information, as applicants write them (slang included).
ASKING = frozenset(
    "apa apakah bagaimana gimana gmn gmna bgmn berapa brp kapan kpn dimana dmn mana kenapa "  # noqa: SIM905
    "mengapa knp siapa bisakah bolehkah bisa boleh tanya nanya syarat cara biaya harga jadwal "
    "prosedur daftar info mohon tolong".split()
)
ANSWERED = {"answer": "answered", "clarify": "clarified"}


def asks(text: str) -> bool:
    """Whether a comment reads as a question or a request for information."""
    words = re.findall(r"\w+", text.casefold())
    return "?" in text or any(word in ASKING for word in words)


class Comments:
    """Decides and queues what the bot does about one comment."""

    def __init__(
        self, conversation: Conversation, store: CommentStore, *, accounts: Accounts
    ) -> None:
        self._conversation, self._store, self._accounts = conversation, store, accounts

    async def handle(self, comment: Comment) -> list[Outgoing]:
        """The actions for one comment (hide, private reply, public reply), maybe none."""
        if comment.own:
            return []  # the office's own comments (the bot's public replies among them)
        text = MENTION.sub(" ", comment.text).strip()
        chat = self._accounts.chat_id(f"comment:{comment.key}", comment.account)
        office = self._accounts.office(chat)
        incoming = Incoming(CHANNEL, chat, comment.from_id, text, office=office)
        user_hash = self._conversation.user_hash(incoming)
        if redact(comment.text).kinds:
            await self._conversation.handle(incoming)  # logged, redacted, like any message
            return await self._hide(comment, user_hash)
        if not re.search(r"\w", text):
            await self._note(comment, user_hash, "ignored", None)
            return []
        if is_agent_request(text):  # a ticket needs a DM: the public reply offers one
            outcome = Outcome([], "fallback")
        else:
            outcome = await self._conversation.respond(incoming)
        return await self._answer(comment, text, outcome, user_hash)

    async def _answer(
        self, comment: Comment, text: str, outcome: Outcome, user_hash: str
    ) -> list[Outgoing]:
        private = outcome.action in ANSWERED and not outcome.small_talk and asks(text)
        public = outcome.action == "fallback" and asks(text)
        action = ANSWERED.get(outcome.action, "fallback") if private or public else "ignored"
        claimed = await self._note(
            comment, user_hash, action, outcome.topic, claim=private or public
        )
        if not claimed:
            return []
        contact = replies.footer(self._conversation.matcher.kb)
        if public:
            return [self._out(PUBLIC, comment, Reply(public_fallback(contact)), user_hash)]
        return [
            self._out(PRIVATE, comment, _one(outcome.replies), user_hash),
            self._out(PUBLIC, comment, Reply(public_reply(contact)), user_hash),
        ]

    async def _hide(self, comment: Comment, user_hash: str) -> list[Outgoing]:
        await self._note(comment, user_hash, "hidden", None)
        footer = replies.footer(self._conversation.matcher.kb)
        why = Reply(f"{texts.COMMENT_HIDDEN}\n\n{footer}")
        return [
            self._out(HIDE, comment, Reply(""), user_hash),
            self._out(PRIVATE, comment, why, user_hash),
        ]

    async def _note(
        self,
        comment: Comment,
        user_hash: str,
        action: str,
        topic: str | None,
        *,
        claim: bool = False,
    ) -> bool:
        thread = comment.parent_id or comment.key
        note = CommentNote(
            comment.key, thread, comment.media_id, user_hash, action, topic, comment.sent_at
        )
        return await self._store.record(note, claim=claim)

    def _out(self, kind: str, comment: Comment, reply: Reply, user_hash: str) -> Outgoing:
        """An action on the comment, through the account whose post it is on."""
        chat = self._accounts.chat_id(target(kind, comment.key), comment.account)
        return Outgoing(CHANNEL, chat, reply, user_hash)


def _one(answers: list[Reply]) -> Reply:
    """A comment gets one private message: the replies' texts, the last buttons shown."""
    buttons = next((r.buttons for r in reversed(answers) if r.buttons), ())
    return replace(answers[-1], text="\n\n".join(r.text for r in answers), buttons=buttons)

"""Group commit for the question log: concurrent messages share one transaction.

Each caller still gets its own question id back (the core needs it for the feedback
buttons); it waits for the batch it joined to be written. A batch is written as soon as the
event loop has run what was ready, not after a fixed wait: while one batch is being written,
the next one gathers, so the batches grow with the load by themselves. A fixed wait of 2 ms
left the loop idle whenever every message in flight had joined the same batch (7% of the
end-to-end benchmark's time).

When the database is down, answering goes on: records wait in a bounded in-memory buffer
(id 0: no feedback buttons) and are written once it answers again; the flood guard counts
them too. A restart while the database is down loses what is still buffered.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence

from bot.core.vocabulary import (
    ChatQuery,
    ChatSnapshot,
    ComplaintRecord,
    FeedbackRecord,
    QuestionRecord,
)
from bot.delivery.vocabulary import deferred, read_ahead
from bot.storage.chat_reads import ReadAhead
from bot.storage.errors import StorageError
from bot.storage.store import Store

logger = logging.getLogger(__name__)

BUFFER_LIMIT = 20_000
RETRY_SECONDS = 1.0


class BatchedLog:
    """A `QuestionLog` that writes questions in batches through a `Store`."""

    def __init__(
        self,
        store: Store,
        *,
        max_batch: int = 256,
        max_wait: float = 0.0,
        buffer_limit: int = BUFFER_LIMIT,
        retry_every: float = RETRY_SECONDS,
        usable: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        self._store = store
        # "SELECT 1" answers on a full disk: given a real write probe, a refused batch is
        # buffered whenever the database cannot take writes, not only when it is unreachable.
        self._usable = usable or store.ping
        self._max_batch = max_batch
        self._max_wait = max_wait
        self._pending: list[tuple[QuestionRecord, asyncio.Future[int]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._buffer: deque[QuestionRecord] = deque(maxlen=buffer_limit)
        self._retry_every = retry_every
        self._retrier: asyncio.Task[None] | None = None
        self._down_since: float | None = None

    @property
    def buffered(self) -> int:
        """Records waiting for the database."""
        return len(self._buffer)

    async def log_question(self, record: QuestionRecord) -> int:
        """Queue the record; return its id once its batch is stored (0 if only buffered).
        While the inbox handles an update, it is written with the update's completion."""
        if self._down_since is not None:
            self._keep([record])
            return 0
        if (question_id := await self._deferred(record)) is not None:
            return question_id
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._pending.append((record, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon())
        return await future

    async def add_feedback(self, record: FeedbackRecord) -> bool:
        """Feedback is rare: written straight through."""
        return await self._store.add_feedback(record)

    async def add_complaint(self, record: ComplaintRecord) -> None:
        """Complaints are rare too: written straight through (their question is stored), or
        after their question, with the completion of the update being handled."""
        if (writes := deferred()) is not None:
            writes.append(self._store.complaint_write(record))
            return
        await self._store.add_complaint(record)

    async def _deferred(self, record: QuestionRecord) -> int | None:
        """Leave the record for the completion of the update being handled (one transaction
        with its "handled"); its id, or None when it must be written now."""
        if (writes := deferred()) is None:
            return None
        try:
            question_id = await self._store.reserve_question_id()
        except StorageError:
            return None  # written the usual way, which knows what to do without a database
        if question_id is not None:
            writes.append(self._store.question_write(record, question_id))
        return question_id

    async def messages_since(self, user_hash: str, since: dt.datetime) -> int:
        """The flood guard's count: stored messages plus buffered ones (only those when the
        database is down)."""
        local = self._local(user_hash, since)
        if self._down_since is not None:
            return local
        try:
            return await self._store.messages_since(user_hash, since) + local
        except StorageError:
            self._went_down()
            return local

    async def snapshot(self, query: ChatQuery) -> ChatSnapshot:
        """The message's reads in one round trip (`ChatReads`), its flood count with the
        buffered messages; while the database is down, StorageError: each step then reads on
        its own (the flood guard from the buffer)."""
        if self._down_since is not None:
            raise StorageError("database down: no snapshot")
        ahead = read_ahead()
        early = ahead.take(query) if isinstance(ahead, ReadAhead) else None
        found = early if early is not None else await self._store.snapshot(query)
        return dataclasses.replace(
            found, sent=found.sent + self._local(query.user_hash, query.since)
        )

    def _local(self, user_hash: str, since: dt.datetime) -> int:
        return sum(1 for r in self._buffer if r.user_hash == user_hash and r.created_at >= since)

    async def drain(self) -> None:
        """Wait until everything queued so far is written (for shutdown)."""
        if self._retrier is not None:
            self._retrier.cancel()
        while self._flusher is not None and not self._flusher.done():
            await self._flusher
        if self._buffer:
            await self._write_buffer()
        if self._buffer:
            logger.error("%d logged questions lost: the database is down", len(self._buffer))

    async def _flush_soon(self) -> None:
        while self._pending:
            if len(self._pending) < self._max_batch:
                await asyncio.sleep(self._max_wait)
            batch, self._pending = (
                self._pending[: self._max_batch],
                self._pending[self._max_batch :],
            )
            await self._write(batch)

    async def _write(self, batch: Sequence[tuple[QuestionRecord, asyncio.Future[int]]]) -> None:
        try:
            try:
                ids = await self._store.log_questions([record for record, _ in batch])
            except StorageError:
                if await self._usable():
                    raise  # the database takes writes: the batch itself was refused
                self._went_down()
                self._keep([record for record, _ in batch])
                ids = [0] * len(batch)
        except Exception as exc:  # every waiter must hear about the failure, whatever it is
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), question_id in zip(batch, ids, strict=True):
            if not future.done():
                future.set_result(question_id)

    async def _write_one_by_one(self, records: Sequence[QuestionRecord]) -> None:
        """The database is back but refused a chunk: keep every record it accepts."""
        for record in records:
            try:
                await self._store.log_questions([record])
            except StorageError:
                logger.exception("a buffered question was refused by the database; dropped")

    def _keep(self, records: Sequence[QuestionRecord]) -> None:
        overflow = len(self._buffer) + len(records) - (self._buffer.maxlen or 0)
        if overflow > 0:
            logger.error("question buffer full: %d oldest buffered questions dropped", overflow)
        self._buffer.extend(records)

    def _went_down(self) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            logger.error("database unreachable: logging questions to a memory buffer")
        if self._retrier is None or self._retrier.done():
            self._retrier = asyncio.create_task(self._retry())

    async def _retry(self) -> None:
        """Until the database answers: try to write the buffer every `retry_every` seconds."""
        while self._down_since is not None:
            await asyncio.sleep(self._retry_every)
            await self._write_buffer()

    async def _write_buffer(self) -> None:
        while self._buffer:
            chunk = list(self._buffer)[: self._max_batch]
            try:
                await self._store.log_questions(chunk)
            except StorageError:
                if not await self._usable():
                    return
                await self._write_one_by_one(chunk)
            for _ in chunk:
                self._buffer.popleft()
        if self._down_since is not None:
            down = time.monotonic() - self._down_since
            logger.warning("database back after %.0f s; buffered questions written", down)
            self._down_since = None

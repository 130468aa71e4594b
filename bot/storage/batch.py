"""Group commit for the question log: concurrent messages share one transaction.

Each caller still gets its own question id back (the core needs it for the feedback
buttons); it just waits a few milliseconds for the batch it joined to be written.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from bot.model import FeedbackRecord, QuestionRecord
from bot.storage.store import Store

logger = logging.getLogger(__name__)


class BatchedLog:
    """A `QuestionLog` that writes questions in batches through a `Store`."""

    def __init__(self, store: Store, *, max_batch: int = 256, max_wait: float = 0.002) -> None:
        self._store = store
        self._max_batch = max_batch
        self._max_wait = max_wait
        self._pending: list[tuple[QuestionRecord, asyncio.Future[int]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def log_question(self, record: QuestionRecord) -> int:
        """Queue the record; return its id once its batch is stored."""
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._pending.append((record, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon())
        return await future

    async def add_feedback(self, record: FeedbackRecord) -> bool:
        """Feedback is rare: written straight through."""
        return await self._store.add_feedback(record)

    async def drain(self) -> None:
        """Wait until everything queued so far is written (for shutdown)."""
        while self._flusher is not None and not self._flusher.done():
            await self._flusher

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
            ids = await self._store.log_questions([record for record, _ in batch])
        except Exception as exc:  # every waiter must hear about the failure, whatever it is
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), question_id in zip(batch, ids, strict=True):
            if not future.done():
                future.set_result(question_id)

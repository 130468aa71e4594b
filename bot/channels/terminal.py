"""The terminal channel: one line in, the replies out; buttons become numbered choices.

Interactive at a TTY; with piped input it answers each line and stops at end of input.
Input is read as bytes and decoded leniently, so invalid UTF-8 never stops the loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import BinaryIO, TextIO

from bot.core.vocabulary import Incoming, Reply

CHANNEL = "terminal"
QUIT_WORDS = frozenset({"keluar", "/keluar", "exit", "quit"})
Handler = Callable[[Incoming], Awaitable[list[Reply]]]


class TerminalChat:
    """Feeds lines from `source` to the core and prints what it answers to `sink`."""

    def __init__(
        self,
        handle: Handler,
        *,
        source: BinaryIO,
        sink: TextIO,
        interactive: bool,
        user: str = "local",
    ) -> None:
        self._handle = handle
        self._source, self._sink = source, sink
        self._interactive = interactive
        self._user = user
        self._choices: dict[str, str] = {}

    async def run(self) -> int:
        """Chat until end of input (or "keluar"); return the number of messages handled."""
        handled = 0
        if self._interactive:
            await self._send("/start")
        while True:
            if self._interactive:
                self._sink.write("\nAnda: ")
                self._sink.flush()
            raw = await asyncio.to_thread(self._source.readline)
            if not raw:
                break
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if line.strip().casefold() in QUIT_WORDS:
                break
            await self._send(self._choices.get(line.strip(), line))
            handled += 1
        if self._interactive:
            self._sink.write("\nSampai jumpa!\n")
        return handled

    async def _send(self, text: str) -> None:
        message = Incoming(channel=CHANNEL, chat_id=self._user, user_id=self._user, text=text)
        self.show(await self._handle(message))

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """An officer's answer arriving between turns is printed like any reply."""
        self.show(replies)

    def show(self, replies: Sequence[Reply]) -> None:
        """Print replies; remember which number stands for which button."""
        self._choices = {}
        for reply in replies:
            self._sink.write(f"\nBot: {reply.text}\n")
            for button in reply.buttons:
                number = str(len(self._choices) + 1)
                self._choices[number] = button.data
                self._sink.write(f"  [{number}] {button.label}\n")
        if self._choices and self._interactive:
            self._sink.write(
                "(Ketik nomor pilihan, atau tulis pertanyaan. Ketik 'keluar' untuk selesai.)\n"
            )
        self._sink.flush()

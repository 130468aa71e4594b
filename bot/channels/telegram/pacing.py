"""When each Telegram send may go: Telegram's limits as sliding windows over the times sends
actually went, a queue per chat feeding one global window in arrival order, and a global pause
after a 429. No clock and no asyncio here: `limiter` drives it with the loop's time, tests with
numbers.

The rules (`PacingRules`, defaults from Telegram's FAQ "My bot is hitting limits"):
- overall: at most 30 sends in any 1.01 s (Telegram says ~30/s; the 10 ms margin absorbs the
  variable HTTP latency between our clock and Telegram's);
- a private chat: at most 3 sends in any 3 s, i.e. 1/s on average with a turn's reply of up to
  three messages going out at once (Telegram: "avoid more than one message per second in a
  chat; short bursts are allowed");
- a group, supergroup or channel (a negative or @name chat id): at most 20 sends in any 60 s.

Order: a chat's sends go strictly in the order they were asked for, one in flight at a time, so
a retried send cannot be overtaken by the next one to the same chat. Across chats, a free slot of
the overall window goes to the earliest-asked send whose chat is free; a send waiting for its
chat's own limit does not hold up other chats (that is the only overtaking allowed).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass, field

ChatKey = int | str


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `count` sends in any `seconds`."""

    count: int
    seconds: float


@dataclass(frozen=True, slots=True)
class PacingRules:
    """Telegram's limits; see the module docstring for why these numbers."""

    overall: Limit = Limit(30, 1.01)
    private_chat: Limit = Limit(3, 3.0)
    group: Limit = Limit(20, 60.0)

    def for_chat(self, chat: ChatKey) -> Limit:
        """A private chat has a positive id; groups and channels negative ids or @names."""
        return self.private_chat if isinstance(chat, int) and chat > 0 else self.group


@dataclass(slots=True)
class Window:
    """The last `limit.count` send times; the next may go once the oldest is `seconds` old."""

    limit: Limit
    times: deque[float] = field(default_factory=deque)

    def free_at(self, now: float) -> float:
        """The earliest time from `now` on at which one more send keeps within the limit."""
        if len(self.times) < self.limit.count:
            return now
        return max(now, self.times[0] + self.limit.seconds)

    def record(self, now: float) -> None:
        self.times.append(now)
        if len(self.times) > self.limit.count:
            self.times.popleft()

    def idle(self, now: float) -> bool:
        """Nothing sent within the last period: the window holds no information any more."""
        return not self.times or self.times[-1] + self.limit.seconds <= now


class SendSchedule:
    """Tickets (increasing numbers) wait per chat; `take(now)` hands out those that may go."""

    def __init__(self, rules: PacingRules | None = None) -> None:
        self.rules = rules or PacingRules()
        self._overall = Window(self.rules.overall)
        self._paused_until = -math.inf
        self._next_ticket = 0
        self._queues: dict[ChatKey, deque[int]] = {}
        self._windows: dict[ChatKey, Window] = {}
        self._in_flight: set[ChatKey] = set()
        self._ready: list[tuple[int, ChatKey]] = []  # (head ticket, chat): chat free now
        self._blocked: list[tuple[float, int, ChatKey]] = []  # (chat free at, head, chat)
        self._idle: deque[tuple[float, ChatKey]] = deque()  # windows to forget after a time

    def ask(self, chat: ChatKey, now: float) -> int:
        """Queue one send to `chat`; its ticket."""
        ticket = self._next_ticket
        self._next_ticket += 1
        queue = self._queues.setdefault(chat, deque())
        queue.append(ticket)
        if len(queue) == 1 and chat not in self._in_flight:
            self._place(chat, now)
        return ticket

    def done(self, chat: ChatKey, now: float) -> None:
        """The send granted to `chat` has finished (sent or failed for good)."""
        self._in_flight.discard(chat)
        if self._queues.get(chat):
            self._place(chat, now)
        else:
            self._queues.pop(chat, None)
            self._idle.append((now + self._window(chat).limit.seconds, chat))

    def retry(self, chat: ChatKey, ticket: int, now: float) -> None:
        """The granted send must go again: back at the head of its chat's queue."""
        self._in_flight.discard(chat)
        self._queues.setdefault(chat, deque()).appendleft(ticket)
        self._place(chat, now)

    def withdraw(self, chat: ChatKey, ticket: int, now: float) -> None:
        """The asker gave up (cancelled): drop a waiting ticket, or finish a granted one."""
        queue = self._queues.get(chat)
        if queue is None or ticket not in queue:
            self.done(chat, now)  # granted in the meantime: the chat's send is over
            return
        was_head = queue[0] == ticket
        queue.remove(ticket)
        if not queue:
            del self._queues[chat]
        elif was_head and chat not in self._in_flight:
            self._place(chat, now)  # the old head's heap entry is stale from now on

    def pause(self, until: float) -> None:
        """Telegram said 429 with retry_after: no send at all before `until`."""
        self._paused_until = max(self._paused_until, until)

    def take(self, now: float) -> list[int]:
        """The tickets that may be sent now, in the order they should go."""
        self._forget_idle(now)
        while self._blocked and self._blocked[0][0] <= now:
            _, head, chat = heapq.heappop(self._blocked)
            if self._is_head(chat, head):
                self._place(chat, now)
        granted: list[int] = []
        while self._ready and now >= self._paused_until and self._overall.free_at(now) <= now:
            ticket, chat = heapq.heappop(self._ready)
            if not self._is_head(chat, ticket):
                continue  # withdrawn since it was placed
            self._queues[chat].popleft()
            self._overall.record(now)
            self._window(chat).record(now)
            self._in_flight.add(chat)
            granted.append(ticket)
        return granted

    def wake_at(self, now: float) -> float | None:
        """When `take` may next hand out something; None while nothing waits."""
        times = [self._blocked[0][0]] if self._blocked else []
        if self._ready:
            times.append(max(self._paused_until, self._overall.free_at(now)))
        return min(times) if times else None

    @property
    def chats_tracked(self) -> int:
        """Chats with a window in memory (forgotten once idle for their period)."""
        return len(self._windows)

    def _place(self, chat: ChatKey, now: float) -> None:
        free, head = self._window(chat).free_at(now), self._queues[chat][0]
        if free <= now:
            heapq.heappush(self._ready, (head, chat))
        else:
            heapq.heappush(self._blocked, (free, head, chat))

    def _is_head(self, chat: ChatKey, ticket: int) -> bool:
        queue = self._queues.get(chat)
        return (
            queue is not None
            and bool(queue)
            and queue[0] == ticket
            and chat not in self._in_flight
        )

    def _window(self, chat: ChatKey) -> Window:
        window = self._windows.get(chat)
        if window is None:
            window = self._windows[chat] = Window(self.rules.for_chat(chat))
        return window

    def _forget_idle(self, now: float) -> None:
        while self._idle and self._idle[0][0] <= now:
            _, chat = self._idle.popleft()
            busy = chat in self._queues or chat in self._in_flight
            if not busy and chat in self._windows and self._windows[chat].idle(now):
                del self._windows[chat]

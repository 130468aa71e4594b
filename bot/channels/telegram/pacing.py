"""When each Telegram send may go: Telegram's limits as sliding windows over the times sends
actually went, a queue per chat feeding one global window in arrival order, and a global pause
after a 429. No clock and no asyncio here: `limiter` drives it with the loop's time, tests with
numbers.

The rules (`PacingRules`, defaults from Telegram's FAQ "My bot is hitting limits"):
- overall: at most 30 sends in any second (Telegram: "not more than 30 messages per second or
  so"). A send takes its place from its grant until a second after its response (`Window`):
  Telegram received it in between, so however late the request left or long it took,
  Telegram cannot see more than 30 in any second;
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

import bisect
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

    overall: Limit = Limit(30, 1.0)
    private_chat: Limit = Limit(3, 3.0)
    group: Limit = Limit(20, 60.0)
    # How soon after it starts a request surely reached Telegram (see Window). Only the
    # response proves it: 10 ms gave 59 429s in 900 sends, as PTB prepares a request and the
    # loop writes it well after the send's task resumes.
    transit: float = math.inf

    def for_chat(self, chat: ChatKey) -> Limit:
        """A private chat has a positive id; groups and channels negative ids or @names."""
        return self.private_chat if isinstance(chat, int) and chat > 0 else self.group


@dataclass(slots=True)
class Window:
    """When this window's recent sends reached Telegram, at the latest, and how many are not
    on their way yet. A send reached Telegram after it started and before its response came,
    and (`transit`) within that many seconds of starting even when the response is slow to be
    read: a busy event loop reads it late, but it left on time. A place is taken from the grant
    until `seconds` after that arrival bound."""

    limit: Limit
    transit: float
    granted: int = 0  # granted, not started: their arrival is still to come
    running: dict[ChatKey, float] = field(default_factory=dict)  # chat -> start, no response
    arrived: list[float] = field(default_factory=list)  # arrival bounds, sorted

    def free_at(self, now: float) -> float:
        """The earliest time from `now` on at which one more send keeps within the limit;
        infinity while only a send starting or ending can free a place."""
        period = self.limit.seconds
        stale = 0  # sorted: the ones out of the window are a prefix
        while stale < len(self.arrived) and self.arrived[stale] + period <= now:
            stale += 1
        del self.arrived[:stale]
        if self.granted + len(self.arrived) + len(self.running) < self.limit.count:
            return now  # room even if every send in the window counts
        if self.transit == math.inf:  # the default: a running send frees no place before
            # its response, and the arrivals are sorted: no list to build and sort
            excess = self.granted + len(self.arrived) + len(self.running) - self.limit.count
            return self.arrived[excess] + period if excess < len(self.arrived) else math.inf
        frees = sorted(
            [t + period for t in self.arrived]
            + [t + self.transit + period for t in self.running.values()]
        )
        frees = [t for t in frees if t > now]
        excess = self.granted + len(frees) - self.limit.count
        if excess < 0:
            return now
        return frees[excess] if excess < len(frees) else math.inf

    def grant(self) -> None:
        self.granted += 1

    def start(self, chat: ChatKey, now: float) -> None:
        self.granted -= 1
        self.running[chat] = now

    def end(self, chat: ChatKey, now: float) -> None:
        started = self.running.pop(chat, None)
        if started is None:
            self.granted -= 1  # ended without starting: withdrawn, or the caller failed
        bisect.insort(self.arrived, now if started is None else min(now, started + self.transit))

    def idle(self, now: float) -> bool:
        """Nothing granted, running or within the last period: the window holds nothing."""
        recent = bool(self.arrived) and self.arrived[-1] + self.limit.seconds > now
        return self.granted == 0 and not self.running and not recent


class SendSchedule:
    """Tickets (increasing numbers) wait per chat; `take(now)` hands out those that may go."""

    def __init__(self, rules: PacingRules | None = None) -> None:
        self.rules = rules or PacingRules()
        self._overall = Window(self.rules.overall, self.rules.transit)
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
        self._ended(chat, now)
        if self._queues.get(chat):
            self._place(chat, now)
        else:
            self._queues.pop(chat, None)
            self._idle.append((now + self._window(chat).limit.seconds, chat))

    def retry(self, chat: ChatKey, ticket: int, now: float) -> None:
        """The granted send must go again: back at the head of its chat's queue."""
        self._ended(chat, now)
        self._queues.setdefault(chat, deque()).appendleft(ticket)
        self._place(chat, now)

    def started(self, chat: ChatKey, now: float) -> None:
        """The send granted to `chat` is leaving now (its task got to run)."""
        if chat in self._in_flight:
            self._overall.start(chat, now)
            self._window(chat).start(chat, now)

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
            self._overall.grant()
            self._window(chat).grant()
            self._in_flight.add(chat)
            granted.append(ticket)
        return granted

    def wake_at(self, now: float) -> float | None:
        """When `take` may next hand out something; None while nothing waits."""
        times = [self._blocked[0][0]] if self._blocked else []
        if self._ready:
            times.append(max(self._paused_until, self._overall.free_at(now)))
        wake = min(times, default=math.inf)
        return None if wake == math.inf else wake  # a response will call for the next turn

    def chat_free_at(self, chat: ChatKey, now: float) -> float:
        """When `chat`'s own limit next lets a send go (its queue and the others aside)."""
        return self._window(chat).free_at(now)

    @property
    def chats_tracked(self) -> int:
        """Chats with a window in memory (forgotten once idle for their period)."""
        return len(self._windows)

    def _ended(self, chat: ChatKey, now: float) -> None:
        if chat in self._in_flight:
            self._in_flight.discard(chat)
            self._overall.end(chat, now)
            self._window(chat).end(chat, now)

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
            window = self._windows[chat] = Window(self.rules.for_chat(chat), self.rules.transit)
        return window

    def _forget_idle(self, now: float) -> None:
        while self._idle and self._idle[0][0] <= now:
            _, chat = self._idle.popleft()
            busy = chat in self._queues or chat in self._in_flight
            if not busy and chat in self._windows and self._windows[chat].idle(now):
                del self._windows[chat]

"""The send schedule on a clock of plain numbers: Telegram's windows, order, 429 pauses."""

from __future__ import annotations

import math
import random

import pytest

from bot.channels.telegram.pacing import Limit, PacingRules, SendSchedule, Window
from bot.channels.telegram.settings import TelegramSettings
from bot.core.errors import ConfigError

USER, OTHER, GROUP = 42, 43, -1001


class Senders:
    """Callers of one schedule: each ticket's chat remembered, each send over once granted."""

    def __init__(self, rules: PacingRules | None = None) -> None:
        self.schedule = SendSchedule(rules)
        self.chats: dict[int, int | str] = {}

    def ask(self, chat: int | str, now: float = 0.0) -> int:
        ticket = self.schedule.ask(chat, now)
        self.chats[ticket] = chat
        return ticket

    def drain(self, until: float) -> list[tuple[float, int]]:
        """(time granted, ticket) from 0 to `until`; time jumps to each wake-up, as the
        event loop's timer would."""
        now, sent = 0.0, []
        while now <= until:
            for ticket in self.schedule.take(now):
                sent.append((now, ticket))
                self.schedule.done(self.chats[ticket], now)
            wake = self.schedule.wake_at(now)
            if wake is None:
                break
            now = wake
        return sent


def test_a_burst_of_30_then_one_per_freed_slot() -> None:
    senders = Senders()
    tickets = [senders.ask(1000 + n) for n in range(45)]
    sent = senders.drain(10.0)
    assert [t for _, t in sent] == tickets
    assert [when for when, _ in sent[:30]] == [0.0] * 30
    assert [when for when, _ in sent[30:]] == [1.0] * 15


def test_no_second_holds_more_than_30_sends() -> None:
    senders = Senders()
    for n in range(200):
        senders.ask(1000 + n)
    times = [when for when, _ in senders.drain(60.0)]
    assert len(times) == 200
    gaps = [later - earlier for earlier, later in zip(times, times[30:], strict=False)]
    assert min(gaps) >= 1.0
    assert times[-1] == times[180] == 6.0  # 30 a second, never slower


def test_the_earliest_asked_goes_first_when_slots_are_scarce() -> None:
    senders = Senders(PacingRules(overall=Limit(1, 1.0)))
    first, second, third = (senders.ask(chat) for chat in (101, 102, 103))
    assert [t for _, t in senders.drain(5.0)] == [first, second, third]


def test_a_private_chat_gets_three_at_once_then_waits_for_its_own_window() -> None:
    senders = Senders()
    mine = [senders.ask(USER) for _ in range(5)]
    sent = senders.drain(10.0)
    assert sent == [(0.0, mine[0]), (0.0, mine[1]), (0.0, mine[2]), (3.0, mine[3]), (3.0, mine[4])]


def test_a_chat_waiting_for_its_limit_does_not_hold_up_other_chats() -> None:
    senders = Senders()
    schedule = senders.schedule
    mine = [senders.ask(USER) for _ in range(4)]
    for ticket in mine[:3]:
        assert schedule.take(0.0) == [ticket]
        schedule.done(USER, 0.0)
    theirs = senders.ask(OTHER, now=0.5)
    assert schedule.take(0.5) == [theirs]
    assert schedule.wake_at(0.5) == 3.0
    assert schedule.take(3.0) == [mine[3]]


def test_a_group_gets_20_sends_a_minute() -> None:
    senders = Senders()
    tickets = [senders.ask(GROUP) for _ in range(25)]
    sent = senders.drain(200.0)
    assert [t for _, t in sent] == tickets
    assert [when for when, _ in sent] == [0.0] * 20 + [60.0] * 5


def test_channel_names_count_as_groups() -> None:
    assert PacingRules().for_chat("@kanal") == PacingRules().group
    assert PacingRules().for_chat(GROUP) == PacingRules().group
    assert PacingRules().for_chat(USER) == PacingRules().private_chat


def test_one_send_in_flight_per_chat() -> None:
    senders = Senders()
    schedule = senders.schedule
    first, second = senders.ask(USER), senders.ask(USER)
    assert schedule.take(0.0) == [first]
    assert schedule.take(0.1) == []
    schedule.done(USER, 0.2)
    assert schedule.take(0.2) == [second]


def test_a_429_pauses_every_chat_and_the_refused_send_goes_first_in_its_chat() -> None:
    senders = Senders()
    schedule = senders.schedule
    refused, after = senders.ask(USER), senders.ask(USER)
    assert schedule.take(0.0) == [refused]
    other = senders.ask(OTHER, now=0.1)
    schedule.pause(2.1)
    schedule.retry(USER, refused, 0.1)
    assert schedule.take(0.1) == []
    assert schedule.wake_at(0.1) == 2.1
    assert schedule.take(2.1) == [refused, other]
    schedule.done(USER, 2.2)
    assert schedule.take(2.2) == [after]


def test_a_withdrawn_send_frees_its_place() -> None:
    senders = Senders()
    schedule = senders.schedule
    first, gone, last = senders.ask(USER), senders.ask(USER), senders.ask(USER)
    assert schedule.take(0.0) == [first]
    schedule.withdraw(USER, gone, 0.1)
    schedule.done(USER, 0.1)
    assert schedule.take(0.1) == [last]
    schedule.withdraw(USER, last, 0.2)  # granted already: withdrawing finishes it
    assert schedule.take(0.2) == []
    assert schedule.wake_at(0.2) is None


def test_idle_chats_are_forgotten() -> None:
    senders = Senders()
    schedule = senders.schedule
    for chat in range(1, 101):
        senders.ask(chat)
    senders.drain(10.0)  # 30 at 0 s, 1 s and 2 s, 10 at 3 s
    assert schedule.chats_tracked == 70  # those sent at 0 s are 3 s quiet: forgotten
    schedule.take(6.0)
    assert schedule.chats_tracked == 0


def test_a_send_counts_until_a_second_after_its_response() -> None:
    senders = Senders(PacingRules(overall=Limit(2, 1.0)))
    schedule = senders.schedule
    slow, fast, waiting = senders.ask(101), senders.ask(102), senders.ask(103)
    assert schedule.take(0.0) == [slow, fast]
    schedule.done(102, 0.1)
    assert schedule.wake_at(0.1) == 1.1
    schedule.done(101, 0.5)  # a late response does not bring the next turn forward
    assert schedule.take(1.09) == []
    assert schedule.take(1.1) == [waiting]


def test_while_every_place_is_in_flight_only_a_response_frees_one() -> None:
    senders = Senders(PacingRules(overall=Limit(1, 1.0)))
    schedule = senders.schedule
    first, second = senders.ask(101), senders.ask(102)
    assert schedule.take(0.0) == [first]
    assert schedule.wake_at(5.0) is None
    schedule.done(101, 5.0)
    assert schedule.take(5.5) == []
    assert schedule.take(6.0) == [second]


def test_with_a_transit_bound_a_response_read_late_frees_the_place_sooner() -> None:
    senders = Senders(PacingRules(overall=Limit(1, 1.0), transit=0.01))
    schedule = senders.schedule
    first, second = senders.ask(101), senders.ask(102)
    assert schedule.take(0.0) == [first]
    schedule.started(101, 0.2)  # its task got to run late: it left at 0.2 s
    assert schedule.wake_at(0.5) == 1.21  # counted as arrived by 0.21 s, though still running
    schedule.done(101, 0.9)
    assert schedule.take(1.2) == []
    assert schedule.take(1.21) == [second]


def test_the_limits_default_to_telegrams_and_only_their_counts_are_settings() -> None:
    assert TelegramSettings().pacing == TelegramSettings.from_env({}).pacing
    rules = TelegramSettings.from_env({}).pacing
    assert (rules.overall, rules.private_chat, rules.group) == (
        Limit(30, 1.0),
        Limit(3, 3.0),
        Limit(20, 60.0),
    )
    raised = TelegramSettings.from_env(
        {
            "TELEGRAM_SENDS_PER_SECOND": "100",
            "TELEGRAM_PRIVATE_SENDS_PER_3_SECONDS": "6",
            "TELEGRAM_GROUP_SENDS_PER_MINUTE": "60",
        }
    ).pacing
    assert (raised.overall, raised.private_chat, raised.group) == (
        Limit(100, 1.0),
        Limit(6, 3.0),
        Limit(60, 60.0),
    )


@pytest.mark.parametrize("wrong", ["0", "-5", "dua puluh", "2.5"])
def test_a_limit_that_is_not_a_positive_whole_number_stops_start_up(wrong: str) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_GROUP_SENDS_PER_MINUTE"):
        TelegramSettings.from_env({"TELEGRAM_GROUP_SENDS_PER_MINUTE": wrong})


def test_a_raised_group_limit_lets_that_many_through_a_minute() -> None:
    senders = Senders(TelegramSettings.from_env({"TELEGRAM_GROUP_SENDS_PER_MINUTE": "40"}).pacing)
    tickets = [senders.ask(GROUP) for _ in range(45)]
    sent = senders.drain(200.0)
    assert [t for _, t in sent] == tickets
    assert [when for when, _ in sent] == [0.0] * 30 + [1.0] * 10 + [60.0] * 5


def test_a_window_answers_the_same_whether_it_sorts_or_not() -> None:
    """The shortcut for the default (no transit bound) against the general computation with a
    bound far beyond the test: the same free time whenever an arrival decides it."""
    rng = random.Random(7)
    quick, general = Window(Limit(5, 1.0), math.inf), Window(Limit(5, 1.0), 1e9)
    now, chats = 0.0, iter(range(10**6))
    for _ in range(2000):
        now += rng.choice([0.0, 0.01, 0.1, 0.3])
        step, chat = rng.random(), next(chats)
        for window in (quick, general):
            if step < 0.4 and window.granted + len(window.running) < 5:
                window.grant()
                window.start(chat, now)
            elif step < 0.8 and window.running:
                window.end(next(iter(window.running)), now)
        assert quick.arrived == general.arrived
        free, bound = quick.free_at(now), general.free_at(now)
        assert free == bound or (free == math.inf and bound > 1e8)

"""The load benchmarks' accounting: a process tree's CPU counts children that have exited, and
replies are matched to what was sent (lost, duplicated, the buttons' message ignored)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from benchmarks import load_meter
from benchmarks.load_run import measure

# A parent that starts a child burning CPU, reaps it, then waits for its stdin to close.
_PARENT = (
    "import subprocess, sys\n"
    "subprocess.run([sys.executable, '-c', 'sum(range(30_000_000))'], check=True)\n"
    "print('reaped', flush=True)\n"
    "sys.stdin.read()\n"
)


def test_a_process_tree_counts_the_cpu_of_a_child_it_has_reaped() -> None:
    command = [sys.executable, "-c", _PARENT]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as parent:
        assert parent.stdout is not None
        assert parent.stdin is not None
        assert parent.stdout.readline() == b"reaped\n"
        fields = load_meter._fields(parent.pid)
        own = sum(int(v) for v in fields[11:13]) / load_meter.TICKS
        reaped = sum(int(v) for v in fields[13:15]) / load_meter.TICKS
        assert reaped > 0  # the child's work moved into the parent's cutime/cstime
        # The parent sleeps on its stdin now: its counters no longer move.
        assert load_meter.tree_cpu(parent.pid) == pytest.approx(own + reaped)
        parent.stdin.close()


def test_replies_are_matched_once_each_and_the_rest_ignored() -> None:
    posted: dict[str, Any] = {
        "started": [["a", "Biaya", 10.0], ["a", "Syarat", 11.0], ["b", "Biaya", 10.5]],
        "statuses": [200, 200, 200, 500],
        "redelivered": 1,
        "retried": 0,
    }
    replies = [
        ("a", "Biaya", 10.2),
        ("a", "👍 Membantu?", 10.3),  # the buttons' message under an answer
        ("b", "Biaya", 10.9),
        ("b", "Biaya", 11.0),  # sent twice
    ]
    figures = measure(posted, replies)
    assert figures["messages"] == 3
    assert figures["lost"] == 1  # ("a", "Syarat") never came
    assert figures["duplicated"] == 1
    assert figures["non_200"] == 1
    assert round(figures["p50_ms"]) == 300  # of 200 and 400 ms

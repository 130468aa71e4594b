"""Small parts of the core and the knowledge library whose exact output matters: what a
birth date leaves behind, which ids a button may carry, how a file problem is located, the
cut-offs a model brings, office hours at their edges."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import ConfigError
from bot.core.hours import OfficeHours, WeeklyTime
from bot.core.privacy import redact
from bot.core.vocabulary import MAX_ID, record_id
from knowledge.calibration import shipped
from knowledge.errors import KnowledgeError, Problem
from knowledge.loader import load
from knowledge.policy import Thresholds


def test_a_birth_date_keeps_its_word_and_loses_the_name_before_it() -> None:
    named = redact("Saya Budi Santoso, lahir 12-05-1990 di Jakarta")
    assert named.text == "Saya [NAMA] lahir [TGL-LAHIR] di Jakarta"
    assert named.kinds == {"birth", "name"}
    plain = redact("tanggal lahir: 12/05/1990 ya")
    assert plain.text == "tanggal lahir [TGL-LAHIR] ya"
    assert plain.kinds == {"birth"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [("42", 42), ("1", 1), (str(MAX_ID), MAX_ID), ("0", None), (str(MAX_ID + 1), None)],
)
def test_a_record_id_is_a_positive_database_integer(data: str, expected: int | None) -> None:
    assert record_id(data) == expected


@pytest.mark.parametrize("data", ["", "-1", "4.2", "٤٢", "²", "1" * 11, "01234567890"])
def test_anything_else_is_no_record_id(data: str) -> None:
    assert record_id(data) is None


def only_problem(tmp_path: Path, text: str) -> Problem:
    """The one problem loading `text` as faq.yaml finds."""
    path = tmp_path / "faq.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as raised:
        load(path)
    [problem] = raised.value.problems
    return problem


def test_a_problem_says_where_it_is() -> None:
    assert str(Problem("faq.yaml", 12, "biaya", "answer", "kosong")) == (
        "faq.yaml:12, entri 'biaya', kolom 'answer': kosong"
    )
    assert str(Problem("faq.yaml", None, None, None, "rusak")) == "faq.yaml: rusak"
    error = KnowledgeError([Problem("a", 1, None, None, "x"), Problem("b", 2, None, None, "y")])
    assert str(error) == "a:1: x\nb:2: y"
    assert len(error.problems) == 2


def test_broken_yaml_is_reported_at_its_line(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "entries:\n  - id: a\n    title: [unclosed\n")
    assert problem.line == 4
    assert problem.message.startswith("YAML tidak valid: ")


def test_thresholds_of_a_model_are_its_cut_offs() -> None:
    other = dataclasses.replace(shipped(), answer_cut=0.5, help_cut=0.2)
    made = Thresholds.of(other)
    assert (made.answer, made.clarify, made.model) == (0.5, 0.2, other)
    model = shipped()
    thresholds = Thresholds.of(model)
    assert thresholds == Thresholds()
    assert thresholds.cuts(3) == (model.answer_cut, model.help_cut)
    assert thresholds.cuts(30) == (model.long_answer_cut, model.long_help_cut)
    assert thresholds.model is model
    longer = dataclasses.replace(other, long_answer_cut=0.7, long_help_cut=0.3)
    assert Thresholds.of(longer).cuts(30) == (0.7, 0.3)  # long messages keep their own cuts


def test_office_hours_open_at_start_and_close_at_end() -> None:
    hours = OfficeHours.parse("mon-fri 08:00-16:00")
    wib = dt.timezone(dt.timedelta(hours=7))
    wednesday = dt.date(2026, 11, 25)
    assert hours.is_open(dt.datetime.combine(wednesday, dt.time(8, 0), wib))
    assert not hours.is_open(dt.datetime.combine(wednesday, dt.time(7, 59), wib))
    assert not hours.is_open(dt.datetime.combine(wednesday, dt.time(16, 0), wib))
    assert hours.is_open(dt.datetime.combine(wednesday, dt.time(15, 59), wib))
    assert not hours.is_open(dt.datetime.combine(dt.date(2026, 11, 28), dt.time(9), wib))


def test_the_next_digest_time_is_given_in_utc() -> None:
    jakarta = ZoneInfo("Asia/Jakarta")
    upcoming = WeeklyTime.parse("mon 08:00").next_after(
        dt.datetime(2026, 11, 1, tzinfo=dt.UTC), jakarta
    )
    assert upcoming == dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
    assert upcoming.tzinfo is dt.UTC


@pytest.mark.parametrize(("spec", "hour", "minute"), [("sun 23:59", 23, 59), ("mon 0.00", 0, 0)])
def test_a_digest_time_takes_the_whole_day(spec: str, hour: int, minute: int) -> None:
    assert WeeklyTime.parse(spec).at == dt.time(hour, minute)


@pytest.mark.parametrize("spec", ["sun 24:00", "mon 12:60"])
def test_a_digest_time_past_the_day_is_refused(spec: str) -> None:
    with pytest.raises(ConfigError, match="no such time"):
        WeeklyTime.parse(spec)


def test_unreadable_bytes_are_reported_without_a_line(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "entries:\n  - id: a\u0007\n")
    assert (problem.path, problem.line) == (str(tmp_path / "faq.yaml"), None)
    assert problem.message.startswith("YAML tidak valid: unacceptable character #x0007")


def test_a_yaml_problem_is_named_by_the_parser(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "entries: [a\n")
    # libyaml and the pure-Python parser word it differently; both name what was expected.
    assert problem.message.startswith("YAML tidak valid: ")
    assert "expected ',' or ']'" in problem.message


def test_an_entry_that_is_not_a_mapping_is_located(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "entries:\n  - just text\n")
    assert (problem.line, problem.entry_id, problem.field) == (2, None, None)

"""Score the matcher and policy on labelled TSV files (question, expected id|id|OOS|SKIP)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.complaints import default_recogniser
from knowledge.matcher import Matcher
from knowledge.policy import Decision, Thresholds, decide

OOS, SKIP = "OOS", "SKIP"


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled question."""

    question: str
    expected: frozenset[str]
    source: str


@dataclass(slots=True)
class Scores:
    """Counts behind the reported figures."""

    in_scope: int = 0
    answered_right: int = 0
    resolved: int = 0
    answers: int = 0
    wrong_answers: int = 0
    oos: int = 0
    oos_fallback: int = 0
    misses: list[tuple[Row, Decision]] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """The headline ratios."""
        return {
            "answer_accuracy": _ratio(self.answered_right, self.in_scope),
            "resolved": _ratio(self.resolved, self.in_scope),
            "answer_precision": _ratio(self.answers - self.wrong_answers, self.answers),
            "oos_fallback": _ratio(self.oos_fallback, self.oos),
        }


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def read_rows(paths: list[Path]) -> list[Row]:
    """Read TSV files with a header row; SKIP rows are dropped."""
    rows: list[Row] = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(reader, None)
            for number, cells in enumerate(reader, start=2):
                if len(cells) < 2 or cells[1].strip() == SKIP:
                    continue
                expected = frozenset(p.strip() for p in cells[1].split("|") if p.strip())
                rows.append(Row(cells[0], expected, f"{path.name}:{number}"))
    return rows


Decided = list[tuple[Row, Decision]]


def decisions(rows: list[Row], matcher: Matcher, thresholds: Thresholds) -> Decided:
    """Run every row through the matcher and the policy."""
    return [(row, decide(matcher.rank(row.question), thresholds)) for row in rows]


def tally(decided: Decided) -> Scores:
    """Count what the decisions got right."""
    scores = Scores()
    for row, decision in decided:
        _count(scores, row, decision)
    return scores


def score(rows: list[Row], matcher: Matcher, thresholds: Thresholds) -> Scores:
    """The figures of the matcher and policy on `rows`."""
    return tally(decisions(rows, matcher, thresholds))


def by_file(decided: Decided) -> dict[str, Scores]:
    """Scores per file (the part of `Row.source` before the line number), then the total."""
    files: dict[str, Decided] = {}
    for row, decision in decided:
        files.setdefault(row.source.rpartition(":")[0], []).append((row, decision))
    result = {name: tally(pairs) for name, pairs in files.items()}
    if len(result) > 1:
        result["total"] = tally(decided)
    return result


def render_files(decided: Decided, *, misses: bool, title: str = "") -> str:
    """A report per file and for all of them."""
    rows = _rows_by_file(decided)
    blocks = [
        f"== {name}{title}\n{render(scores, misses=misses)}\n{complaint_line(rows[name])}"
        for name, scores in by_file(decided).items()
    ]
    return "\n\n".join(blocks)


def _rows_by_file(decided: Decided) -> dict[str, list[Row]]:
    files: dict[str, list[Row]] = {"total": []}
    for row, _ in decided:
        files.setdefault(row.source.rpartition(":")[0], []).append(row)
        files["total"].append(row)
    return files


def complaint_line(rows: list[Row]) -> str:
    """How many rows the conversation would also thank as a complaint or suggestion; the
    decision (and so every figure above) is the same for them."""
    heard = [row for row in rows if default_recogniser().hear(row.question) is not None]
    outside = sum(OOS in row.expected for row in heard)
    return (
        f"complaints heard: {len(heard)}  ({outside} of them out-of-scope rows, whose"
        " fallback is counted as above)"
    )


def _count(scores: Scores, row: Row, decision: Decision) -> None:
    answered = decision.entry.id if decision.action == "answer" and decision.entry else None
    if answered:
        scores.answers += 1
    if OOS in row.expected:
        scores.oos += 1
        ok = decision.action == "fallback"
        scores.oos_fallback += ok
        scores.wrong_answers += answered is not None
    else:
        scores.in_scope += 1
        right = answered in row.expected
        top3 = {c.entry.id for c in decision.candidates[:3]}
        resolved = right or (decision.action == "clarify" and bool(top3 & row.expected))
        scores.answered_right += right
        scores.resolved += resolved
        scores.wrong_answers += answered is not None and not right
        ok = right
    if not ok:
        scores.misses.append((row, decision))


def render(scores: Scores, *, misses: bool) -> str:
    """A plain-text report."""
    figures = scores.figures()
    lines = [
        f"in-scope questions: {scores.in_scope}   out-of-scope questions: {scores.oos}",
        f"answer accuracy:  {figures['answer_accuracy']:.3f}",
        f"resolved:         {figures['resolved']:.3f}  (answered right, or right one in top 3)",
        f"answer precision: {figures['answer_precision']:.3f}  ({scores.answers} answers given)",
        f"OOS fallback:     {figures['oos_fallback']:.3f}",
        f"wrong answers:    {scores.wrong_answers}",
    ]
    if misses:
        lines.append("")
        lines.extend(_miss_line(row, decision) for row, decision in scores.misses)
    return "\n".join(lines)


def _miss_line(row: Row, decision: Decision) -> str:
    got = decision.entry.id if decision.entry else "-"
    top = ", ".join(f"{c.entry.id}:{c.score:.2f}" for c in decision.candidates[:3])
    expected = "|".join(sorted(row.expected))
    outcome = f"{decision.action} {got} {decision.score:.2f}"
    return "\t".join((row.source, expected, outcome, f"[{top}]", row.question))

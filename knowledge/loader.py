"""Load `faq.yaml` into a KnowledgeBase, refusing a broken file with located problems."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from knowledge.entries import TITLE_MAX, Entry, KnowledgeBase, Office
from knowledge.errors import KnowledgeError, Problem
from knowledge.lines import LineMap
from knowledge.validate import check_entries, check_office, entry_warnings, expired_problems


@dataclass(slots=True)
class Report:
    """Result of checking a file: errors make it unusable, warnings do not."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Past `valid_until`: the bot keeps loading the file (and stops answering with those
    # entries), but `kb check` fails so a person reviews them.
    expired: list[Problem] = field(default_factory=list)
    kb: KnowledgeBase | None = None


def load(path: str | Path) -> KnowledgeBase:
    """Load and validate the file; raise KnowledgeError naming every problem."""
    report = check(path)
    if report.errors or report.kb is None:
        raise KnowledgeError(report.errors)
    return report.kb


def check(path: str | Path, *, today: dt.date | None = None) -> Report:
    """Validate the file and collect errors and warnings."""
    path = Path(path)
    report = Report()
    read = _read(path, report)
    if read is None:
        return report
    raw, data, lines = read
    entries_data, office_data, extra = _split(data, str(path), report)
    entries = check_entries(entries_data, extra.get("categories"), str(path), lines, report.errors)
    report.warnings.extend(check_office(office_data, str(path), lines))
    today = today or dt.date.today()
    report.warnings.extend(entry_warnings(entries, str(path), lines, today))
    report.expired.extend(expired_problems(entries, str(path), lines, today))
    if not report.errors:
        report.kb = KnowledgeBase(
            entries=tuple(entries),
            office=_office(office_data),
            national_contact=str(extra.get("national_contact") or ""),
            categories={str(k): str(v) for k, v in (extra.get("categories") or {}).items()},
            version=hashlib.sha256(raw).hexdigest()[:16],
            national_contact_short=str(extra.get("national_contact_short") or ""),
        )
    return report


def _read(path: Path, report: Report) -> tuple[bytes, Any, LineMap] | None:
    """The file's bytes, its YAML and its line map; None, with the error recorded, if it
    cannot be read or parsed."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        return raw, yaml.load(text, Loader=_UniqueKeys), LineMap(text)
    except OSError as exc:
        problem = Problem(str(path), None, None, None, f"tidak bisa dibaca: {exc}")
    except UnicodeDecodeError as exc:
        problem = Problem(str(path), None, None, None, f"bukan UTF-8: {exc}")
    except yaml.YAMLError as exc:
        problem = _yaml_problem(str(path), exc)
    report.errors.append(problem)
    return None


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's parser when PyYAML was built with it: the same documents, ~10x faster
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeys(_SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping: PyYAML would silently keep
    the last one, so a second `valid_until` pasted into an entry would hide the first."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"kunci '{key}' ditulis dua kali", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _yaml_problem(path: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    reason = getattr(exc, "problem", None) or str(exc)
    return Problem(path, line, None, None, f"YAML tidak valid: {reason}")


def _split(data: Any, path: str, report: Report) -> tuple[list[Any], Any, Mapping[str, Any]]:
    """Accept a mapping with `entries` (our shape) or a bare list of entries."""
    if isinstance(data, list):
        return data, {}, {}
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        return data["entries"], data.get("office") or {}, data
    report.errors.append(Problem(path, 1, None, "entries", "harus ada daftar 'entries'"))
    return [], {}, {}


def _office(data: Any) -> Office:
    if not isinstance(data, dict):
        return Office()
    known = {name: str(data.get(name) or "").strip() for name in Office.__dataclass_fields__}
    return Office(**known)


__all__ = ["TITLE_MAX", "Entry", "Report", "check", "load"]

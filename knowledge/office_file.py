"""Load `offices.yaml` into an OfficeDirectory, refusing a broken file with located problems.

Kept apart from faq.yaml: entries are national and reviewed by the content team, while office
details are each office's own and change on their own schedule (a new phone number should not
change the knowledge base's version or its review). A single-office deployment needs no
directory at all: faq.yaml's `office` block still serves it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from knowledge.errors import KnowledgeError, Problem
from knowledge.office_rules import LINES, check_directory
from knowledge.offices import OfficeDirectory


@dataclass(slots=True)
class OfficeReport:
    """Result of checking the office file: errors make it unusable, warnings do not."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    directory: OfficeDirectory | None = None


def load_offices(path: str | Path) -> OfficeDirectory:
    """Load and validate the office file; raise KnowledgeError naming every problem."""
    report = check_offices(path)
    if report.errors or report.directory is None:
        raise KnowledgeError(report.errors)
    return report.directory


def check_offices(path: str | Path) -> OfficeReport:
    """Validate the office file and collect errors and warnings."""
    path = Path(path)
    report = OfficeReport()
    try:
        raw = path.read_bytes()
        data = yaml.load(raw.decode("utf-8"), Loader=_Located)
    except OSError as exc:
        report.errors.append(Problem(str(path), None, None, None, f"tidak bisa dibaca: {exc}"))
        return report
    except UnicodeDecodeError as exc:
        report.errors.append(Problem(str(path), None, None, None, f"bukan UTF-8: {exc}"))
        return report
    except yaml.YAMLError as exc:
        report.errors.append(_yaml_problem(str(path), exc))
        return report
    directory = check_directory(data, str(path), report.errors, report.warnings)
    if not report.errors and directory is not None:
        version = hashlib.sha256(raw).hexdigest()[:16]
        report.directory = OfficeDirectory(directory.offices, directory.areas, version=version)
    return report


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's parser when PyYAML was built with it: the same documents, faster
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Located(_SafeLoader):
    """SafeLoader that refuses a key given twice and records each key's line under LINES."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        lines: dict[str, int] = {".": node.start_mark.line + 1}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if str(key) in lines:
                raise yaml.constructor.ConstructorError(
                    None, None, f"kunci '{key}' ditulis dua kali", key_node.start_mark
                )
            lines[str(key)] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINES] = lines
        return mapping


def _yaml_problem(path: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    reason = getattr(exc, "problem", None) or str(exc)
    return Problem(path, line, None, None, f"YAML tidak valid: {reason}")


__all__ = ["OfficeReport", "check_offices", "load_offices"]

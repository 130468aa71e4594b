"""The HTTP stack the webhooks run on is pinned past its known request-smuggling bugs, and the
installed versions honour every lower bound pyproject.toml declares."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
# Before these versions the package had a known request-smuggling bug (h11: CVE-2025-43859;
# httptools bundled an llhttp with CVE-2024-27982). `serve` parses with httptools; httpx (PTB's
# default request, which the bot replaces with aiohttp; the tests' clients) parses with h11.
SMUGGLING_FIXED = {"h11": Version("0.16"), "httptools": Version("0.6.3")}


def declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = (Requirement(line) for line in project["dependencies"])
    return {requirement.name.lower(): requirement for requirement in requirements}


def lower_bound(requirement: Requirement) -> Version | None:
    bounds = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==")]
    return max(bounds, default=None)


def test_the_http_parser_is_pinned_past_request_smuggling() -> None:
    requirements = declared()
    for name, fixed in SMUGGLING_FIXED.items():
        assert name in requirements, f"{name} is not a direct dependency"
        bound = lower_bound(requirements[name])
        assert bound is not None, f"{name} has no lower bound"
        assert bound >= fixed, f"{name} allows versions before {fixed}"


def test_installed_versions_meet_the_declared_bounds() -> None:
    for name, requirement in declared().items():
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue  # not for this platform (uvloop on Windows)
        installed = version(name)
        assert requirement.specifier.contains(installed, prereleases=True), (name, installed)

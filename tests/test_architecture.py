"""The import contract: no cycle between modules or between packages, and dependencies point
inward.

An AST walk over `bot/` and `knowledge/`; every import counts, including those inside
functions and `if TYPE_CHECKING:` blocks, and `from pkg import sub` counts as importing the
submodule `pkg.sub`. A package is `bot.<name>` (`bot.core`, `bot.storage`, ...), and all of
`knowledge` is one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TRANSPORT = {"telegram", "httpx", "aiohttp", "starlette", "uvicorn"}
ORM = {"sqlalchemy", "alembic", "asyncpg", "aiosqlite"}
# What storage may import from the rest of the bot besides the vocabularies (whose roles and
# records it implements): the error tree, for `StorageError`.
STORAGE_MAY_IMPORT = {"bot.core.errors"}
# What every channel may share: `bot.channels` itself and these modules; every other module or
# package directly under bot/channels/ is a channel, which must not import another.
CHANNELS_SHARED = (
    "bot.channels.contract",
    "bot.channels.meta",
    "bot.channels.starting",
    "bot.channels.text",
)
# The root may name these itself: Telegram is also the officers' and admins' room, and the
# terminal chat is no listed channel. Any other channel comes through the channel list.
ROOT_NAMES = ("bot.channels.telegram", "bot.channels.terminal")
CHANNEL_LIST = "bot.runtime.channels"
FEATURE_PACKAGES = (
    "bot.announcements",
    "bot.suggestions",
    "bot.reporting",
    "bot.console",
    "bot.content",
    "bot.publishing",
)
FEATURES = (
    "bot.core",
    "bot.announcements",
    "bot.suggestions",
    "bot.reporting",
    "bot.console",
    "bot.content",
    "bot.publishing",
    "bot.delivery",
    "bot.storage",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path for top in ("bot", "knowledge") for path in (ROOT / top).rglob("*.py")
}
CHANNEL_FAMILIES = tuple(
    sorted(
        {
            ".".join(name.split(".")[:3])
            for name in MODULES
            if name.startswith("bot.channels.")
            and ".".join(name.split(".")[:3]) not in CHANNELS_SHARED
        }
    )
)


def imported(path: Path) -> Iterator[str]:
    """Every module name `path` imports, ours resolved to the submodule where there is one."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                yield sub if sub in MODULES else node.module


GRAPH = {name: set(imported(path)) for name, path in MODULES.items()}
OURS = {
    name: {target for target in targets if target in MODULES} for name, targets in GRAPH.items()
}


def package(name: str) -> str:
    top, *rest = name.split(".")
    return top if top == "knowledge" or not rest else f"{top}.{rest[0]}"


PACKAGES: dict[str, set[str]] = {package(name): set() for name in OURS}
for source, targets in OURS.items():
    PACKAGES[package(source)] |= {package(target) for target in targets} - {package(source)}


def within(name: str, *prefixes: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def is_vocabulary(name: str) -> bool:
    return name.rsplit(".", 1)[-1] == "vocabulary" or name in STORAGE_MAY_IMPORT


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for target in sorted(graph[name]):
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            component = []
            while (member := stack.pop()) != name:
                component.append(member)
            component.append(name)
            if len(component) > 1 or name in graph[name]:
                found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def violations(rule: str) -> list[str]:
    wrong = []
    for name, targets in GRAPH.items():
        for target in targets:
            if breaks(rule, name, target):
                wrong.append(f"{name} -> {target}")
    return sorted(wrong)


def breaks(rule: str, name: str, target: str) -> bool:
    top = target.split(".")[0]
    if rule == "knowledge is pure":
        return within(name, "knowledge") and top == "bot"
    if rule == "core has no transport or ORM":
        inner = within(name, "knowledge", "bot.core", "bot.announcements")
        return inner and (top in TRANSPORT | ORM or within(target, "bot.storage"))
    if rule == "core imports no feature":
        return within(name, "bot.core") and within(target, *FEATURE_PACKAGES, "bot.delivery")
    if rule == "features and delivery import no storage":
        return within(name, *FEATURE_PACKAGES, "bot.delivery") and within(target, "bot.storage")
    if rule == "storage imports no feature":
        return within(name, "bot.storage") and top == "bot" and not storage_may(target)
    if rule == "features import no channel or runtime":
        return within(name, *FEATURES) and within(target, "bot.channels", "bot.runtime")
    if rule == "channels import no runtime":
        return within(name, "bot.channels") and within(target, "bot.runtime")
    if rule == "channels stay apart":
        return any(
            within(name, family) and within(target, *other_families(family))
            for family in CHANNEL_FAMILIES
        )
    if rule == "the root names other channels only in the channel list":
        others = tuple(f for f in CHANNEL_FAMILIES if f not in ROOT_NAMES)
        root = within(name, "bot.runtime", "bot.__main__") and name != CHANNEL_LIST
        return root and within(target, *others)
    raise AssertionError(rule)


def storage_may(target: str) -> bool:
    return within(target, "bot.storage") or is_vocabulary(target) or target == "bot"


def other_families(family: str) -> tuple[str, ...]:
    return tuple(other for other in CHANNEL_FAMILIES if other != family)


def test_the_walk_sees_the_whole_tree() -> None:
    assert len(MODULES) > 100
    assert "bot.storage.tables" in OURS["bot.storage.store"]
    assert "sqlalchemy" in {target.split(".")[0] for target in GRAPH["bot.storage.tables"]}


def test_the_package_graph_sees_every_package() -> None:
    assert {"bot.core", "bot.storage", "bot.runtime", "knowledge"} <= set(PACKAGES)
    assert "bot.core" in PACKAGES["bot.storage"]
    assert "knowledge" in PACKAGES["bot.core"]


def test_the_channel_families_are_the_packages_under_channels() -> None:
    assert {"bot.channels.telegram", "bot.channels.whatsapp"} <= set(CHANNEL_FAMILIES)
    assert not set(CHANNELS_SHARED) & set(CHANNEL_FAMILIES)


def test_no_import_cycle() -> None:
    assert cycles(OURS) == []


def test_no_import_cycle_between_packages() -> None:
    assert cycles(PACKAGES) == []


@pytest.mark.parametrize(
    "rule",
    [
        "knowledge is pure",
        "core has no transport or ORM",
        "core imports no feature",
        "features and delivery import no storage",
        "storage imports no feature",
        "features import no channel or runtime",
        "channels import no runtime",
        "channels stay apart",
        "the root names other channels only in the channel list",
    ],
)
def test_dependencies_point_inward(rule: str) -> None:
    assert violations(rule) == []

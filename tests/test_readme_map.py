"""The README's package map cannot go stale: it lists every package, and each line is the
first sentence of that package's docstring."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "<!-- package map:"
END = "<!-- end of package map -->"
LINE = re.compile(r"^- `(?P<path>[\w/]+/)`: (?P<summary>.+)$")


def readme_map() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(BEGIN) : text.index(END)].splitlines()[1:]
    entries = [LINE.match(line) for line in section if line.strip()]
    assert all(entries), section
    return {entry["path"]: entry["summary"] for entry in entries if entry}


def packages() -> dict[str, str]:
    found = {}
    for top in ("bot", "knowledge"):
        for init in sorted((ROOT / top).rglob("__init__.py")):
            docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
            assert docstring, f"{init} has no docstring"
            path = init.parent.relative_to(ROOT).as_posix() + "/"
            found[path] = first_sentence(docstring)
    return found


def first_sentence(docstring: str) -> str:
    flat = " ".join(docstring.split())
    match = re.match(r"(.+?\.)(\s|$)", flat)
    assert match, docstring
    return match.group(1)


def test_the_map_lists_every_package_with_its_docstring() -> None:
    assert readme_map() == packages()


def test_the_map_is_not_empty() -> None:
    assert {"bot/core/", "bot/storage/", "knowledge/"} <= set(readme_map())

"""Test ids that every tool can select by."""

from __future__ import annotations

import re

_ODD = re.compile(r"[^A-Za-z0-9 .,:@()_+=-]+")


def plain_id(text: str) -> str:
    """`text` as a test id of plain ASCII: "[at]", "[EMAIL]", "/", an escaped "\\u2013" or a
    trailing space inside a parametrised id makes the node id unselectable by tools that
    pass it back to pytest (mutmut). pytest numbers ids that come out the same."""
    return _ODD.sub("_", text).strip(" _") or "_"

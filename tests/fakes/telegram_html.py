"""Telegram's `parse_mode=HTML`: the visible text, its entities, and the errors Telegram gives.

Supported tags and entities follow https://core.telegram.org/bots/api#html-style ; anything else
(`<br>`, `<p>`, unbalanced tags, a bare `<`) is rejected like the real server does, so a bot that
builds broken HTML fails in tests instead of in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)((?:\s+[^>]*?)?)\s*(/?)>")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]+);")
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; str() is Telegram's wording."""


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    offset: int  # in UTF-16 code units, as Telegram counts entity offsets
    attrs: dict[str, str]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _unescape(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith(("#x", "#X")):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    # Only four named entities are supported; others stay literal text.
    return _NAMED.get(name.lower(), match.group(0))


def _byte_offset(source: str, pos: int) -> int:
    return len(source[:pos].encode())


def _attrs(raw: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(raw):
        value = next(v for v in m.groups()[1:] if v is not None)
        out[m.group(1).lower()] = _ENTITY.sub(_unescape, value)
    return out


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.length = 0  # UTF-16 length of the visible text so far
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def text(self, chunk: str) -> None:
        chunk = _ENTITY.sub(_unescape, chunk)
        self.parts.append(chunk)
        self.length += utf16_len(chunk)

    def open(self, tag: str, raw_attrs: str, pos: int) -> None:
        attrs = _attrs(raw_attrs)
        if tag not in _TYPES:
            raise self.error(f'Unsupported start tag "{tag}"', pos)
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise self.error('Tag "span" must have class "tg-spoiler"', pos)
        self.stack.append(_Open(tag, self.length, attrs))

    def close(self, tag: str, pos: int) -> None:
        if not self.stack:
            raise self.error("Unexpected end tag", pos)
        top = self.stack.pop()
        if top.tag != tag:
            raise self.error(f'Unmatched end tag, expected "</{top.tag}>", found "</{tag}>"', pos)
        self.entity(top)

    def entity(self, node: _Open) -> None:
        length = self.length - node.offset
        if length <= 0:
            return  # Telegram drops empty entities
        language = node.attrs.get("class", "").removeprefix("language-")
        if node.tag == "code" and self.stack and self.stack[-1].tag == "pre" and language:
            self.stack[-1].attrs["language"] = language  # <pre><code class=...> is one entity
            return
        entity: dict[str, Any] = {
            "type": _TYPES[node.tag],
            "offset": node.offset,
            "length": length,
        }
        if node.tag == "a":
            if "href" not in node.attrs:
                return
            entity["url"] = node.attrs["href"]
        if node.tag == "pre" and "language" in node.attrs:
            entity["language"] = node.attrs["language"]
        if node.tag == "blockquote" and "expandable" in node.attrs:
            entity["type"] = "expandable_blockquote"
        if node.tag == "tg-emoji":
            entity["custom_emoji_id"] = node.attrs.get("emoji-id", "")
        self.entities.append(entity)

    def error(self, what: str, pos: int) -> EntityParseError:
        offset = _byte_offset(self.source, pos)
        return EntityParseError(f"Can't parse entities: {what} at byte offset {offset}")


def parse_html(source: str) -> ParsedText:
    """Visible text and entities of `source`, or EntityParseError with Telegram's message."""
    parser = _Parser(source)
    pos = 0
    while (lt := source.find("<", pos)) != -1:
        parser.text(source[pos:lt])
        tag = _TAG.match(source, lt)
        if tag is None:
            raise parser.error('Unsupported start tag ""', lt)
        closing, name, raw_attrs, self_closing = tag.groups()
        if self_closing:
            raise parser.error(f'Unsupported start tag "{name.lower()}"', lt)
        if closing:
            parser.close(name.lower(), lt)
        else:
            parser.open(name.lower(), raw_attrs, lt)
        pos = tag.end()
    parser.text(source[pos:])
    if parser.stack:
        tag_name = parser.stack[-1].tag
        raise EntityParseError(
            f"Can't parse entities: Can't find end tag corresponding to start tag \"{tag_name}\""
        )
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(parser.parts), entities)

"""Text helpers every channel needs: cutting a long message into parts that fit."""

from __future__ import annotations


def split(text: str, limit: int) -> list[str]:
    """Cut at paragraph, then line, then word boundaries so each part fits."""
    text = text.strip() or "…"
    parts: list[str] = []
    while len(text) > limit:
        cut = max(
            text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit), text.rfind(" ", 0, limit)
        )
        cut = cut if cut > limit // 2 else limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return parts

"""The console's form controls: a labelled text line, text area and choice, each with the
messages about it shown right above it, so a refused save says what is wrong where it is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.console.html import errors, esc

Errors = Mapping[str, Sequence[str]]


def line(
    name: str, label: str, value: str, problems: Errors, *, kind: str = "text", hint: str = ""
) -> str:
    """A one-line input."""
    return (
        _label(name, label, hint)
        + errors(problems.get(name, ()))
        + f'<input type={kind} id="{name}" name="{name}" value="{esc(value)}">'
    )


def area(name: str, label: str, value: str, problems: Errors, *, rows: int, hint: str = "") -> str:
    """A text area."""
    return (
        _label(name, label, hint)
        + errors(problems.get(name, ()))
        + f'<textarea id="{name}" name="{name}" rows="{rows}">{esc(value)}</textarea>'
    )


def choice(
    name: str, label: str, options: Mapping[str, str], chosen: str, problems: Errors
) -> str:
    """A drop-down of `options` (value → text shown)."""
    listed = "".join(
        f'<option value="{esc(value)}"{" selected" if value == chosen else ""}>{esc(text)}'
        "</option>"
        for value, text in options.items()
    )
    return (
        _label(name, label, "")
        + errors(problems.get(name, ()))
        + f'<select id="{name}" name="{name}">{listed}</select>'
    )


def _label(name: str, label: str, hint: str) -> str:
    extra = f" <span class=muted>{esc(hint)}</span>" if hint else ""
    return f'<label for="{name}">{esc(label)}{extra}</label>'

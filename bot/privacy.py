"""Find and redact personal data before anything is stored or shown to staff.

Placeholders say what was there ("[NIK]", "[TELEPON]") so officers and reports still read
naturally. Numbers are matched with optional spaces, dots or dashes between digit groups,
because people type "3201 1234 5678 0001" as often as the plain run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

_SEP = r"[ .\-]?"


def _digits(count: int) -> str:
    return r"\d" + (_SEP + r"\d") * (count - 1)


_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
_KK_CONTEXT = re.compile(r"(?:\bkk\b|kartu\s*keluarga|no\.?\s*kk)[\s:.\-=]*$", re.IGNORECASE)
_OTP_CONTEXT = re.compile(r"(?:otp|kode|verifikasi|token|pin)\D{0,20}$", re.IGNORECASE)

# Order matters: longer and more specific patterns first.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", _EMAIL),
    ("number16", re.compile(rf"(?<![\d])({_digits(16)})(?![\d])")),
    # A bare 15-digit run is the length of an MPN billing code.
    ("billing", re.compile(rf"(?<![\d])({_digits(15)})(?![\d])")),
    ("phone", re.compile(r"(?<![\w+])(?:\+62|62|0)[ \-]?8\d{1,2}(?:[ .\-]?\d{2,4}){2,4}(?!\d)")),
    ("passport", re.compile(r"(?<![\w])[A-Za-z]{1,2}[ \-]?\d{7}(?![\d])")),
    ("longnumber", re.compile(rf"(?<![\d])({_digits(10)}(?:{_SEP}\d)*)(?![\d])")),
    ("otp", re.compile(r"(?<![\d.,])\d{4,8}(?![\d.,])")),
)

LABELS = {
    "email": "[EMAIL]",
    "nik": "[NIK]",
    "kk": "[NOMOR-KK]",
    "billing": "[KODE-BILLING]",
    "phone": "[TELEPON]",
    "passport": "[NOMOR-PASPOR]",
    "longnumber": "[NOMOR]",
    "otp": "[KODE-OTP]",
}


@dataclass(frozen=True, slots=True)
class Redacted:
    """Text with personal data replaced, and the kinds that were found."""

    text: str
    kinds: frozenset[str]


def redact(text: str) -> Redacted:
    """Replace every piece of personal data in `text` with a placeholder."""
    found: set[str] = set()
    for kind, pattern in _PATTERNS:
        text = pattern.sub(partial(_label, kind=kind, found=found), text)
    return Redacted(text, frozenset(found))


def _label(match: re.Match[str], *, kind: str, found: set[str]) -> str:
    before = match.string[max(0, match.start() - 30) : match.start()]
    if kind == "number16":
        kind = "kk" if _KK_CONTEXT.search(before) else "nik"
    elif kind == "otp" and not _OTP_CONTEXT.search(before):
        return match.group(0)  # a short number alone is a fee, a year or a count
    found.add(kind)
    return LABELS[kind]

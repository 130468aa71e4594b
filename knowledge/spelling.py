"""Clean a message before it is read: case, accents and symbols, numbers written the Indonesian
way, and the many spellings of the app and the passport ("m-pasport", "psport").

What `clean` returns is what every reader splits into words: the normaliser, the complaint
cues (as typed) and the knowledge base's own questions.
"""

from __future__ import annotations

import re
import unicodedata

# The domain spelling of the app and the passport varies more than any map could list.
_DOMAIN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # At least one "p" after the "s": "pasar" (a market) is not a passport.
    (re.compile(r"\bm[\s\-_.]*p+a+s+s*p+[oa]*r+t*s?\b"), " mpaspor "),
    (re.compile(r"\be[\s\-_.]*p+a+s+s*p+[oa]+r+t*\b"), " paspor elektronik "),
    (re.compile(r"\bp+a+s+s*p+[oa]+r+t*(?=nya\b|ku\b|mu\b|\b)"), "paspor"),
    (re.compile(r"\bpsp+o?r\b"), "paspor"),
    (re.compile(r"\bpaspot\b"), "paspor"),
)
# All of them in one pass (no replacement makes another pattern match): one scan of the text,
# which gives up at once where a word starts with none of the letters the patterns start with
# (each is written "\b" and a letter).
_DOMAIN_FIRST = "".join(sorted({pattern.pattern[2] for pattern, _ in _DOMAIN_PATTERNS}))
_DOMAIN = re.compile(
    rf"\b(?=[{_DOMAIN_FIRST}])(?:"
    + "|".join(f"({pattern.pattern})" for pattern, _ in _DOMAIN_PATTERNS)
    + ")"
)
_DOMAIN_WORDS = tuple(replacement for _, replacement in _DOMAIN_PATTERNS)
_REDUPLICATION = re.compile(r"\b([a-z]{2,})2\b")
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}\b)")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DIGIT = re.compile(r"\d")


def clean(text: str) -> str:
    """Casefold, drop accents and symbols, and apply the domain spelling patterns."""
    if text.isascii():
        text = text.lower()  # most messages: NFKC, NFKD and casefold change nothing else
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    digits = _DIGIT.search(text) is not None  # what three of the patterns need
    if digits:
        text = _THOUSANDS.sub("", text)
    text = _NON_WORD.sub(" ", text)
    if digits:
        text = _REDUPLICATION.sub(r"\1 \1", text)
        text = _DIGIT_LETTER.sub(" ", text)
    text = _DOMAIN.sub(_domain_word, text)
    return " ".join(text.split())


def _domain_word(match: re.Match[str]) -> str:
    return _DOMAIN_WORDS[(match.lastindex or 1) - 1]

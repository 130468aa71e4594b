"""Find and redact personal data before anything is stored or shown to staff.

Placeholders say what was there ("[NIK]", "[TELEPON]") so officers and reports still read
naturally. The text is normalised first (NFKC, invisible and bidi format characters
dropped), because "3201⁠2345…" with a word joiner is the same NIK to a person reading it.
Numbers are found as runs of digit groups joined by a space, dot, dash, " - ", "/" or ","
(even glued to a word: "NIKnya3201…") and then told apart by their length and the words
around them: a 16-digit run is a NIK (or a KK number after "kk"), 15 digits a billing code,
a run starting 08/62/0721 a phone number, and a short code is an OTP only next to a word
like "otp", "kode" or "sms" (a six-digit one anywhere in the sentence about it) — a bare
"350.000", "10 tahun" or "tanggal 5" is a fee, a duration or a date, and stays.

Only the first `MAX_REDACT_CHARS` characters are read; the rest is dropped, never kept
unread. Every pattern runs in time linear in the text, so a long hostile message costs what
an ordinary one of that length does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.privacy_words import ADDRESS, BIRTH, EMAIL, NAME

LABELS = {
    "email": "[EMAIL]",
    "address": "[ALAMAT]",
    "birth": "[TGL-LAHIR]",
    "name": "[NAMA]",
    "nik": "[NIK]",
    "kk": "[NOMOR-KK]",
    "billing": "[KODE-BILLING]",
    "phone": "[TELEPON]",
    "passport": "[NOMOR-PASPOR]",
    "longnumber": "[NOMOR]",
    "otp": "[KODE-OTP]",
}

# The longest text message WhatsApp lets a person send (Telegram's is 4,096): officers read
# a long message whole in /tiket N, so no channel's message is cut. The matcher reads 4,000.
MAX_REDACT_CHARS = 65_536
# Put where the text was cut, so an officer or a report sees that something followed.
CUT_MARK = "…"

# Fillers that are letters to Unicode (category Lo) yet show nothing.
_INVISIBLE_LETTERS = dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0"))
# "pasporC7654322", "nik3201…", "otp482913": a keyword glued to the number it introduces.
_GLUED = re.compile(
    r"\b(paspor|passport|pasport|nik|kk|otp|hp|wa|telp|tlp|billing)(?=\d|[a-z]\d{7})",
    re.IGNORECASE,
)
# A letter or two, then seven digits: "C5918273", "C 591 8273", "C.5918273", "E 5918 273".
_PASSPORT = re.compile(
    r"(?<![\w])(?!rp|no|ke|di|hp|wa|ya)[a-z]{1,2}(?:[.\-]\s?|\s)?"
    r"(?:\d{3}[ .\-]?\d{4}|\d{4}[ .\-]\d{3})(?![ .\-]?\d)",
    re.IGNORECASE,
)
_AREA_CODE = re.compile(r"\(\s*(?:\+?62\s*)?0?\d{2,3}\s*\)[\s.\-]?\d{3,4}[\s.\-]?\d{2,4}(?!\d)")
# Groups of digits joined by one space, dot, dash or underscore; " - ", "/" and "," only
# between groups of three or more, so dates ("12/03/2025", "1-3 - 5-3") and decimals ("1,5")
# are not glued into one long number. A run may follow a letter ("NIKnya3201…", "noHP08…").
_JOIN = r"(?:[ .\-_]|(?<=\d{3})(?:\s?[\-\u2013]\s?|[/,])(?=\d{3}))"
_RUN = re.compile(rf"(?<!\d)\+?\d+(?:{_JOIN}\d+)*")
_THOUSANDS = r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?"
_MONEY = re.compile(rf"(?:{_THOUSANDS})(?:\s?[\-\u2013]\s?(?:{_THOUSANDS}))*")
_KK_BEFORE = re.compile(
    r"(?:\bkk|kartu\s*keluarga)(?:nya|ku)?(?:\s+(?:saya|sy|aku|kami))?\W{0,12}$", re.I
)
_BILLING_NEAR = re.compile(r"billing|kode\s*bayar|pembayaran", re.IGNORECASE)
_PHONE_NEAR = re.compile(r"\b(?:telp|telepon|tlp|hp|wa|whatsapp|nomor\s+rumah)\b", re.I)
_CODE_WORDS = r"otp|kode|kd|sms|verifikasi|verification|token|pin|sandi|aktivasi"
_CODE_BEFORE = re.compile(rf"\b(?:{_CODE_WORDS})(?:nya)?(?!\s*pos)\b\D{{0,25}}$", re.IGNORECASE)
_CODE_JUST_BEFORE = re.compile(rf"\b(?:{_CODE_WORDS})\b\W{{0,4}}(?:nya|nya\s*:)?\W{{0,3}}$", re.I)
_CODE_AFTER = re.compile(rf"^\D{{0,20}}\b(?:{_CODE_WORDS})(?!\s*pos)", re.IGNORECASE)
# A six-digit code is an OTP anywhere in the sentence about it ("otp nya udah masuk tapi …
# katanya salah, 482913"), up to the next number.
_CODE_IN_SENTENCE = re.compile(rf"\b(?:{_CODE_WORDS})(?:nya)?\b(?!\s*pos)", re.IGNORECASE)
_SENTENCE_REACH = 120
# What an e-mail address (an "@" or the word "at") and a birth date (its mark; its date has a
# digit, as every number, passport and glued keyword does) cannot be written without.
_EMAIL_HINT = re.compile(r"@|\bat\b", re.IGNORECASE)
_BIRTH_HINT = re.compile(r"lahir|ttl|dob", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# Dashed codes: "482-913", "482 - 913", "48-29-13"; a date ("12-03-25") only right after "otp".
_DASHED_CODE = re.compile(r"\d{3}\s?[\-\u2013]\s?\d{3}|\d\d-\d\d-\d\d")
_SHORT_DATE = re.compile(r"(?:0[1-9]|[12]\d|3[01])-(?:0[1-9]|1[0-2])-\d\d")
# What is left of a token the cut went through, read backwards: digits and separators
# ("3201 2345 67"), then the word they belong to ("budi.santoso@gma"). Personal data is
# shorter than 64 characters; a longer run is no secret and stays (the reply says "long").
_TORN_TAIL = re.compile(r"[\d\W_]{0,64}\S{0,64}")


@dataclass(frozen=True, slots=True)
class Redacted:
    """Text with personal data replaced, and the kinds that were found."""

    text: str
    kinds: frozenset[str]


def normalise(text: str) -> str:
    """NFKC, and every invisible format character (Cf: U+200B, U+2060, U+00AD, bidi) gone."""
    return visible(unicodedata.normalize("NFKC", text))


def visible(text: str) -> str:
    """Only what shows: invisible format characters (bidi controls among them) removed, the
    rest as written (an officer reads "…" as typed; NFKC would make it "...")."""
    if text.isascii():
        return text  # every invisible character is outside ASCII
    text = text.translate(_INVISIBLE_LETTERS)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def redact(text: str) -> Redacted:
    """Replace every piece of personal data in `text` with a placeholder; text beyond
    `MAX_REDACT_CHARS` is dropped and the cut marked with `CUT_MARK`."""
    head = text[:MAX_REDACT_CHARS]
    if not head.isascii():  # NFKC leaves ASCII as it is
        head = unicodedata.normalize("NFKC", head)
    # NFKC may lengthen the text ("ﷺ" is 18 letters), hence the second cut.
    cut = len(text) > MAX_REDACT_CHARS or len(head) > MAX_REDACT_CHARS
    head = visible(head[:MAX_REDACT_CHARS])
    if not cut:
        return scan(head)
    # A number or address the cut went through would no longer be recognised: drop it.
    torn = _TORN_TAIL.match(head[::-1])
    found = scan(head[: len(head) - torn.end()] if torn else head)
    return Redacted(found.text + CUT_MARK, found.kinds)


def scan(text: str) -> Redacted:
    """Replace every piece of personal data in the whole of `text` (already normalised,
    however long: `redact` caps it first)."""
    found: set[str] = set()

    def label(kind: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            found.add(kind)
            return LABELS[kind]

        return replace

    # Patterns run only where what they cannot match without is there: most questions hold
    # no digit, no "@" and no birth mark.
    digits = _DIGIT.search(text) is not None
    if digits:
        text = _GLUED.sub(r"\1 ", text)
    if _EMAIL_HINT.search(text):
        text = EMAIL.sub(label("email"), text)
    if digits and _BIRTH_HINT.search(text):
        text = BIRTH.sub(lambda m: _birth(m, found), text)
    text = NAME.sub(lambda m: _name(m, found), text)
    text = ADDRESS.sub(label("address"), text)
    if digits:
        text = _PASSPORT.sub(label("passport"), text)
        text = _AREA_CODE.sub(label("phone"), text)
        text = _RUN.sub(lambda m: _number(m, found), text)
    return Redacted(text, frozenset(found))


def _birth(match: re.Match[str], found: set[str]) -> str:
    found.add("birth")
    name = ""
    if match.group("name"):
        found.add("name")
        name = LABELS["name"] + " "
    return f"{name}{match.group('mark')} {LABELS['birth']}"


def _name(match: re.Match[str], found: set[str]) -> str:
    found.add("name")
    return match.group("mark") + LABELS["name"]


def _number(match: re.Match[str], found: set[str]) -> str:
    kind = _number_kind(match)
    if kind is None:
        return match.group(0)
    found.add(kind)
    return LABELS[kind]


def _number_kind(match: re.Match[str]) -> str | None:
    """What a run of digits is, from its length, its first digits and the words around it."""
    run = match.group(0)
    digits = re.sub(r"\D", "", run)
    size = len(digits)
    if size < 4:
        return None  # every kind is longer; "1,1,1,…" must not look at each one's words
    before = match.string[max(0, match.start() - 40) : match.start()]
    if _MONEY.fullmatch(run) or before.rstrip().lower().endswith(("rp", "rp.")):
        return None
    if size == 16:
        return "kk" if _KK_BEFORE.search(before) else "nik"
    if size == 15 or (size >= 10 and _BILLING_NEAR.search(before)):
        return "billing"
    if _is_phone(digits, run):
        return "phone"
    if size >= 10:
        return "longnumber"
    if 5 <= size <= 9 and _PHONE_NEAR.search(before[-20:]):
        return "phone"
    return "otp" if 4 <= size <= 8 and _is_code(match, size) else None


def _is_phone(digits: str, run: str) -> bool:
    if digits.startswith("62"):
        return 10 <= len(digits) <= 14
    if digits.startswith("08"):
        return 10 <= len(digits) <= 13
    # A landline: 0 + area code (0721 Kalianda, 021 Jakarta) + the number.
    return digits.startswith("0") and 9 <= len(digits) <= 12 and run[:1] != "+"


def _is_code(match: re.Match[str], size: int) -> bool:
    """An OTP next to its word (a six-digit one anywhere in the sentence about it, or alone
    in the message); a year ("2024") or a short date only right after the word."""
    run, text, (start, end) = match.group(0), match.string, match.span()
    before = text[max(0, start - _SENTENCE_REACH) : start]
    after = text[end : end + _SENTENCE_REACH]
    dashed = "-" in run or "\u2013" in run
    if re.search(r"[.,_/]", run) or (dashed and not _DASHED_CODE.fullmatch(run)):
        return False  # "10.30", "12-03", "1,5": times, dates and decimals, not codes
    if re.fullmatch(r"(?:19|20)\d\d", run) or _SHORT_DATE.fullmatch(run):
        return bool(_CODE_JUST_BEFORE.search(before))
    if _CODE_BEFORE.search(before[-40:]) or _CODE_AFTER.search(after[:30]):
        return True
    if size != 6:
        return False
    # Only the words since the last number before it, and up to the next one after it.
    before, after = re.split(r"\d", before)[-1], re.split(r"\d", after, maxsplit=1)[0]
    sentence = f"{before} {after}"
    return text.strip() == run or bool(_CODE_IN_SENTENCE.search(sentence))

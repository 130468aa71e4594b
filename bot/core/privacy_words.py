"""Personal data written in words: e-mail addresses, street addresses, names and birth dates.

Split from `privacy` (which handles numbers) so each pattern family reads on its own. Every
pattern here is anchored on a marker people actually type ("jl.", "RT 03", "lahir",
"nama saya", "@"), never on capital letters alone: an unmarked name cannot be told from a
place or a brand, and guessing would eat ordinary questions.
"""

from __future__ import annotations

import re

_WORD = r"[^\W\d_][\w'\-]*"
# Words that end a name or an address: what follows them is the question, not the person.
_STOP = (
    r"(?:mau|ingin|pengen|lahir|dari|dan|di|ke|yang|yg|ya|kak|pak|bu|min|tolong|apakah|apa|"
    r"bisa|sudah|sdh|udah|udh|belum|blm|tgl|tanggal|nik|no|nomor|umur|usia|ttl|alamat|"
    r"kenapa|knp|gimana|gmn|bagaimana|tidak|tdk|gak|ga|tapi|tp|karena|krn|untuk|utk|dengan|"
    r"dgn|beda|berbeda|salah|pada|kok|adalah|itu|ini|siapa|sama|sm|di|tertulis|terdaftar|"
    r"kurang|lebih|ada|harus|hrs|perlu|jadi|juga|jg|saja|aja|dong|sih|nih|deh|mohon|terima|"
    r"makasih|beliau|dia|ia|pribadi|orang|org|anak|ortu|bapak|ibu|suami|istri|rt|rw|kel|kec|desa|kelurahan|kecamatan|kabupaten|kab|kota|provinsi|gang|gg|blok|jl|jln|jalan)"
)
_NAME_WORDS = rf"(?!{_STOP}\b){_WORD}(?:\s+(?!{_STOP}\b){_WORD}){{0,3}}"

EMAIL = re.compile(
    r"[\w.+\-]+\s?(?:@|\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\})\s?[\w\-]+"
    r"(?:\s?(?:\.|\[\s*dot\s*\]|\(\s*dot\s*\))\s?[^\W\d_][\w\-]*)+",
    re.IGNORECASE,
)

_RT_RW = r"\b(?:rt|rw)\.?\s*[:.]?\s*\d{1,3}(?:\s*[/,\-]?\s*(?:rw\.?\s*[:.]?\s*)?\d{1,3})?\b"
_STREET = rf"\bjln?\.?\s*{_WORD}(?:\s+(?!{_STOP}\b){_WORD}){{0,3}}"
_STREET_LONG = rf"\bjalan\s+{_WORD}(?:\s+{_WORD}){{0,3}}?\s*,?\s*no(?:mor)?\.?\s*\d+"
_MORE = rf"(?:\s+(?!{_STOP}\b)[\w'.\-]+){{0,2}}"
_LANE = rf"\b(?:gg|gang|perum|perumahan|komplek|kompleks|dusun|dsn)\.?\s+[\w'.\-]+{_MORE}"
_HOUSE = r"\b(?:no(?:mor)?|blok)\.?\s*[a-z]?\d+[a-z]?\b"
_AREA = rf"\b(?:desa|ds|kel|kelurahan|kec|kecamatan|kab|kabupaten|kota)\.?\s+{_WORD}{_MORE}"
_START = f"(?:{_STREET_LONG}|{_STREET}|{_RT_RW}|{_LANE})"
ADDRESS = re.compile(
    rf"{_START}(?:[\s,.]*(?:{_START}|{_HOUSE}|{_AREA}))*",
    re.IGNORECASE,
)

_MONTH = (
    r"(?:jan|feb|peb|mar|apr|mei|may|jun|jul|agu|agt|aug|sep|okt|oct|nov|nop|des|dec)[a-z]*\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}\s*[./\-\s]\s*(?:\d{{1,2}}|{_MONTH})\s*[./\-\s,]\s*(?:19|20)?\d{{2}}"
    r"|(?:19|20)\d{2}\s*[./\-]\s*\d{1,2}\s*[./\-]\s*\d{1,2})\b"
)
_BIRTH_MARK = (
    r"(?:(?:tempat[\s,/&]*)?(?:tanggal|tgl\.?)\s*lahir|lahir(?:\s+(?:pada|tanggal|tgl\.?))?"
    r"|\bttl\b|\bdob\b|kelahiran)"
)
# The name before "lahir" must be capitalised (a case-sensitive group): "Budi Santoso lahir".
_CAPITALISED = (
    r"(?-i:(?!(?:Saya|Sy|Aku|Anak|Istri|Suami|Ibu|Bapak|Dia|Tempat|Tanggal|Tgl|Kakak|Adik)\b)"
    r"[A-Z][\w'.\-]*(?:\s+[A-Z][\w'.\-]*){0,3})"
)
BIRTH = re.compile(
    rf"(?:(?P<name>{_CAPITALISED})\s*,?\s+)?(?P<mark>{_BIRTH_MARK})\s*[:=]?\s*"
    rf"(?P<when>(?:(?:di\s+)?{_WORD}(?:\s+{_WORD}){{0,2}}?\s*[,/]?\s*)?{_DATE})",
    re.IGNORECASE,
)
NAME = re.compile(
    r"(?P<mark>\b(?:nama\s+(?:lengkap\s+)?(?:saya|sy|aku|ku|anak\s+saya|pemohon)|namaku"
    rf"|nama(?:\s+lengkap)?\s*[:=]|atas\s+nama|a\.n\.?)\s*[:=]?\s*)(?P<name>{_NAME_WORDS})",
    re.IGNORECASE,
)

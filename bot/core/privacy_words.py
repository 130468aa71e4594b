"""Personal data written in words: e-mail addresses, street addresses, names and birth dates.

Split from `privacy` (which handles numbers) so each pattern family reads on its own. Every
pattern here is anchored on a marker people actually type ("jl.", "RT 03", "lahir",
"nama saya", "@"), never on capital letters alone: an unmarked name cannot be told from a
place or a brand, and guessing would eat ordinary questions.

Every pattern runs in time linear in the text (one message must not stall a worker): a
pattern that begins with an open-ended run ("budi.s" before "@", a capitalised name before
"lahir") may begin only where such a run begins (a lookbehind), so a long run is read once,
not again from each of its characters; and two neighbouring repeats never take the same
characters ("\\s*,?\\s+" is written "(?:\\s*,)?\\s+"), so a failed attempt has one way to fail.
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
    r"makasih|beliau|dia|ia|pribadi|orang|org|anak|ortu|bapak|ibu|suami|istri|rt|rw|kel|kec|desa|kelurahan|kecamatan|kabupaten|kab|kota|provinsi|gang|gg|blok|jl|jln|jalan|"
    # Words that describe a name rather than being one ("nama saya cuma satu kata").
    r"cuma|cuman|cm|hanya|hny|doang|satu|terdiri|tunggal|terlalu|kepanjangan|kependekan|"
    r"panjang|pendek|pakai|pake|memakai|mengandung|berubah|ganti|diganti|nggak|enggak|ngga|gk)"
)
_NAME_WORDS = rf"(?!{_STOP}\b){_WORD}(?:\s+(?!{_STOP}\b){_WORD}){{0,3}}"

# "@", "[at]", "(at)", or the word "at" between spaces ("budi at gmail dot com").
_AT = r"(?:\s?@\s?|\s?[\[({]\s*at\s*[\])}]\s?|\s+at\s+)"
# ".", "[dot]", "(dot)", " dot ", or a comma typed for the dot ("budi@gmail,com").
_DOT = r"(?:\s?\.\s?|\s?[\[(]\s*dot\s*[\])]\s?|\s+dot\s+|,)"
# Addresses at the big providers are recognised without their ending ("budi@gmail").
_PROVIDER = r"(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|icloud|live)\b"
EMAIL = re.compile(
    rf"(?<![\w.+\-])[\w.+\-]+(?:{_AT}[\w\-]+(?:{_DOT}[^\W\d_][\w\-]*)+|\s?@\s?{_PROVIDER})",
    re.IGNORECASE,
)

_OPT_COLON = r"\s*(?:[:.]\s*)?"
_RT_RW = (
    rf"\b(?:rt|rw)\.?{_OPT_COLON}\d{{1,3}}"
    rf"(?:\s*(?:[/,\-]\s*)?(?:rw\.?{_OPT_COLON})?\d{{1,3}})?\b"
)
_STREET = rf"\bjln?\.?\s*{_WORD}(?:\s+(?!{_STOP}\b){_WORD}){{0,3}}"
_STREET_LONG = rf"\bjalan\s+{_WORD}(?:\s+{_WORD}){{0,3}}?\s*(?:,\s*)?no(?:mor)?\.?\s*\d+"
_MORE = rf"(?:\s+(?!{_STOP}\b)[\w'.\-]+){{0,2}}"
_LANE = (
    r"\b(?:gg|gang|perum|perumahan|komp|komplek|kompleks|dusun|dsn)\.?\s*"
    rf"(?<=[.\s])[\w'.\-]+{_MORE}"
)
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
# A date's parts are joined by one separator with spaces around it, or by spaces alone.
_PART = r"(?:\s*[./\-,]\s*|\s+)"
_DATE = (
    rf"(?:\d{{1,2}}{_PART}(?:\d{{1,2}}|{_MONTH}){_PART}(?:19|20)?\d{{2}}"
    r"|(?:19|20)\d{2}\s*[./\-]\s*\d{1,2}\s*[./\-]\s*\d{1,2})\b"
)
_BIRTH_MARK = (
    r"(?:(?:tempat[\s,/&]*)?(?:tanggal|tgl\.?)\s*lahir|lahir(?:\s+(?:pada|tanggal|tgl\.?))?"
    r"|\bttl\b|\bdob\b|kelahiran)"
)
# The name before "lahir" must be capitalised (a case-sensitive group): "Budi Santoso lahir".
_CAPITALISED = (
    r"(?-i:(?<![\w'.\-])(?!(?:Saya|Sy|Aku|Anak|Istri|Suami|Ibu|Bapak|Dia|Tempat|Tanggal|Tgl"
    r"|Kakak|Adik)\b)[A-Z][\w'.\-]*(?:\s+[A-Z][\w'.\-]*){0,3})"
)
BIRTH = re.compile(
    rf"(?:(?P<name>{_CAPITALISED})(?:\s*,)?\s+)?(?P<mark>{_BIRTH_MARK})\s*(?:[:=]\s*)?"
    rf"(?P<when>(?:(?<![\w'\-])(?:di\s+)?{_WORD}(?:\s+{_WORD}){{0,2}}?\s*(?:[,/]\s*)?)?{_DATE})",
    re.IGNORECASE,
)
NAME = re.compile(
    r"(?P<mark>\b(?:nama\s+(?:lengkap\s+)?(?:saya|sy|aku|ku|anak\s+saya|pemohon)|namaku"
    rf"|nama(?:\s+lengkap)?\s*[:=]|atas\s+nama|a\.n\.?)\s*(?:[:=]\s*)?)(?P<name>{_NAME_WORDS})",
    re.IGNORECASE,
)

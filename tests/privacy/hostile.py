"""Hostile text for redaction: shapes a pattern could read again from each of their
characters, shared by the speed test and `benchmarks/redaction.py`."""

from __future__ import annotations

# With a number in it, as many questions have: digit-free text skips the number patterns, and
# would make a baseline no longer like for like with the hostile runs of digits.
ORDINARY = "saya mau tanya biaya paspor 10 tahun berapa ya min, terus syaratnya apa saja? "
# Runs that a pattern could start reading from any of their characters, and repeated
# tokens that begin like personal data and then are not: a marker, then no value.
REPEATED = (
    "A", "a", "1", "a.", "1-", "1.", "1,", "_1", "a'", "Aa ", "A ", "Budi ", "Ab, ",
    "a@", "x@y.", "x@y,", "a at ", "a dot ", "(at)", "[dot]", "jl ", "jl.", "jalan a ",
    "gg. a ", "komp.", "rt 1/", "rt 1 rw ", "kel. a ", "no ", "blok a1 ", "lahir ",
    "lahir", "Ab lahir ", "lahir 1", "ttl, .1-", "12 jan ", "tempat tanggal lahir ",
    "nama saya ", "nama: ", "a.n.", "atas nama a ", "otp ", "otp 1", "kode 123456 ",
    "123456 ", "12-03-", "123 - ", "123-", "1 ", "1234 ", "kk 3201 ", "(0", "(021) ",
    "+62 ", "C 591 ", "C.", "nik", "Rp 1.000 ", "350.000-",
)  # fmt: skip
# A marker followed by a long run of what could continue it.
MARKED = (
    ("lahir", " "), ("nama saya", "\t"), ("a@b", " "), ("jalan a", " "), ("(", " "),
    ("rt", " "), ("+62", " "), ("C", "1"), ("otp", "\n"), ("a", "'"), ("x@", "a."),
)  # fmt: skip


def shapes(size: int) -> list[tuple[str, str]]:
    """(name, text of `size` characters) for every hostile shape."""
    repeated = [(unit, (unit * size)[:size]) for unit in REPEATED]
    marked = [(f"{head}+{fill}", (head + fill * size)[:size]) for head, fill in MARKED]
    return repeated + marked


def ordinary(size: int) -> str:
    """An ordinary question, repeated to `size` characters."""
    return (ORDINARY * (size // len(ORDINARY) + 1))[:size]

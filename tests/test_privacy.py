"""Personal data is replaced before anything is stored or shown to staff."""

from __future__ import annotations

import pytest

from bot.privacy import redact


@pytest.mark.parametrize(
    ("typed", "expected", "kind"),
    [
        ("nik saya 3201234567890001 tolong", "nik saya [NIK] tolong", "nik"),
        ("NIK: 3201 2345 6789 0001", "NIK: [NIK]", "nik"),
        ("no kk 3201234567890002", "no kk [NOMOR-KK]", "kk"),
        ("kartu keluarga 3201-2345-6789-0002", "kartu keluarga [NOMOR-KK]", "kk"),
        ("email budi.s+x@gmail.com ya", "email [EMAIL] ya", "email"),
        ("wa sy 0812-3456-7890", "wa sy [TELEPON]", "phone"),
        ("hp +62 812 3456 7890", "hp [TELEPON]", "phone"),
        ("paspor C1234567 hilang", "paspor [NOMOR-PASPOR] hilang", "passport"),
        ("kode billing 820240123456789", "kode billing [KODE-BILLING]", "billing"),
        ("otp nya 123456 salah", "otp nya [KODE-OTP] salah", "otp"),
        ("nomor 12345678901", "nomor [NOMOR]", "longnumber"),
    ],
)
def test_redacts(typed: str, expected: str, kind: str) -> None:
    found = redact(typed)
    assert found.text == expected
    assert found.kinds == {kind}


@pytest.mark.parametrize(
    "typed",
    [
        "biaya 350000 ya?",
        "Rp650.000",
        "tahun 2024 tgl 17",
        "1x24 jam",
        "paspor 10 tahun",
        "SELECT * FROM users; DROP TABLE questions;--",
    ],
)
def test_leaves_ordinary_numbers_alone(typed: str) -> None:
    assert redact(typed).text == typed
    assert redact(typed).kinds == frozenset()

"""What the desk refuses before a post is kept (Instagram's limits, an approver, a time with
its zone), in words the admin reads; and the publishing settings."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.core.errors import ConfigError
from bot.publishing.desk import check
from bot.publishing.settings import PublishSettings
from bot.publishing.vocabulary import InvalidPost, Post

from .harness import jpeg, post

WHEN = dt.datetime(2026, 12, 14, 9, 0, tzinfo=dt.UTC)


def refusal(shaped: Post, *, when: dt.datetime = WHEN, by: str = "admin.kanim") -> str:
    with pytest.raises(InvalidPost) as refused:
        check(shaped, when, by)
    return str(refused.value)


def test_a_well_formed_post_passes() -> None:
    check(post(slides=2), WHEN, "admin.kanim")
    check(post(slides=10), WHEN, "admin.kanim")


@pytest.mark.parametrize("count", [0, 1, 11])
def test_a_carousel_has_two_to_ten_slides(count: int) -> None:
    shaped = dataclasses.replace(post(), slides=[jpeg(n) for n in range(count)], alt_texts=())
    assert refusal(shaped) == f"Unggahan perlu 2 sampai 10 gambar (ada {count})."


def test_every_slide_is_a_jpeg_of_at_most_8_mb() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    assert refusal(dataclasses.replace(post(), slides=[jpeg(1), png])) == (
        "Gambar ke-2 bukan JPEG."
    )
    huge = jpeg(1) + b"0" * (8 * 1024 * 1024)
    assert refusal(dataclasses.replace(post(), slides=[huge, jpeg(2)], alt_texts=())) == (
        "Gambar ke-1 lebih dari 8 MB."
    )


def test_the_caption_keeps_to_instagrams_limits() -> None:
    assert refusal(post(caption="  ")) == "Keterangan (caption) kosong."
    long = "a" * 2201
    assert refusal(post(caption=long)) == (
        "Keterangan 2201 karakter; Instagram membolehkan paling banyak 2200."
    )
    tags = " ".join(f"#tag{n}" for n in range(31))
    assert refusal(post(caption=tags)) == (
        "Keterangan memuat 31 tagar; Instagram membolehkan paling banyak 30."
    )
    mentions = " ".join(f"@akun{n}" for n in range(21))
    assert "21 akun" in refusal(post(caption=mentions))
    check(post(caption="Surel kanim@imigrasi.go.id #paspor"), WHEN, "admin")  # no mention


def test_alt_texts_go_one_per_slide() -> None:
    shaped = dataclasses.replace(post(slides=3), alt_texts=("satu", "dua"))
    assert refusal(shaped) == "Teks alternatif harus satu per gambar (3 gambar, 2 teks)."


def test_an_approver_an_entry_and_a_zoned_time_are_needed() -> None:
    assert refusal(post(), by=" ") == "Nama admin yang menyetujui kosong."
    assert refusal(post(entry=" ")) == "ID entri kosong."
    naive = dt.datetime(2026, 12, 14, 9, 0)
    assert refusal(post(), when=naive) == "Waktu terbit harus memakai zona waktu."


def test_settings_read_from_the_environment() -> None:
    settings = PublishSettings.from_env(
        {
            "PUBLIC_BASE_URL": "https://bot.kanim.example.id/",
            "MEDIA_LINK_MINUTES": "30",
            "PUBLISH_ATTEMPTS": "5",
            "INSIGHTS_DAYS": "3",
        }
    )
    assert settings.public_url == "https://bot.kanim.example.id"
    assert settings.link_lifetime == dt.timedelta(minutes=30)
    assert settings.attempts == 5
    assert settings.insights_for == dt.timedelta(days=3)
    assert PublishSettings.from_env({}).public_url == ""


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PUBLIC_BASE_URL", "bot.kanim.example.id"),
        ("PUBLIC_BASE_URL", "ftp://bot.kanim.example.id"),
        ("PUBLIC_BASE_URL", "https://bot.kanim.example.id/?x=1"),
        ("MEDIA_LINK_MINUTES", "0"),
        ("PUBLISH_ATTEMPTS", "2.5"),
        ("INSIGHTS_EVERY_HOURS", "sering"),
    ],
)
def test_malformed_settings_stop_the_start(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        PublishSettings.from_env({name: value})

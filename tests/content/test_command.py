"""`python -m bot content --week --out DIR` as an admin runs it, a real subprocess on SQLite
and PostgreSQL: one folder per post with the slides, story, caption and alt texts, one line
printed per post, no personal data from the log anywhere, expiring entries left out with a
note, and bad arguments refused with exit 2 before the database is touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from reporting.helpers import RAW_VALUES, ROOT
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.__main__ import parser
from bot.content.ideas import MAX_WORDS
from bot.content.wording import CAPTION_MAX
from bot.runtime import cli
from bot.runtime.config import Settings

from .helpers import UNTIL, seed_week, week_env

EXPECTED = ["akun-otp", "biaya-paspor", "ambil-paspor"]
OFFICE = "Kantor Imigrasi Kalianda"
CONTACT = (
    "Ditjen Imigrasi: live chat www.imigrasi.go.id (Senin–Jumat 09.00–15.00 WIB),"
    " humas@imigrasi.go.id"
)


def content(
    db_url: str, tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "content", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **week_env(db_url, str(tmp_path / "data")), **(env or {})},
        check=False,
        timeout=300,
    )


@pytest.fixture
async def seeded(engine: AsyncEngine, db_url: str) -> str:
    await seed_week(engine)
    return db_url


def folders(out: Path, stdout: str) -> list[Path]:
    """The folders the command printed, one line per post ("DIR/id: N slide, …")."""
    return [Path(line.split(": ", 1)[0]) for line in stdout.splitlines()]


def check_post(folder: Path) -> int:
    """The contract's files, sizes and limits; returns the number of slides."""
    slides = sorted(folder.glob("slide-*.jpg"))
    assert 3 <= len(slides) <= 6
    assert [p.name for p in slides] == [f"slide-{n}.jpg" for n in range(1, len(slides) + 1)]
    assert {p.name for p in folder.iterdir()} == {
        *(p.name for p in slides),
        *("story.jpg", "caption.txt", "alt.txt"),
    }
    for path, size in [*((p, (1080, 1350)) for p in slides), (folder / "story.jpg", (1080, 1920))]:
        with Image.open(path) as image:
            assert (image.format, image.size) == ("JPEG", size)
    caption = (folder / "caption.txt").read_text(encoding="utf-8")
    assert len(caption.rstrip("\n")) <= CAPTION_MAX
    assert "Tanya lewat DM atau komentar ya 🙏" in caption
    assert "📞 Ditjen Imigrasi: live chat www.imigrasi.go.id" in caption
    alt = (folder / "alt.txt").read_text(encoding="utf-8").splitlines()
    assert len(alt) == len(slides)
    for number, line in enumerate(alt, start=1):
        assert line.startswith(f"Slide {number} dari {len(slides)} (")
        # The alt text is the slide's words between the office's name and the contact.
        said = line.split(f"{OFFICE}. ", 1)[1].removesuffix(f" Hubungi {CONTACT}")
        assert 0 < len(said.split()) <= MAX_WORDS
    return len(slides)


def no_personal_data(*texts: str, folder: Path) -> None:
    files = [p.read_bytes() for p in folder.rglob("*") if p.is_file()]
    for raw in RAW_VALUES:
        assert all(raw not in text for text in texts), raw
        assert all(raw.encode() not in data for data in files), raw


async def test_the_week_s_kit_is_written(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "konten"
    done = content(seeded, tmp_path, "--week", "--out", str(out), "--until", UNTIL)
    assert done.returncode == 0, done.stderr
    made = folders(out, done.stdout)
    assert [p.name for p in made] == EXPECTED
    assert all(p.parent == out for p in made)
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPECTED)
    for folder, line in zip(made, done.stdout.splitlines(), strict=True):
        assert line.startswith(f"{folder}: {check_post(folder)} slide, ")
    # The reason quotes the log's wording, redacted again: the row kept a raw NIK.
    assert "misalnya “otp tidak masuk, nik [NIK] hp [TELEPON]”" in done.stdout
    assert "ambil-paspor: 6 slide, Ambil paspor — 2 keluhan pemohon" in done.stdout
    no_personal_data(done.stdout, done.stderr, folder=out)


async def test_an_entry_expiring_before_the_planned_day_is_left_out(
    seeded: str, tmp_path: Path
) -> None:
    out = tmp_path / "konten"
    planned = ("--until", UNTIL, "--date", "2027-04-01")
    done = content(seeded, tmp_path, "--week", "--out", str(out), *planned)
    assert done.returncode == 0, done.stderr
    names = [p.name for p in folders(out, done.stdout)]
    assert "biaya-paspor" not in names
    assert len(names) == 3
    assert not (out / "biaya-paspor").exists()
    assert (
        "Catatan: Biaya paspor (biaya-paspor) tidak dibuat: berlaku sampai 2027-03-31,"
        " sebelum tanggal rencana 2027-04-01." in done.stderr
    )


def main(argv: list[str], folder: Path, **env: str) -> int:
    """`python -m bot` in this process (see tests/reporting/test_command.py)."""
    values = {"DATABASE_URL": f"sqlite:///{folder / 'kosong.db'}", "TANYA_DATA_DIR": str(folder)}
    settings = Settings.from_env({**values, "USER_HASH_SALT": "g", **env})
    return cli.run(parser().parse_args(argv), settings)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--until", "2026-02-30"), "Tanggal --until tidak valid: '2026-02-30'"),
        (("--until", "20261103"), "Tanggal --until tidak valid"),
        (("--until", "2026-11-03", "--date", "2026-11-01"), "jatuh sebelum --until"),
        (("--posts", "0"), "--posts harus 1 sampai 10, bukan 0."),
        (("--posts", "11"), "--posts harus 1 sampai 10, bukan 11."),
    ],
)
def test_bad_arguments_exit_2_before_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    assert main(["content", "--week", "--out", str(tmp_path / "out"), *args], tmp_path) == 2
    error = capsys.readouterr().err
    assert error.startswith("Konten tidak dibuat: ")
    assert message in error
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "kosong.db").exists()


def test_an_output_path_that_is_a_file_or_an_unreadable_logo_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "berkas"
    taken.write_text("x")
    assert main(["content", "--week", "--out", str(taken)], tmp_path) == 2
    assert "sudah ada dan bukan folder" in capsys.readouterr().err
    logo = tmp_path / "logo.png"
    logo.write_text("bukan gambar")
    out = str(tmp_path / "out")
    assert main(["content", "--week", "--out", out], tmp_path, CONTENT_LOGO=str(logo)) == 2
    assert "Logo tidak bisa dibaca" in capsys.readouterr().err
    assert not (tmp_path / "kosong.db").exists()


def test_without_week_or_with_a_bad_number_argparse_exits_2(tmp_path: Path) -> None:
    for argv in (["content", "--out", "x"], ["content", "--week", "--posts", "tiga"]):
        with pytest.raises(SystemExit) as stopped:
            parser().parse_args(argv)
        assert stopped.value.code == 2


def test_unreadable_colours_stop_the_command_with_exit_2(tmp_path: Path) -> None:
    done = content(
        f"sqlite:///{tmp_path / 'kosong.db'}",
        tmp_path,
        "--week",
        env={"CONTENT_TEXT_COLOR": "#CCCCCC"},
    )
    assert done.returncode == 2
    assert "Konfigurasi salah: kontras CONTENT_TEXT_COLOR" in done.stderr


def test_an_empty_log_makes_no_post_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["content", "--week", "--out", str(tmp_path / "out")], tmp_path) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Tidak ada unggahan dibuat" in captured.err


def test_a_second_run_replaces_a_post_s_files(tmp_path: Path) -> None:
    folder = tmp_path / "akun-otp"
    folder.mkdir()
    for n in range(1, 8):
        (folder / f"slide-{n}.jpg").write_bytes(b"lama")
    from bot.content.brand import brand_for
    from bot.content.files import write_post
    from bot.content.render import make_post

    from .test_wording import kb

    entry = kb().get("akun-otp")
    assert entry is not None
    write_post(make_post(entry, kb(), brand_for(kb())), folder)
    assert check_post(folder) == 6

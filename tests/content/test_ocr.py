"""Every slide and story carries the contact, read back from the image by OCR (Debian's
`tesseract-ocr` with the Indonesian data, `tesseract IMG stdout -l ind`); with
`CONTENT_SHOTS=DIR` two generated posts are kept there as test artefacts.

Without tesseract or its Indonesian data the tests are skipped, unless `REQUIRE_BROWSER=1` or
`CI` is set: there a missing tool fails instead of passing quietly (`support.browser.require`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from support.browser import require

from bot.content.brand import brand_for
from bot.content.render import make_post
from bot.storage import open_database

from .helpers import UNTIL, seed_week
from .test_command import EXPECTED, content
from .test_wording import with_office

TESSERACT = "/usr/bin/tesseract"
# OCR reads "@" as "e", "©" or nothing at times, and "–" as "-": the contact is matched with
# that slack, every other letter as drawn.
NATIONAL = (
    re.compile(r"ditjen ?imigrasi"),
    re.compile(r"live ?chat ?www\.imigrasi\.go\.id"),
    re.compile(r"humas.?imigrasi\.go\.id"),
)


def ocr(image: Path) -> str:
    """The text tesseract reads in `image`, lower-cased."""
    done = subprocess.run(
        [TESSERACT, str(image), "stdout", "-l", "ind"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # two at a time on a shared machine
    )
    return done.stdout.casefold()


def read_all(images: list[Path]) -> dict[Path, str]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(images, pool.map(ocr, images), strict=True))


@pytest.fixture(autouse=True)
def tesseract() -> None:
    found = Path(TESSERACT).exists()
    if found:
        langs = subprocess.run(
            [TESSERACT, "--list-langs"], capture_output=True, text=True, check=False
        )
        found = "ind" in langs.stdout.split()
    require(found, "tesseract-ocr and tesseract-ocr-ind are not installed (apt-get install -y …)")


async def test_every_slide_of_the_week_s_kit_carries_the_contact(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tanya.db'}"
    engine = await open_database(url)
    try:
        await seed_week(engine)
    finally:
        await engine.dispose()
    out = tmp_path / "konten"
    done = content(url, tmp_path, "--week", "--out", str(out), "--until", UNTIL)
    assert done.returncode == 0, done.stderr
    keep_shots(out, EXPECTED)
    images = sorted(out.glob("*/*.jpg"))
    assert len(images) == 3 * 7  # six slides and a story each
    for image, text in read_all(images).items():
        missing = [p.pattern for p in NATIONAL if not p.search(text)]
        assert not missing, (image, missing, text)
        assert "kantor imigrasi kalianda" in text, (image, text)


def test_the_office_s_own_contact_is_read_on_every_slide(tmp_path: Path) -> None:
    office = with_office(whatsapp="0811-7200-1234", email="kanim.kalianda@imigrasi.go.id")
    entry = office.get("cek-status")
    assert entry is not None
    post = make_post(entry, office, brand_for(office))
    images = []
    for number, data in enumerate((*post.slides, post.story), start=1):
        images.append(tmp_path / f"{number}.jpg")
        images[-1].write_bytes(data)
    for image, text in read_all(images).items():
        assert "081172001234" in re.sub(r"\D", "", text), (image, text)
        assert re.search(r"kanim\.kalianda.?imigrasi\.go\.id", text), (image, text)
        assert "imigrasi.go.id (senin" not in text  # the national contact is not there


def keep_shots(out: Path, names: list[str]) -> None:
    """With CONTENT_SHOTS=DIR, two posts' slides and stories are copied there (and a PNG
    contact sheet of each, for a quick look)."""
    shots = os.environ.get("CONTENT_SHOTS")
    if not shots:
        return
    from PIL import Image

    for name in names[:2]:
        target = Path(shots) / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(out / name, target)
        slides = [Image.open(p) for p in sorted(target.glob("slide-*.jpg"))]
        sheet = Image.new("RGB", (540 * 3, 675 * 2), "white")
        for n, slide in enumerate(slides):
            sheet.paste(slide.resize((540, 675)), ((n % 3) * 540, (n // 3) * 675))
        sheet.save(target / "ringkas.png")

"""Every slide and story is readable on a phone: text at least 40 px at 1080 wide, contrast at
least WCAG AA against what it is drawn on, nothing outside the image or over other text, the
contact on every slide; the office's colours are refused when they would break that."""

from __future__ import annotations

import dataclasses
import io
import itertools

import pytest
from PIL import Image

from bot.content.brand import brand_for
from bot.content.errors import ContentError
from bot.content.flow import Run
from bot.content.layout import MARGIN, Canvas, slide_canvas, story_canvas
from bot.content.palette import AA_TEXT, Palette, contrast, parse_colour, problems
from bot.content.render import draw, make_post
from bot.content.vocabulary import Brand, Slide
from bot.content.wording import draft
from bot.core.errors import ConfigError
from bot.runtime.config import Settings
from knowledge.entries import Entry

from .test_wording import kb, topics, with_office

PALETTES = {
    "bawaan": Palette(),
    "gelap": Palette((20, 24, 38), (245, 245, 245), (255, 204, 0), (20, 20, 20)),
    "kuning": Palette((255, 255, 255), (33, 33, 33), (255, 212, 0), (0, 0, 0)),
}


def canvases(entry: Entry, brand: Brand) -> list[Canvas]:
    texts = draft(entry, kb(), brand)
    pages = len(texts.slides)
    slides = [
        slide_canvas(slide, brand, page=page, pages=pages)
        for page, slide in enumerate(texts.slides, start=1)
    ]
    return [*slides, story_canvas(texts.story, brand)]


def box(run: Run) -> tuple[int, int, int, int]:
    return run.x, run.y, run.x + run.width, run.y + run.height


def overlap(a: Run, b: Run) -> bool:
    (ax, ay, ax2, ay2), (bx, by, bx2, by2) = box(a), box(b)
    return ax < bx2 and bx < ax2 and ay < by2 and by < ay2


def check(canvas: Canvas, contact: str) -> None:
    width, height = canvas.size
    for run in canvas.runs:
        assert run.size >= 40, run
        assert contrast(run.colour, run.ground) >= AA_TEXT, run
        assert run.x >= MARGIN, run
        assert run.x + run.width <= width - MARGIN + 1, run
        assert run.y >= 0, run
        assert run.y + run.height <= height, run
    for a, b in itertools.combinations(canvas.runs, 2):
        assert not overlap(a, b), (a, b)
    # Line breaks aside (a long address may break between letters; the label "Ditjen
    # Imigrasi:" is set as a heading without its colon), the contact is all there.
    drawn = "".join("".join(run.text for run in canvas.runs).split())
    assert "".join(contact.replace(": ", "", 1).split()) in drawn


@pytest.mark.parametrize("name", PALETTES)
@pytest.mark.parametrize("entry", topics(), ids=lambda entry: entry.id)
def test_every_slide_is_readable_and_carries_the_contact(entry: Entry, name: str) -> None:
    brand = brand_for(kb(), palette=PALETTES[name], logo=b"logo")
    for canvas in canvases(entry, brand):
        check(canvas, brand.contact)


def test_the_office_s_own_contact_is_on_every_slide() -> None:
    office = with_office(whatsapp="0811-7200-1234", email="kanim.kalianda@imigrasi.go.id")
    entry = office.get("biaya-paspor")
    assert entry is not None
    brand = brand_for(office)
    assert brand.contact == "WA 0811-7200-1234, email kanim.kalianda@imigrasi.go.id"
    for canvas in canvases(entry, brand):
        check(canvas, brand.contact)


def test_a_long_office_name_and_address_wrap_inside_the_bands() -> None:
    brand = Brand(
        "Kantor Imigrasi Kelas I Tempat Pemeriksaan Imigrasi Bandar Lampung",
        "email kantor.imigrasi.kelas.satu.tpi.bandar.lampung.provinsi@imigrasi.go.id",
    )
    slide = Slide("step", "Biaya", ("Paspor biasa 5 tahun: Rp350.000",), 1)
    for canvas in (slide_canvas(slide, brand, page=2, pages=6), story_canvas(slide, brand)):
        check(canvas, brand.contact)


def test_words_that_cannot_fit_are_refused_not_cut() -> None:
    slide = Slide("step", "", (" ".join(["Pemberitahuan"] * 35),), 1)
    with pytest.raises(ContentError, match="terlalu panjang"):
        slide_canvas(slide, brand_for(kb()), page=2, pages=3)


def test_images_are_instagram_sized_jpegs_with_the_logo_in_the_band() -> None:
    logo = Image.new("RGB", (300, 150), (230, 30, 30))
    data = io.BytesIO()
    logo.save(data, "PNG")
    entry = kb().get("syarat-anak")
    assert entry is not None
    post = make_post(entry, kb(), brand_for(kb(), logo=data.getvalue()))
    for image in post.slides:
        with Image.open(io.BytesIO(image)) as opened:
            assert (opened.format, opened.size) == ("JPEG", (1080, 1350))
            red = opened.getpixel((MARGIN + 44, opened.size[1] // 100 + 70))
    assert isinstance(red, tuple)
    assert red[0] > 200
    assert red[1] < 80
    with Image.open(io.BytesIO(post.story)) as story:
        assert (story.format, story.size) == ("JPEG", (1080, 1920))
    assert len(post.alt) == len(post.slides)
    assert all("\n" not in line and brand_for(kb()).contact in line for line in post.alt)


def test_a_logo_that_is_no_image_is_refused() -> None:
    canvas = slide_canvas(
        Slide("cover", "Judul", ("Pertanyaan?",)), brand_for(kb(), logo=b"x"), page=1, pages=3
    )
    with pytest.raises(ContentError, match="Logo tidak bisa dibaca"):
        draw(canvas, b"bukan gambar")


def test_contrast_is_measured_as_wcag_does() -> None:
    black, white = (0, 0, 0), (255, 255, 255)
    assert contrast(black, white) == pytest.approx(21.0)
    assert contrast(white, white) == pytest.approx(1.0)
    assert contrast(parse_colour("#767676", "x"), white) == pytest.approx(4.54, abs=0.01)
    assert contrast(parse_colour("777777", "x"), white) < AA_TEXT
    assert problems(Palette()) == []
    grey = dataclasses.replace(Palette(), text=parse_colour("#999999", "x"))
    assert problems(grey) == [
        "kontras CONTENT_TEXT_COLOR di atas CONTENT_BG_COLOR hanya 2.8:1, minimal 4.5:1 (WCAG AA)"
    ]
    # A pale accent keeps the bands readable with dark text; headings then take the text colour.
    assert PALETTES["kuning"].heading == PALETTES["kuning"].text
    assert Palette().heading == Palette().accent


def env(**values: str) -> dict[str, str]:
    return {"USER_HASH_SALT": "garam-uji", **values}


def test_settings_read_the_office_s_look() -> None:
    look = Settings.from_env(
        env(
            CONTENT_BG_COLOR="#FFFAF0",
            CONTENT_ACCENT_COLOR="781428",
            CONTENT_LOGO="/srv/logo.png",
            CONTENT_HASHTAGS="#ImigrasiKalianda PasporLampung",
        )
    ).content_look
    assert look.palette == dataclasses.replace(
        Palette(), background=(255, 250, 240), accent=(120, 20, 40)
    )
    assert str(look.logo) == "/srv/logo.png"
    assert look.hashtags == ("#ImigrasiKalianda", "#PasporLampung")
    assert Settings.from_env(env()).content_look.palette == Palette()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"CONTENT_TEXT_COLOR": "#BBBBBB"}, "kontras CONTENT_TEXT_COLOR"),
        ({"CONTENT_ACCENT_COLOR": "#FFD400"}, "kontras CONTENT_ACCENT_TEXT_COLOR"),
        ({"CONTENT_BG_COLOR": "putih"}, "CONTENT_BG_COLOR harus warna heksadesimal"),
        ({"CONTENT_HASHTAGS": "#ok #tidak-boleh"}, "tagar hanya boleh"),
    ],
)
def test_settings_refuse_an_unreadable_look(values: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env(**values))

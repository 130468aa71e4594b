"""The console in a real headless browser (issue 19): Debian's chromium through the system
chromedriver (/usr/bin/chromedriver), driven by Selenium; nothing is downloaded. `serve` runs
as a child process with no channel configured (the console alone). Log in, turn a group of
unanswered questions into a new entry and see `python -m bot ask` use it, edit an entry and
see `ask` use it, mark it reviewed, open Suara pemohon, edit a draft beside its source and
approve it, accept a learned wording, undo, log out; a screenshot of every step goes to the
test's temporary folder (printed; `CONSOLE_SHOTS=DIR` keeps them in DIR), the draft page and
the learned wordings at a laptop's width and a phone's.

Skipped without chromium or chromedriver, unless `REQUIRE_BROWSER=1` or `CI` is set."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.browser import chrome, shots_folder, visit, wait_drawn
from support.serve_process import run_bot, serving

from bot.storage import Store, open_database
from bot.storage.drafts import Drafts

from .helpers import ROOT, logged
from .test_drafts import LEARNT, choose

PASSWORD = "sandi-uji-peramban"
NEW_WORDING = "zxqv tarif buku perjalanan"
UNANSWERED = ("bisa titip paspor ke ojol ga", "bisa titip paspor ke ojol gak")
PHONE = (390, 844)
LAPTOP = (1280, 900)


@pytest.fixture
def served(
    tmp_path: Path, reserve_port: Callable[[], int]
) -> Iterator[tuple[str, dict[str, str]]]:
    """`serve` on a copy of faq.yaml with one admin, two pending drafts (one for an entry, one
    an officer's for a new entry), a group of unanswered questions and a wording three
    people's choices taught."""
    shutil.copy(ROOT / "faq.yaml", tmp_path / "faq.yaml")
    env = {
        **os.environ,
        "TANYA_DATA_DIR": str(tmp_path / "data"),
        "FAQ_PATH": str(tmp_path / "faq.yaml"),
    }
    for name in [n for n in env if n.startswith(("TELEGRAM_", "WHATSAPP_", "INSTAGRAM_"))]:
        del env[name]
    env.pop("DATABASE_URL", None)
    run_bot(env, "admin", "add", "kepala", "--password-stdin", stdin=PASSWORD + "\n")
    asyncio.run(_seed(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'tanya_paspor.db'}"))
    with serving(env, reserve_port(), tmp_path / "serve.log") as base:
        yield base, env


async def _seed(url: str) -> None:
    engine = await open_database(url)
    try:
        await Drafts(engine).add(
            source="cluster", questions=["biaya paspor elektronik brp"], entry_id="biaya-paspor"
        )
        await Drafts(engine).add(
            source="ticket",
            questions=["boleh bawa kucing ke ruang tunggu kantor imigrasi"],
            answer="Hewan peliharaan tidak boleh dibawa masuk ke ruang layanan.",
            created_by="Sari",
        )
        store = Store(engine)
        for text in (*UNANSWERED, UNANSWERED[0]):
            await store.log_question(logged(text, "fallback", near="ambil-paspor"))
        for user in ("a1", "a2", "a3"):
            await choose(store, LEARNT, "akun-daftar", user)
    finally:
        await engine.dispose()


@pytest.fixture
def browser() -> Iterator[object]:
    with chrome(width=PHONE[0], height=PHONE[1]) as driver:  # a phone's screen
        yield driver


class Walk:
    """The browser on the console: open pages, press buttons, take screenshots."""

    def __init__(self, browser: object, base: str, shots: Path) -> None:
        from selenium.webdriver.remote.webdriver import WebDriver

        assert isinstance(browser, WebDriver)
        self.browser, self.base, self.shots = browser, base, shots
        self._step = iter(range(1, 100))

    def open(self, path: str) -> None:
        visit(self.browser, f"{self.base}{path}")

    def shot(self, name: str, *, widths: tuple[tuple[int, int], ...] = (PHONE,)) -> None:
        """The whole page at each width (a phone's unless told)."""
        for width, height in widths:
            self.browser.set_window_size(width, height)
            tall = self.browser.execute_script("return document.documentElement.scrollHeight")
            self.browser.set_window_size(width, max(height, int(tall) + 140))
            size = "" if len(widths) == 1 else f"-{width}"
            path = self.shots / f"{next(self._step):02d}-{name}{size}.png"
            self.browser.save_screenshot(str(path))
        self.browser.set_window_size(*PHONE)

    def click(self, text: str, *, link: bool = False, card: str = "") -> None:
        """Press a button (or follow a link), in the card that names `card` if given, and
        wait for the page it leads to."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.remote.webdriver import WebDriver
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.browser.find_element(By.TAG_NAME, "html")
        within = f"//div[@class='card' and .//strong[normalize-space()='{card}']]" if card else ""
        kind = "a" if link else "button"
        found = self.browser.find_element(
            By.XPATH, f"{within}//{kind}[normalize-space()='{text}']"
        )
        found.click()

        def loaded(driver: WebDriver) -> bool:
            try:
                old.is_enabled()
            # chromedriver says a replaced page's node is stale, or (while the new page comes
            # in) that it "does not belong to the document": gone either way.
            except WebDriverException:
                return bool(driver.execute_script("return document.readyState") == "complete")
            return False

        WebDriverWait(self.browser, 20).until(loaded)
        wait_drawn(self.browser)

    def type(self, name: str, text: str, *, clear: bool = False) -> None:
        from selenium.webdriver.common.by import By

        found = self.browser.find_element(By.NAME, name)
        if clear:
            found.clear()
        found.send_keys(text)

    @property
    def source(self) -> str:
        return str(self.browser.page_source)


def test_log_in_add_edit_see_it_used_approve_undo_log_out(
    served: tuple[str, dict[str, str]], browser: object, tmp_path: Path
) -> None:
    base, env = served
    shots = shots_folder(tmp_path / "layar")
    walk = Walk(browser, base, shots)
    _log_in(walk)
    _new_entry_from_a_group(walk, env)
    _edit_and_review(walk, env)
    walk.open("/admin/suara")
    assert "Suara pemohon" in walk.browser.title
    walk.shot("suara")
    _accept_a_learned_wording(walk, tmp_path / "faq.yaml")
    _approve_an_edited_draft(walk, tmp_path / "faq.yaml")
    _undo_and_log_out(walk, tmp_path / "faq.yaml")
    print(f"screenshots: {shots}")
    assert len(list(shots.glob("*.png"))) == 18


def _log_in(walk: Walk) -> None:
    walk.open("/admin/")
    assert walk.browser.current_url.endswith("/admin/login")
    walk.type("username", "kepala")
    walk.type("password", PASSWORD)
    walk.shot("masuk")
    walk.click("Masuk")
    assert "Ringkasan" in walk.browser.title
    walk.shot("ringkasan")


def _new_entry_from_a_group(walk: Walk, env: dict[str, str]) -> None:
    """Belum terjawab → a new entry from a group's wordings; `ask` answers with it."""
    assert json.loads(run_bot(env, "ask", "--json", UNANSWERED[1]))["faq_id"] != "titip-ojol"
    walk.open("/admin/belum-terjawab")
    walk.shot("belum-terjawab")
    walk.click("Mulai entri baru dari kelompok ini", link=True, card=UNANSWERED[0])
    assert UNANSWERED[0] in walk.source
    walk.type("id", "titip-ojol", clear=True)
    walk.type("title", "Titip ke ojek daring")
    walk.type("short", "Paspor tidak bisa dititipkan ke ojek daring.")
    walk.type("answer", "Paspor tidak bisa dititipkan ke ojek daring; ambil sendiri.")
    walk.shot("entri-baru")
    walk.click("Simpan entri baru")
    assert "Tersimpan" in walk.source
    assert json.loads(run_bot(env, "ask", "--json", UNANSWERED[1]))["faq_id"] == "titip-ojol"


def _edit_and_review(walk: Walk, env: dict[str, str]) -> None:
    """An entry edited with preview; `ask` uses it at once; then marked reviewed."""
    asked = json.loads(run_bot(env, "ask", "--json", NEW_WORDING))
    assert asked["faq_id"] != "biaya-paspor"
    walk.open("/admin/entri/biaya-paspor")
    walk.type("questions", "\n" + NEW_WORDING)
    walk.click("Pratinjau")
    walk.shot("pratinjau")
    walk.click("Simpan")
    assert "Tersimpan" in walk.source
    walk.shot("tersimpan")
    assert json.loads(run_bot(env, "ask", "--json", NEW_WORDING))["faq_id"] == "biaya-paspor"
    walk.click("Tandai sudah ditinjau (hari ini)")
    assert "Ditandai sudah ditinjau" in walk.source
    walk.shot("ditinjau")


def _accept_a_learned_wording(walk: Walk, faq: Path) -> None:
    """Draf FAQ's second view: a wording people's choices taught, accepted into its entry."""
    walk.open("/admin/draf")
    walk.shot("draf")
    walk.click("Kata-kata dipelajari (1)", link=True)
    assert "Dikonfirmasi 3 pemohon · 👎 0" in walk.source
    walk.shot("dipelajari", widths=(LAPTOP, PHONE))
    walk.click("Terima")
    assert "ditambahkan sebagai contoh pertanyaan" in walk.source
    assert LEARNT in faq.read_text(encoding="utf-8")


def _approve_an_edited_draft(walk: Walk, faq: Path) -> None:
    """A draft's page: its source beside the entry's form; a field edited, then approved."""
    walk.open("/admin/draf/2")
    assert "Menjadi entri baru" in walk.source
    walk.shot("draf-tiket", widths=(LAPTOP, PHONE))
    walk.open("/admin/draf")
    walk.click("#1", link=True)
    walk.shot("draf-1", widths=(LAPTOP, PHONE))
    walk.type("short", " Bayar lewat bank atau pos.")
    walk.click("Setujui dan simpan")
    assert "Draf disetujui" in walk.source
    text = faq.read_text(encoding="utf-8")
    assert "biaya paspor elektronik brp" in text
    assert "Bayar lewat bank atau pos." in text


def _undo_and_log_out(walk: Walk, faq: Path) -> None:
    walk.open("/admin/audit")
    walk.shot("audit")
    walk.click("Urungkan perubahan faq.yaml terakhir")
    assert "diurungkan" in walk.source
    text = faq.read_text(encoding="utf-8")
    assert "Bayar lewat bank atau pos." not in text  # the approved draft is undone
    assert "biaya paspor elektronik brp" not in text
    assert LEARNT in text
    assert NEW_WORDING in text
    walk.shot("diurungkan")
    walk.click("Keluar")
    assert walk.browser.current_url.endswith("/admin/login")
    walk.open("/admin/entri")
    assert walk.browser.current_url.endswith("/admin/login")
    walk.shot("keluar")

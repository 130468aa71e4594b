"""A picture, not a claim (issue 18): three typical exchanges (fee, a child's documents, quota
full) as a 360 px wide phone shows them, before (the whole answer first) and after (short
first), rendered by a real headless browser (Debian's chromium) into a PNG.

`UPDATE_ARTEFACTS=1 make test` (or this file alone) refreshes docs/short-first.png, the copy
the README shows; otherwise the picture is drawn in a temporary folder and only checked.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from bot.core.turns import Render
from bot.core.vocabulary import Reply
from knowledge.entries import KnowledgeBase
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.policy import Thresholds, decide

ROOT = Path(__file__).resolve().parents[2]
ARTEFACT = ROOT / "docs" / "short-first.png"
QUESTIONS = ("biaya paspor berapa?", "syarat paspor anak apa aja", "kuota penuh terus gimana min")
PHONE, GAP = 360, 16
STYLE = f"""
body {{ margin: 0; background: #d9e3ec; font: 15px/1.35 "DejaVu Sans", sans-serif; }}
table {{ border-spacing: {GAP}px 0; }}
td {{ width: {PHONE}px; vertical-align: top; padding: 0; }}
th {{ font-size: 14px; color: #33475b; padding: 10px 0 4px; }}
.phone {{ width: {PHONE}px; box-sizing: border-box; padding: 6px 8px 14px;
          background: #eef3f7; border-radius: 10px; }}
.me {{ margin: 6px 0 6px 60px; padding: 7px 10px; background: #dff5c9;
       border-radius: 12px 12px 2px 12px; }}
.bot {{ margin: 6px 30px 2px 0; padding: 7px 10px; background: #fff; white-space: pre-wrap;
        border-radius: 12px 12px 12px 2px; overflow-wrap: anywhere; }}
.size {{ font-size: 12px; color: #6b7c8c; margin: 0 0 4px 2px; }}
.key {{ margin: 3px 30px 0 0; padding: 6px; text-align: center; color: #2a6db0;
        background: rgba(255,255,255,.7); border-radius: 8px; font-size: 14px; }}
"""
# Writes the page's full height into the DOM once it has laid out: the screenshot's height.
PROBE = (
    '<script>window.addEventListener("load", () => {const p = document.createElement("pre");'
    'p.id = "height"; p.textContent = document.body.scrollHeight; document.body.append(p);'
    "});</script>"
)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed, and CI is set")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return found


def exchanges(kb: KnowledgeBase) -> list[tuple[str, Reply, Reply]]:
    """Each question with its first reply before (the whole answer) and after (short first)."""
    render, matcher = Render(kb, agent=True, subscribe=False), Matcher(kb)
    found = []
    for question in QUESTIONS:
        entry = decide(matcher.rank(question), Thresholds()).entry
        assert entry is not None, question
        found.append((question, render.details(entry, 1), render.answer(entry, 1)))
    return found


def bubble(question: str, reply: Reply) -> str:
    """One exchange as a chat shows it: the question, the reply and its buttons."""
    keys = "".join(f'<div class="key">{html.escape(b.label)}</div>' for b in reply.buttons)
    size = len(reply.text) + sum(len(b.label) for b in reply.buttons)
    return (
        f'<div class="phone"><div class="me">{html.escape(question)}</div>'
        f'<div class="bot">{html.escape(reply.text)}</div>{keys}'
        f'<div class="size">{size} karakter</div></div>'
    )


def page(kb: KnowledgeBase) -> str:
    rows = "".join(
        f"<tr><td>{bubble(q, before)}</td><td>{bubble(q, after)}</td></tr>"
        f'<tr><td colspan="2" style="height:{GAP}px"></td></tr>'
        for q, before, after in exchanges(kb)
    )
    head = "<tr><th>Sebelum: jawaban lengkap dulu</th><th>Sesudah: singkat dulu</th></tr>"
    return (
        f'<!doctype html><html lang="id"><meta charset="utf-8"><style>{STYLE}</style>'
        f"<body><table>{head}{rows}</table>{PROBE}</body></html>"
    )


def run(browser: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    common += ["--no-first-run", "--disable-sync", f"--user-data-dir={profile}"]
    return subprocess.run(
        [browser, *common, *arguments], capture_output=True, text=True, timeout=120, check=False
    )


def draw(browser: str, folder: Path, kb: KnowledgeBase) -> Path:
    """The PNG of the page, as tall as its content."""
    source, picture = folder / "phone.html", folder / "short-first.png"
    source.write_text(page(kb), encoding="utf-8")
    width = 2 * PHONE + 3 * GAP
    dumped = run(
        browser, folder / "p1", f"--window-size={width},800", "--dump-dom", source.as_uri()
    )
    height = re.search(r'<pre id="height">(\d+)</pre>', dumped.stdout)
    assert height, dumped.stderr[-2000:]
    size = f"--window-size={width},{int(height.group(1))}"
    shot = run(browser, folder / "p2", size, f"--screenshot={picture}", source.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert picture.exists(), shot.stderr[-2000:]
    return picture


def png_size(picture: Path) -> tuple[int, int]:
    header = picture.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_short_replies_fit_where_the_whole_answers_did_not() -> None:
    for _, before, after in exchanges(load(ROOT / "faq.yaml")):
        assert len(after.text) < len(before.text) / 2
        assert len(after.buttons) < len(before.buttons)


def test_three_exchanges_before_and_after_on_a_phone(tmp_path: Path) -> None:
    picture = draw(chromium(), tmp_path, load(ROOT / "faq.yaml"))
    width, height = png_size(picture)
    assert width == 2 * PHONE + 3 * GAP
    assert height > 1000  # three exchanges, the "before" side several screens long
    if os.environ.get("UPDATE_ARTEFACTS"):
        shutil.copyfile(picture, ARTEFACT)
    assert png_size(ARTEFACT)[0] == width, "docs/short-first.png: UPDATE_ARTEFACTS=1 redraws it"

"""The HTML report opened in a real headless browser (Debian's chromium): its charts load and
decode. Skipped only without chromium outside CI; with CI set a missing browser fails."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.reporting.collect import collect
from bot.reporting.output import write_report
from bot.reporting.period import Period
from bot.storage import Store, open_database
from bot.storage.report_queries import ReportQueries

from .helpers import FIRST, LAST, NOW, ZONE, Clock, seed

# Runs after every image has loaded (the load event waits for them) and writes what the
# browser made of each one into the page, where --dump-dom can read it.
PROBE = """<script>
window.addEventListener("load", () => {
  const probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = Array.from(document.images, (image) =>
    `${image.complete}:${image.naturalWidth}x${image.naturalHeight}`).join(" ");
  document.body.append(probe);
});
</script>"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI is set")
        pytest.skip(reason)
    return found


async def html_report(folder: Path) -> Path:
    engine = await open_database(f"sqlite+aiosqlite:///{folder / 'tanya.db'}")
    try:
        clock = Clock()
        await seed(Store(engine, clock=clock), clock)
        report = await collect(
            ReportQueries(engine),
            Period(FIRST, LAST, ZONE),
            titles={"biaya-paspor": "Biaya paspor"},
            now=NOW,
            remind_after=dt.timedelta(minutes=30),
        )
    finally:
        await engine.dispose()
    return write_report(report, folder / "laporan", "html")[0]


def dump_dom(browser: str, page: Path, profile: Path) -> subprocess.CompletedProcess[str]:
    """The page's DOM after it loaded and its scripts ran."""
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_charts_load_and_decode_in_a_real_browser(tmp_path: Path) -> None:
    browser = chromium()
    page = await html_report(tmp_path)
    probed = tmp_path / "probe.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"))
    done = await asyncio.to_thread(dump_dom, browser, probed, tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="probe">([^<]*)</pre>', done.stdout)
    assert found, done.stdout[-2000:]
    images = found.group(1).split()
    assert len(images) == 2  # the daily chart and the entries' feedback
    for image in images:
        complete, size = image.split(":")
        width, height = (int(n) for n in size.split("x"))
        assert complete == "true"
        # 10 inches at 100 dpi: the PNG was decoded (a broken image has no natural size).
        assert width == 1000
        assert height >= 200
    assert "<h2>Rencana konten</h2>" in done.stdout

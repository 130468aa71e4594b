"""The console under test: the real `serve` app (no channel configured) on a copy of
faq.yaml, driven through httpx's ASGI transport, with accounts made cheaply."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.console.passwords import Passwords
from bot.console.vocabulary import Role
from bot.core.vocabulary import Candidate, QuestionRecord
from bot.runtime.app import App, running
from bot.runtime.config import Settings
from bot.storage.console import ConsoleStore

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "kata-sandi-uji-123"
# Hashing costs little here; the console still verifies as argon2 says in each hash.
CHEAP = Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
NIK = "3201123456780001"
PHONE = "081234567890"


@dataclass
class Console:
    """The app, its settings and a client."""

    app: App
    settings: Settings
    client: httpx.AsyncClient

    @property
    def faq(self) -> Path:
        return self.settings.faq_path


def settings_for(db_url: str, tmp_path: Path, **extra: str) -> Settings:
    """Settings on a copy of the repository's faq.yaml in `tmp_path`."""
    faq = tmp_path / "faq.yaml"
    if not faq.exists():
        shutil.copy(ROOT / "faq.yaml", faq)
    env = {
        "DATABASE_URL": db_url,
        "TANYA_DATA_DIR": str(tmp_path / "data"),
        "FAQ_PATH": str(faq),
        **extra,
    }
    return Settings.from_env(env)


@asynccontextmanager
async def console(db_url: str, tmp_path: Path) -> AsyncIterator[Console]:
    """The `serve` app with two accounts: `admin` and `petugas` (role petugas)."""
    settings = settings_for(db_url, tmp_path)
    async with running(settings, "serve") as app:
        assert app.asgi is not None
        transport = httpx.ASGITransport(app=app.asgi, client=("10.0.0.1", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Console(app, settings, client)


async def add_account(engine: AsyncEngine, name: str, role: Role = "admin") -> None:
    assert await ConsoleStore(engine).add_account(name, role, CHEAP.hash(PASSWORD))


def field(page: str, name: str) -> str:
    """The value of a hidden field in a page."""
    found = re.search(rf'name="?{name}"? value="([^"]*)"', page)
    assert found is not None, f"no field {name}"
    return found[1]


async def login(client: httpx.AsyncClient, name: str, password: str = PASSWORD) -> httpx.Response:
    """Open the login page and post the form (cookies stay in the client)."""
    page = await client.get("/admin/login")
    data = {"csrf": field(page.text, "csrf"), "username": name, "password": password}
    return await client.post("/admin/login", data=data)


def logged(text: str, action: str, *, faq_id: str | None = None, near: str = "") -> QuestionRecord:
    """A question of today as the core logs it (already redacted)."""
    return QuestionRecord(
        channel="telegram",
        user_hash="u" * 16,
        text_redacted=text,
        normalized=text.casefold(),
        action=action,
        faq_id=faq_id,
        score=0.5,
        candidates=(Candidate(near, 0.4),) if near else (),
        latency_ms=1.0,
        kb_version="uji",
        created_at=dt.datetime.now(dt.UTC),
    )

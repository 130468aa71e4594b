"""An account of one office (issue 21), route by route of `OFFICE_SCOPE`, on SQLite and
PostgreSQL: another office's item by id answers 404 and stays as it was, whatever every
office shares is refused with 403, and its own pages open as for an account of every
office."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.drafts import Drafts
from bot.storage.tables import ComplaintRow

from .helpers import Console, field, login
from .office_helpers import LAMSEL, seed_offices, voice_id
from .test_security import OFFICE_SCOPE


@dataclass(frozen=True)
class Kalianda:
    """Kalianda's draft, complaint and announcement draft, none of them Kotabumi's."""

    draft: int
    voice: int
    announcement: int


# The request each "item" route gets for Kalianda's item: (path, form).
ITEMS: dict[str, Callable[[Kalianda], tuple[str, dict[str, str]]]] = {
    "GET /admin/draf/1": lambda k: (f"/admin/draf/{k.draft}", {}),
    "POST /admin/draf/setujui": lambda k: ("/admin/draf/setujui", {"id": str(k.draft)}),
    "POST /admin/draf/tolak": lambda k: ("/admin/draf/tolak", {"id": str(k.draft), "alasan": "x"}),
    "POST /admin/draf/simpan": lambda k: ("/admin/draf/simpan", {"draf": str(k.draft)}),
    "POST /admin/suara/tangani": lambda k: (
        "/admin/suara/tangani",
        {"id": str(k.voice), "catatan": "x"},
    ),
    "POST /admin/siaran/kirim": lambda k: ("/admin/siaran/kirim", {"id": str(k.announcement)}),
    "POST /admin/siaran/batal": lambda k: ("/admin/siaran/batal", {"id": str(k.announcement)}),
}


def _scoped(kind: str) -> list[str]:
    return [route for route, scope in OFFICE_SCOPE.items() if scope == kind]


async def _kalianda(web: Console, engine: AsyncEngine) -> Kalianda:
    await seed_offices(engine)
    drafts = {d.questions[0]: d.id for d in await Drafts(engine).pending()}
    made = await web.app.announcements.draft(
        "Kuota dibuka Senin.",
        channel="console",
        chat_id="admin",
        user_id="web",
        office_id="kalianda",
    )
    return Kalianda(drafts["draf kalianda"], await voice_id(engine, LAMSEL), made.announcement.id)


async def _unchanged(web: Console, engine: AsyncEngine, kalianda: Kalianda) -> None:
    assert kalianda.draft in {d.id for d in await Drafts(engine).pending()}
    async with engine.connect() as connection:
        handled = select(ComplaintRow.handled_at).where(ComplaintRow.id == kalianda.voice)
        assert await connection.scalar(handled) is None
    announcement = await web.app.announcements.get(kalianda.announcement)
    assert announcement is not None
    assert announcement.status == "draft"


def test_every_item_route_has_its_request() -> None:
    assert set(ITEMS) == set(_scoped("item"))


@pytest.mark.parametrize("route", _scoped("item"))
async def test_an_office_account_is_refused_another_offices_item_as_missing(
    web: Console, engine: AsyncEngine, route: str
) -> None:
    kalianda = await _kalianda(web, engine)
    await login(web.client, "kotabumi")
    csrf = field((await web.client.get("/admin/")).text, "csrf")
    method, _ = route.split(" ", 1)
    path, data = ITEMS[route](kalianda)
    if method == "GET":
        response = await web.client.get(path)
    else:
        response = await web.client.post(path, data={"csrf": csrf, **data})
    assert response.status_code == 404, response.text
    assert "Kuota dibuka" not in response.text
    await _unchanged(web, engine, kalianda)


@pytest.mark.parametrize("route", _scoped("national"))
async def test_an_office_account_is_refused_every_national_action(
    web: Console, engine: AsyncEngine, route: str
) -> None:
    await seed_offices(engine)
    await login(web.client, "kotabumi")
    csrf = field((await web.client.get("/admin/")).text, "csrf")
    method, path = route.split(" ", 1)
    before = web.faq.read_bytes()
    if method == "GET":
        response = await web.client.get(path)
    else:
        data = {"csrf": csrf, "id": "biaya-paspor", "answer": "x", "teks": "x", "kit": "1"}
        response = await web.client.post(path, data=data)
    assert response.status_code == 403
    assert web.faq.read_bytes() == before
    assert (await web.client.get("/admin/audit")).status_code == 403


async def test_an_office_account_reads_its_own_pages_as_an_account_of_every_office(
    web: Console, engine: AsyncEngine
) -> None:
    """Every "own" page opens for it as for the national admin (the same status)."""
    await seed_offices(engine)
    statuses: dict[str, dict[str, int]] = {}
    for name in ("admin", "kotabumi"):
        await login(web.client, name)
        for route in (r for r in _scoped("own") if r.startswith("GET ")):
            path = route.removeprefix("GET ")
            statuses.setdefault(path, {})[name] = (await web.client.get(path)).status_code
    for path, found in statuses.items():
        assert found["kotabumi"] == found["admin"], path
    assert statuses["/admin/draf"]["kotabumi"] == 200

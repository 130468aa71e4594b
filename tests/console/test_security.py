"""Security of the console (issue 19): every page needs a session, every form its CSRF token,
logins are throttled, a petugas only reads, and no secret or personal data is rendered. What
an account of one office meets on each route is `OFFICE_SCOPE` (test_security_offices)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import Store

from .helpers import NIK, PASSWORD, PHONE, Console, field, logged, login

PAGES = [
    "/admin/",
    "/admin/?hari=7",
    "/admin/belum-terjawab",
    "/admin/draf",
    "/admin/draf/1",
    "/admin/entri",
    "/admin/entri/biaya-paspor",
    "/admin/entri-baru",
    "/admin/audit",
    "/admin/suara",
    "/admin/draf/dipelajari",
    "/admin/siaran",
    "/admin/gangguan",
    "/admin/konten",
    "/admin/konten/1/1",
    "/admin/kantor",
]
POSTS = [
    "/admin/entri/simpan",
    "/admin/draf/setujui",
    "/admin/draf/tolak",
    "/admin/entri-baru",
    "/admin/urungkan",
    "/admin/suara/tangani",
    "/admin/entri/tinjau",
    "/admin/entri/berlaku",
    "/admin/belum-terjawab/tambahkan",
    "/admin/draf/simpan",
    "/admin/siaran/pratinjau",
    "/admin/siaran/kirim",
    "/admin/siaran/batal",
    "/admin/gangguan/pasang",
    "/admin/gangguan/cabut",
    "/admin/konten/buat",
    "/admin/konten/simpan",
    "/admin/konten/setujui",
    "/admin/konten/batal",
    "/admin/keluar",
]
# What an account of one office (issue 21) meets on each route, as "METHOD path":
#   "item": it names an item by id; another office's item answers 404 and stays unchanged;
#   "national": it changes what every office shares (or reads the audit log): 403;
#   "own": its office's own data, or what every office shares, read only.
# Every route is here, so a new one cannot be added without saying which it is.
OFFICE_SCOPE = {
    "GET /admin/": "own",
    "GET /admin/belum-terjawab": "own",
    "GET /admin/kantor": "own",
    "GET /admin/audit": "national",
    "GET /admin/draf": "own",
    "GET /admin/draf/dipelajari": "own",
    "GET /admin/draf/1": "item",
    "GET /admin/entri": "own",
    "GET /admin/entri/biaya-paspor": "own",
    "GET /admin/entri-baru": "national",
    "GET /admin/suara": "own",
    "GET /admin/siaran": "own",
    "GET /admin/gangguan": "own",
    "GET /admin/konten": "own",
    "GET /admin/konten/1/1": "own",
    "POST /admin/keluar": "own",
    "POST /admin/urungkan": "national",
    "POST /admin/entri/simpan": "national",
    "POST /admin/entri/tinjau": "national",
    "POST /admin/entri/berlaku": "national",
    "POST /admin/belum-terjawab/tambahkan": "national",
    "POST /admin/entri-baru": "national",
    "POST /admin/draf/setujui": "item",
    "POST /admin/draf/simpan": "item",
    "POST /admin/draf/tolak": "item",
    "POST /admin/suara/tangani": "item",
    "POST /admin/siaran/pratinjau": "own",  # always to its own office (test_notices_offices)
    "POST /admin/siaran/kirim": "item",
    "POST /admin/siaran/batal": "item",
    "POST /admin/gangguan/pasang": "national",
    "POST /admin/gangguan/cabut": "national",
    "POST /admin/konten/buat": "national",
    "POST /admin/konten/simpan": "national",
    "POST /admin/konten/setujui": "national",
    "POST /admin/konten/batal": "national",
}
# Pages whose path holds a number or an id: listed above with an example.
TEMPLATES = {
    "/admin/draf/{id:int}": "/admin/draf/1",
    "/admin/entri/{id}": "/admin/entri/biaya-paspor",
    "/admin/konten/{kit:int}/{pos:int}": "/admin/konten/1/1",
}


def test_every_route_of_the_console_is_listed_here(web: Console) -> None:
    """A new page or form cannot skip the session, CSRF and role checks above unnoticed."""
    from starlette.routing import Mount, Route

    assert web.app.asgi is not None
    (console,) = [r for r in web.app.asgi.routes if isinstance(r, Mount) and r.path == "/admin"]
    gets: set[str] = set()
    posts: set[str] = set()
    for route in console.routes:
        assert isinstance(route, Route)
        path = TEMPLATES.get(f"/admin{route.path}", f"/admin{route.path}")
        if path == "/admin/login":
            continue  # the one page without a session
        (gets if "GET" in (route.methods or ()) else posts).add(path)
    assert gets <= set(PAGES), gets - set(PAGES)
    assert posts == set(POSTS), posts ^ set(POSTS)
    scoped = {f"GET {path}" for path in gets} | {f"POST {path}" for path in posts}
    assert scoped == set(OFFICE_SCOPE), scoped ^ set(OFFICE_SCOPE)


@pytest.mark.parametrize("path", [*PAGES, "/admin"])
async def test_every_page_without_a_session_goes_to_the_login(web: Console, path: str) -> None:
    response = await web.client.get(path, follow_redirects=True)
    assert response.url.path == "/admin/login"
    assert 'name="username"' in response.text
    assert 'name="password"' in response.text


@pytest.mark.parametrize("path", POSTS)
async def test_every_post_without_a_session_goes_to_the_login(web: Console, path: str) -> None:
    response = await web.client.post(path, data={"csrf": "x"})
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"


async def test_the_login_form_refuses_a_wrong_token(web: Console) -> None:
    await web.client.get("/admin/login")
    data = {"csrf": "falsch", "username": "admin", "password": PASSWORD}
    assert (await web.client.post("/admin/login", data=data)).status_code == 403


@pytest.mark.parametrize("path", POSTS)
async def test_a_wrong_csrf_token_is_403(web: Console, path: str) -> None:
    await login(web.client, "admin")
    response = await web.client.post(path, data={"csrf": "salah", "id": "biaya-paspor"})
    assert response.status_code == 403


async def test_a_good_login_sets_a_safe_cookie_and_a_wrong_one_does_not(web: Console) -> None:
    wrong = await login(web.client, "admin", "bukan-sandinya")
    assert wrong.status_code == 401
    assert "salah" in wrong.text
    good = await login(web.client, "admin")
    assert good.status_code == 303
    cookie = good.headers["set-cookie"].lower()
    assert "tp_sesi=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "max-age=28800" in cookie
    assert "secure" not in cookie
    assert (await web.client.get("/admin/")).status_code == 200


async def test_the_cookie_is_secure_over_https(web: Console) -> None:
    web.client.base_url = "https://test"
    response = await login(web.client, "admin")
    assert "secure" in response.headers["set-cookie"].lower()


async def test_a_forged_cookie_opens_nothing(web: Console) -> None:
    await login(web.client, "admin")
    token = web.client.cookies["tp_sesi"]
    web.client.cookies.set("tp_sesi", token[:-2] + "xx", path="/admin")
    assert (await web.client.get("/admin/")).status_code == 303


async def test_logins_are_throttled_per_name(web: Console) -> None:
    for _ in range(5):
        assert (await login(web.client, "admin", "tebak-tebakan")).status_code == 401
    blocked = await login(web.client, "admin")  # even the right password now
    assert blocked.status_code == 429
    assert "Terlalu banyak" in blocked.text


async def test_logout_ends_the_session(web: Console) -> None:
    await login(web.client, "admin")
    page = await web.client.get("/admin/")
    cookie = web.client.cookies["tp_sesi"]
    assert await web.client.post("/admin/keluar", data={"csrf": field(page.text, "csrf")})
    web.client.cookies.set("tp_sesi", cookie, path="/admin")  # an old copy of the cookie
    assert (await web.client.get("/admin/")).status_code == 303


async def test_a_disabled_account_loses_its_session(web: Console, engine: AsyncEngine) -> None:
    from bot.storage.console import ConsoleStore

    await login(web.client, "petugas")
    assert (await web.client.get("/admin/")).status_code == 200
    await ConsoleStore(engine).disable_account("petugas")
    assert (await web.client.get("/admin/")).status_code == 303
    assert (await login(web.client, "petugas")).status_code == 401


@pytest.mark.parametrize("path", [p for p in POSTS if p != "/admin/keluar"])
async def test_a_petugas_cannot_change_anything(web: Console, path: str) -> None:
    await login(web.client, "petugas")
    page = await web.client.get("/admin/entri/biaya-paspor")
    assert "Hanya admin" in page.text
    assert "<textarea" not in page.text
    before = web.faq.read_bytes()
    data = {"csrf": field(page.text, "csrf"), "id": "biaya-paspor", "answer": "x"}
    assert (await web.client.post(path, data=data)).status_code == 403
    assert web.faq.read_bytes() == before
    assert (await web.client.get("/admin/audit")).status_code == 403


async def test_no_secret_and_no_personal_data_on_any_page(
    web: Console, engine: AsyncEngine
) -> None:
    from bot.core.privacy import redact

    store = Store(engine)
    for text in (f"nik saya {NIK} paspor belum jadi", f"hubungi {PHONE} soal kuota"):
        await store.log_question(logged(redact(text).text, "fallback", near="biaya-paspor"))
    await login(web.client, "admin")
    secrets = [
        web.settings.session_key().reveal(),
        web.settings.salt(),
        PASSWORD,
        web.client.cookies["tp_sesi"].partition(".")[0],
    ]
    for path in PAGES:
        text = (await web.client.get(path)).text
        for secret in secrets:
            assert secret not in text, path
        assert NIK not in text, path
        assert PHONE not in text, path
        assert "$argon2" not in text, path
    assert "[NIK]" in (await web.client.get("/admin/belum-terjawab")).text

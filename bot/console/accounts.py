"""`python -m bot admin add | list | disable`: the console's accounts, made on the command
line (the console itself has no sign-up). The runtime reads the password and hands it in."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.console.passwords import PasswordError, Passwords
from bot.console.vocabulary import Accounts, Role
from bot.core.errors import BotError

# The office asked for and the ids offices.yaml knows; None: an account of every office.
Office = tuple[str, Sequence[str]] | None
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,63}")


class AccountError(BotError):
    """A name or password the command refuses (the message is for the person)."""


async def add(
    store: Accounts,
    passwords: Passwords,
    name: str,
    role: Role,
    password: str,
    *,
    office: Office = None,
) -> str:
    """Create an account, of one office (`office`: its id and the ids known) or of every
    office; the line to print."""
    if office is not None and office[0] not in office[1]:
        known = ", ".join(office[1]) or "tidak ada (offices.yaml tidak ditemukan)"
        raise AccountError(f"kantor {office[0]} tidak dikenal; yang ada: {known}")
    if not NAME.fullmatch(name):
        raise AccountError(
            "nama akun 2–64 karakter: huruf, angka, titik, garis bawah atau tanda hubung"
        )
    try:
        hashed = passwords.hash(password)
    except PasswordError as exc:
        raise AccountError(str(exc)) from exc
    office_id = office[0] if office else None
    if not await store.add_account(name, role, hashed, office=office_id):
        raise AccountError(f"akun {name} sudah ada")
    return f"Akun {name} ({role}, {office_id or 'semua kantor'}) dibuat."


async def listing(store: Accounts) -> str:
    """One line per account: name, role, office, active or not."""
    found = await store.accounts()
    if not found:
        return "Belum ada akun. Buat dengan: python -m bot admin add NAMA"
    return "\n".join(
        f"{a.name}\t{a.role}\t{a.office or 'semua kantor'}\t{'aktif' if a.active else 'nonaktif'}"
        for a in found
    )


async def disable(store: Accounts, name: str) -> str:
    """Disable an account (its sessions end at once)."""
    if not await store.disable_account(name):
        raise AccountError(f"akun {name} tidak ada")
    return f"Akun {name} dinonaktifkan."

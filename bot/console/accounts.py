"""`python -m bot admin add | list | disable`: the console's accounts, made on the command
line (the console itself has no sign-up). The runtime reads the password and hands it in."""

from __future__ import annotations

import re

from bot.console.passwords import PasswordError, Passwords
from bot.console.vocabulary import Accounts, Role
from bot.core.errors import BotError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,63}")


class AccountError(BotError):
    """A name or password the command refuses (the message is for the person)."""


async def add(store: Accounts, passwords: Passwords, name: str, role: Role, password: str) -> str:
    """Create an account; the line to print."""
    if not NAME.fullmatch(name):
        raise AccountError(
            "nama akun 2–64 karakter: huruf, angka, titik, garis bawah atau tanda hubung"
        )
    try:
        hashed = passwords.hash(password)
    except PasswordError as exc:
        raise AccountError(str(exc)) from exc
    if not await store.add_account(name, role, hashed):
        raise AccountError(f"akun {name} sudah ada")
    return f"Akun {name} ({role}) dibuat."


async def listing(store: Accounts) -> str:
    """One line per account: name, role, active or not."""
    found = await store.accounts()
    if not found:
        return "Belum ada akun. Buat dengan: python -m bot admin add NAMA"
    return "\n".join(f"{a.name}\t{a.role}\t{'aktif' if a.active else 'nonaktif'}" for a in found)


async def disable(store: Accounts, name: str) -> str:
    """Disable an account (its sessions end at once)."""
    if not await store.disable_account(name):
        raise AccountError(f"akun {name} tidak ada")
    return f"Akun {name} dinonaktifkan."

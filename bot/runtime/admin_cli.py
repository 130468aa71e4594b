"""`python -m bot admin add NAME [--role admin|petugas] [--office ID] [--password-stdin] |
list | disable NAME`: the admin console's accounts (`bot.console.accounts`); `--office` makes
an account of one office (an id of offices.yaml), without it the account is for every office."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from bot.console import accounts
from bot.console.passwords import Passwords, check_new
from bot.console.vocabulary import Role
from bot.runtime.config import Settings


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Read the password first (prompting twice, or one line of stdin), then open the
    database; a refused name or password raises `AccountError` (exit 2)."""
    password = ""
    if args.admin_command == "add":
        password = read_password(from_stdin=args.password_stdin)
    print(asyncio.run(_run(settings, args, password)))
    return 0


def read_password(*, from_stdin: bool) -> str:
    """The new password: one line of standard input, or typed twice without echo."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Kata sandi baru (min. 10 karakter): ")
        if getpass.getpass("Ulangi kata sandi: ") != password:
            raise accounts.AccountError("kedua kata sandi tidak sama")
    try:
        check_new(password)
    except ValueError as exc:
        raise accounts.AccountError(str(exc)) from exc
    return password


async def _run(settings: Settings, args: argparse.Namespace, password: str) -> str:
    from bot.runtime.app import one_shot

    async with one_shot(settings) as tools:
        store = tools.console
        if args.admin_command == "add":
            role: Role = args.role
            return await accounts.add(
                store, Passwords(), args.name, role, password, office=_office(settings, args)
            )
        if args.admin_command == "disable":
            return await accounts.disable(store, args.name)
        return await accounts.listing(store)


def _office(settings: Settings, args: argparse.Namespace) -> accounts.Office:
    """The office asked for with the ids offices.yaml knows (None: every office)."""
    if args.office is None:
        return None
    from bot.runtime.app.parts import build_offices

    directory = build_offices(settings)
    return args.office, [o.id for o in directory.offices] if directory else []


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `admin` command and its subcommands."""
    admin = commands.add_parser("admin", help="accounts of the admin console (/admin/)")
    sub = admin.add_subparsers(dest="admin_command", required=True)
    add = sub.add_parser("add", help="create an account (prompts for its password)")
    add.add_argument("name")
    add.add_argument("--role", choices=["admin", "petugas"], default="admin")
    add.add_argument(
        "--office", help="the id of the one office (offices.yaml) it serves; default: every office"
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    sub.add_parser("list", help="list the accounts")
    disable = sub.add_parser("disable", help="disable an account (ends its sessions)")
    disable.add_argument("name")

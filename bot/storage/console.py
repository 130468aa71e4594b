"""The admin console's store: accounts, sessions and the audit log (`bot.console.vocabulary`
`ConsoleStore`). Sessions are found by the hash of the cookie's token, and only while the
account is active and the session has not expired."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import delete, insert, select, update

from bot.console.vocabulary import Account, AuditEntry, Role, Session
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables_console import AdminAccountRow, AdminSessionRow, AuditRow


class ConsoleStore(StoreBase):
    """Accounts, sessions and the audit log over an engine the caller owns."""

    async def add_account(
        self, name: str, role: Role, password_hash: str, *, office: str | None = None
    ) -> bool:
        """Create an account (of one office, or of every office); False if the name is
        taken."""
        with translate_errors("adding an account"):
            async with self._sessions.begin() as session:
                if await session.get(AdminAccountRow, name) is not None:
                    return False
                session.add(
                    AdminAccountRow(
                        name=name,
                        role=role,
                        password_hash=password_hash,
                        active=True,
                        created_at=self._now(),
                        office_id=office,
                    )
                )
        return True

    async def account(self, name: str) -> Account | None:
        """The account called `name`, active or not."""
        with translate_errors("reading an account"):
            async with self._sessions() as session:
                row = await session.get(AdminAccountRow, name)
        return _account(row) if row is not None else None

    async def accounts(self) -> list[Account]:
        """Every account, by name."""
        statement = select(AdminAccountRow).order_by(AdminAccountRow.name)
        with translate_errors("reading accounts"):
            async with self._sessions() as session:
                return [_account(row) for row in await session.scalars(statement)]

    async def disable_account(self, name: str) -> bool:
        """Disable an account and end its sessions; False if there is no such account."""
        with translate_errors("disabling an account"):
            async with self._sessions.begin() as session:
                found = await session.execute(
                    update(AdminAccountRow)
                    .where(AdminAccountRow.name == name)
                    .values(active=False)
                    .returning(AdminAccountRow.name)
                )
                if found.first() is None:
                    return False
                await session.execute(delete(AdminSessionRow).where(AdminSessionRow.name == name))
        return True

    async def set_password_hash(self, name: str, password_hash: str) -> None:
        """Replace a hash (argon2 asks for a rehash when its parameters grew)."""
        statement = (
            update(AdminAccountRow)
            .where(AdminAccountRow.name == name)
            .values(password_hash=password_hash)
        )
        with translate_errors("updating a password hash"):
            async with self._sessions.begin() as session:
                await session.execute(statement)

    async def open_session(
        self, token_hash: str, name: str, csrf: str, expires_at: dt.datetime
    ) -> None:
        """Store a new session; expired ones are swept at the same time."""
        now = self._now()
        with translate_errors("opening a session"):
            async with self._sessions.begin() as session:
                await session.execute(
                    delete(AdminSessionRow).where(AdminSessionRow.expires_at < now)
                )
                await session.execute(
                    insert(AdminSessionRow).values(
                        token_hash=token_hash,
                        name=name,
                        csrf=csrf,
                        created_at=now,
                        expires_at=expires_at,
                    )
                )

    async def session(self, token_hash: str, now: dt.datetime) -> Session | None:
        """The live session with this token hash, of an active account, with the account's
        role and office as they are now."""
        statement = (
            select(AdminSessionRow, AdminAccountRow.role, AdminAccountRow.office_id)
            .join(AdminAccountRow, AdminAccountRow.name == AdminSessionRow.name)
            .where(
                AdminSessionRow.token_hash == token_hash,
                AdminSessionRow.expires_at > now,
                AdminAccountRow.active.is_(True),
            )
        )
        with translate_errors("reading a session"):
            async with self._sessions() as session:
                found = (await session.execute(statement)).first()
        if found is None:
            return None
        row, role, office = found
        return Session(row.name, cast(Role, role), row.csrf, row.expires_at, office)

    async def close_session(self, token_hash: str) -> None:
        """End a session (logging out)."""
        statement = delete(AdminSessionRow).where(AdminSessionRow.token_hash == token_hash)
        with translate_errors("closing a session"):
            async with self._sessions.begin() as session:
                await session.execute(statement)

    async def record(
        self, who: str, action: str, target: str, *, before: str | None, after: str | None
    ) -> None:
        """Add a line to the audit log."""
        values = {
            "at": self._now(),
            "who": who,
            "action": action,
            "target": target[:128],
            "before": before,
            "after": after,
        }
        with translate_errors("writing the audit log"):
            async with self._sessions.begin() as session:
                await session.execute(insert(AuditRow).values(values))

    async def recent(self, limit: int = 200) -> list[AuditEntry]:
        """The newest changes first."""
        statement = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        with translate_errors("reading the audit log"):
            async with self._sessions() as session:
                return [
                    AuditEntry(r.id, r.at, r.who, r.action, r.target, r.before, r.after)
                    for r in await session.scalars(statement)
                ]


def _account(row: AdminAccountRow) -> Account:
    # The CHECK constraint on `role` keeps the cast honest.
    return Account(
        row.name,
        cast(Role, row.role),
        row.password_hash,
        row.active,
        row.created_at,
        row.office_id,
    )

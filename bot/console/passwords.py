"""Passwords: argon2id (memory-hard; argon2-cffi) and the rules a new one must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 256  # hashing a megabyte of "password" would cost the server, not the attacker


class PasswordError(ValueError):
    """A new password that breaks the rules (the message is for the person)."""


class Passwords:
    """Hash and verify; `hasher` is argon2-cffi's, cheaper parameters only in tests."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        # Verified against when the name is unknown, so both cost the same time.
        self._dummy = self._hasher.hash("tidak-ada-akun-seperti-ini")

    def hash(self, password: str) -> str:
        """The argon2 hash of a password that meets the rules."""
        check_new(password)
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` matches; with no hash, the same work and False."""
        try:
            self._hasher.verify(password_hash or self._dummy, password[:MAX_LENGTH])
        except (VerificationError, InvalidHashError):
            return False
        return password_hash is not None

    def rehash(self, password: str) -> str:
        """A new hash of a password already accepted (no rules: it is the current one)."""
        return self._hasher.hash(password)

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with weaker parameters than today's."""
        return self._hasher.check_needs_rehash(password_hash)


def check_new(password: str) -> None:
    """Refuse a password that is too short or too long."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"kata sandi minimal {MIN_LENGTH} karakter")
    if len(password) > MAX_LENGTH:
        raise PasswordError(f"kata sandi maksimal {MAX_LENGTH} karakter")

"""faq.yaml on disk: read it, write a new text only if `kb check` accepts it, atomically
(temporary file beside it, fsync, rename, fsync of the folder), keeping the previous version
for undo. One lock file serialises writers across workers of the same machine.

Every running worker notices a changed file by its hash within a minute (`tick` reloads it);
the worker that wrote it is told at once by the `after_write` hook.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import Problem
from knowledge.loader import check

KEEP = 50  # previous versions kept for undo


class KbConflict(Exception):
    """The file changed since the version this change was made against."""


@dataclass(frozen=True, slots=True)
class Written:
    """The outcome of a write: the problems `kb check` found (nothing written then)."""

    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the new text is now faq.yaml."""
        return not self.problems


class KbFile:
    """faq.yaml and the folder of its previous versions."""

    def __init__(self, path: Path, history: Path) -> None:
        self.path = path
        self._history = history

    def read(self) -> str:
        """The current text."""
        return self.path.read_bytes().decode("utf-8")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the writers' lock (blocking) for the block."""
        self._history.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self._history / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write(self, text: str, *, previous: str) -> Written:
        """Replace the file with `text` if it passes `kb check`; call within `locked`.

        `previous` is the text the change was made against: if the file holds anything else
        now, `KbConflict` is raised and nothing is written."""
        current = self.read()
        if current != previous:
            raise KbConflict
        temporary = self._temporary(text)
        try:
            problems = tuple(check(temporary).errors)
            if problems:
                return Written(problems)
            self._remember(current, text)
            os.replace(temporary, self.path)
            _sync_folder(self.path.parent)
        finally:
            temporary.unlink(missing_ok=True)
        return Written()

    def can_undo(self) -> bool:
        """Whether a previous version is kept."""
        return bool(self._versions())

    def undo(self) -> tuple[str, str]:
        """Put the last previous version back; (text undone, text restored). Raises
        `KbConflict` if the file changed since that version was replaced, LookupError if
        there is nothing to undo. Call within `locked`."""
        versions = self._versions()
        if not versions:
            raise LookupError("nothing to undo")
        last = versions[-1]
        current = self.read()
        if _hash(current) != last.with_suffix(".after").read_text(encoding="ascii"):
            raise KbConflict
        restored = last.read_text(encoding="utf-8")
        temporary = self._temporary(restored)
        os.replace(temporary, self.path)
        _sync_folder(self.path.parent)
        last.unlink()
        last.with_suffix(".after").unlink()
        return current, restored

    def _temporary(self, text: str) -> Path:
        """`text` in a synced file beside faq.yaml, with its permissions."""
        handle, name = tempfile.mkstemp(prefix=".faq-", suffix=".yaml", dir=self.path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(name, self.path.stat().st_mode & 0o777)
        return Path(name)

    def _remember(self, current: str, written: str) -> None:
        versions = self._versions()
        number = int(versions[-1].stem) + 1 if versions else 1
        kept = self._history / f"{number:06d}.yaml"
        kept.write_text(current, encoding="utf-8", newline="")
        kept.with_suffix(".after").write_text(_hash(written), encoding="ascii")
        for old in versions[: max(0, len(versions) + 1 - KEEP)]:
            old.unlink()
            old.with_suffix(".after").unlink(missing_ok=True)

    def _versions(self) -> list[Path]:
        if not self._history.is_dir():
            return []
        return sorted(self._history.glob("[0-9]*.yaml"))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

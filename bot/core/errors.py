"""The application's error tree. Foreign errors are translated at the edge with `from exc`.

BotError
 ├── ConfigError        a setting is missing or malformed (raised at start-up)
 ├── StorageError       the database failed (raised by bot.storage, caught by whoever uses a role)
 └── DeliveryError      a channel could not deliver a reply
KnowledgeError (knowledge.errors) is the knowledge library's own: a broken faq.yaml.
"""

from __future__ import annotations


class BotError(Exception):
    """Root of the application's errors."""


class ConfigError(BotError):
    """A setting is missing or malformed."""


class StorageError(BotError):
    """The database could not do what was asked; the driver's error is chained as the cause.

    Defined here, not in `bot.storage`, because the roles storage plays are declared by the core
    and the features, and their callers catch it without importing storage."""


class DeliveryError(BotError):
    """A channel could not deliver a reply."""

"""The application's error tree. Foreign errors are translated at the edge with `from exc`.

BotError
 ├── ConfigError        a setting is missing or malformed (raised at start-up)
 ├── StorageError       the database failed (defined in bot.storage.errors, re-exported here)
 └── DeliveryError      a channel could not deliver a reply
KnowledgeError (knowledge.errors) is the knowledge library's own: a broken faq.yaml.
"""

from __future__ import annotations


class BotError(Exception):
    """Root of the application's errors."""


class ConfigError(BotError):
    """A setting is missing or malformed."""


class DeliveryError(BotError):
    """A channel could not deliver a reply."""

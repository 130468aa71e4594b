"""The /whatsapp route: Meta's webhook (`bot.channels.meta`) for messages and statuses.

The checks (verification, signature, 400 for what is not Meta's envelope) are the shared
ones; what is WhatsApp's own is the parser and the inbox that stores each batch.
"""

from __future__ import annotations

from bot.channels.meta import MetaWebhook
from bot.channels.whatsapp.durable import WhatsAppInbox
from bot.channels.whatsapp.inbound import Batch, parse
from bot.channels.whatsapp.settings import WhatsAppSettings

PATH = "/whatsapp"


def whatsapp_webhook(settings: WhatsAppSettings, inbox: WhatsAppInbox) -> MetaWebhook[Batch]:
    """The endpoint for one WhatsApp Business number; every batch goes to `inbox`."""
    return MetaWebhook(PATH, settings, label="WhatsApp", parse=parse, store=inbox.receive)

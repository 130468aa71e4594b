"""The /instagram route: Meta's webhook (`bot.channels.meta`) for DMs and comments.

The checks (verification, signature, 400 for what is not Meta's envelope) are the shared
ones; what is Instagram's own is the parser, which needs the office's account id to tell the
office's own messages and comments from applicants'.
"""

from __future__ import annotations

from functools import partial

from bot.channels.instagram.durable import InstagramInbox
from bot.channels.instagram.inbound import Event, parse
from bot.channels.instagram.settings import InstagramSettings
from bot.channels.meta import MetaWebhook

PATH = "/instagram"


def instagram_webhook(
    settings: InstagramSettings, inbox: InstagramInbox
) -> MetaWebhook[list[Event]]:
    """The endpoint for the main professional account and the offices' accounts; every
    batch goes to `inbox`."""
    return MetaWebhook(
        PATH,
        settings,
        label="Instagram",
        parse=partial(
            parse, account_id=settings.account_id, offices=frozenset(settings.office_accounts)
        ),
        store=inbox.receive,
    )

"""WhatsApp's settings for the fake Graph API and, when given, Telegram pointed at the fake Bot
API; `support.meta_harness.served` runs them in the real `serve` wiring."""

from __future__ import annotations

from fakes.whatsapp_api import FakeGraph
from support.meta_harness import MetaSettings

VERIFY_TOKEN = "verifikasi-uji-123"


def whatsapp_env(graph: FakeGraph, *, template: str = "") -> dict[str, str]:
    return {
        "WHATSAPP_TOKEN": graph.token,
        "WHATSAPP_APP_SECRET": graph.app_secret,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
        "WHATSAPP_API_URL": graph.api_url,
        "WHATSAPP_TEMPLATE": template,
    }


# WhatsApp only, or WhatsApp and Telegram (officers' group, admin) in one process.
whatsapp_settings = MetaSettings(whatsapp_env)

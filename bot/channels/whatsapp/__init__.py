"""WhatsApp Cloud API: applicants' chats, the webhook route and announcements.

The Graph client (`api`), incoming payloads (`inbound`), rendering replies and the 24-hour
rule (`render`), the channel (`channel`), its durable inbox and outbox (`durable`), the
/whatsapp route (`webhook`), announcements (`broadcast`) and its settings (`settings`).
Never imports Telegram code.
"""

"""WhatsApp Cloud API: applicants' chats, the webhook route and announcements.

The Graph client (`api`), incoming payloads (`inbound`), rendering replies and the 24-hour
rule (`render`), the channel (`channel`), its durable inbox and outbox (`durable`), the
/whatsapp route (`webhook`), announcements (`broadcast`), its settings (`settings`), what it
is once built (`running`) and its entry in the root's channel list (`entry`).
Never imports Telegram code.
"""

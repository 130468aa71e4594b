"""The transports applicants and staff reach the bot through.

`telegram/` (applicants, the officers' group, the admins' commands), `whatsapp/` (applicants
over the Cloud API) and `terminal` (local chat); `text` holds the helpers they share. A
channel may import the core, the features, delivery and storage, but never the runtime (its
settings are its own `settings` module, read by the runtime and handed in) nor another channel
except through `text`.
"""

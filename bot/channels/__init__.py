"""The transports applicants and staff reach the bot through.

`telegram/` (applicants, the officers' group, the admins' commands), `whatsapp/` (applicants
over the Cloud API) and `terminal` (local chat); `text` holds the helpers they share. A
channel may import the core, the features, delivery, storage and settings, but never another
channel except through `text`.
"""

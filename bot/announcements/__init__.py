"""Announcements to applicants who opted in.

Subscribing, an admin's draft and its confirmation, and the restart-safe sender (`service`),
with the types storage and channels share (`vocabulary`). May import `bot.core` (which never
imports it back: subscribing is core vocabulary, `bot.core.subscribing`); channels come
in as `Broadcaster`s and storage as an `AnnouncementRecords`, so no transport, ORM, storage or
channel import here.
"""

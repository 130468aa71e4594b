"""Instagram (API with Instagram Login): direct messages and comments on the office's posts.

`entry` is its line in the root's channel list and `running` builds it: the /instagram route
(`webhook`) parses what Meta posts (`inbound`) into the durable inbox (`durable`); DMs and
echoes (`direct`, with the officer takeover) and comments (`comments`) are handled from there;
the outbox sends through `transport` with the Graph client (`api`), paced (`pacing`) and
rendered within Instagram's limits (`render`); officers' answers go back through `applicants`;
the ice breakers are set at start (`ice_breakers`); the office's approved posts are
published and their insights read through `publishing` (the platform `bot.publishing` uses).
Its tables (`tables`) and queries (`store`, `comment_store`) live here too. Never imports
another channel's code.
"""

"""Exactly-once delivery between the channels and the conversation.

The durable inbox (`intake`), the worker that handles stored updates and writes replies to the
outbox, with the senders and the no-database fallback (`pipeline`), and a reply on its way
(`outgoing`, a vocabulary module storage may import). May import `bot.core` and
`bot.storage`; never a channel.
"""

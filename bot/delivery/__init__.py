"""Exactly-once delivery between the channels and the conversation.

The durable inbox (`intake`), the worker that handles stored updates and writes replies to the
outbox, with the senders and the no-database fallback (`pipeline`), the replies a turn gathers
(`outgoing`), and the queue's records and the `Queue` role storage plays (`vocabulary`). May
import `bot.core` only: storage comes in as a `Queue`, and never a channel.
"""

"""Fakes of external services for tests and benchmarks (real HTTP on 127.0.0.1).

`fakes.telegram_api.FakeTelegram` is the Telegram Bot API; `fakes.loopback.LoopbackServer`
serves any ASGI app (e.g. the bot's own webhook endpoint) on a free loopback port.
"""

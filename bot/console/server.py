"""The console's ASGI app, mounted at `/admin` by `serve`."""

from __future__ import annotations

from starlette.applications import Starlette

from bot.console import web, web_content, web_kb, web_notices, web_voices
from bot.console.web import Console


def app(console: Console) -> Starlette:
    """Every console route."""
    return Starlette(
        routes=[
            *web.routes(console),
            *web_kb.routes(console),
            *web_voices.routes(console),
            *web_notices.routes(console),
            *web_content.routes(console),
        ]
    )

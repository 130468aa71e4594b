"""The conversation itself, with no transport and no database.

Turning an applicant's message into replies (`conversation`, `turns`; matching through
`knowledge`), everything the bot says (`replies`), redaction of personal data (`privacy`),
hand-over to officers (`escalation`), the outage notice (`notices`), office hours (`hours`),
the shared types and store protocols (`vocabulary`) and the errors (`errors`). May import
`knowledge` and `bot.announcements`; never a transport (telegram, httpx, starlette, uvicorn),
an ORM (sqlalchemy), storage, a channel or the runtime.
"""

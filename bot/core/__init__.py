"""The conversation itself, with no transport and no database.

Turning an applicant's message into replies (`conversation`, `turns`; matching through
`knowledge`), everything the bot says (`replies`), redaction of personal data (`privacy`),
hand-over to officers (`escalation`; what a message does to the applicant's ticket:
`ticket_step`), complaints and suggestions heard in questions (`complaints`), the outage notice
(`notices`), office hours (`hours`), opting in and out of announcements (`subscribing`), the
shared types and store protocols (`vocabulary`) and the errors (`errors`). May import only
`knowledge`; never a feature, a transport (telegram, httpx, starlette, uvicorn), an ORM
(sqlalchemy), storage, a channel or the runtime: what it needs from them comes in through the
roles it defines.
"""

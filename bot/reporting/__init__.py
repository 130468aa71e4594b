"""Reports for the office and the admins.

The office report (`python -m bot report`: HTML, Markdown, CSV), /laporan, the weekly digest,
the /statistik, /teratas and /belum_terjawab texts (`admin_text`) and the grouping of
unanswered questions (`clusters`); `vocabulary` holds the rows storage fills, `settings` what
the runtime hands in. May import `bot.core` and `knowledge`; the queries come in through the
roles it defines (`collect`, `digest`), and never a channel, storage or the runtime. Only
redacted text is ever shown.
"""

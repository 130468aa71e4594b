"""Reports for the office and the admins.

The office report (`python -m bot report`: HTML, Markdown, CSV), /laporan, the weekly digest,
the /statistik, /teratas and /belum_terjawab texts (`admin_text`) and the grouping of
unanswered questions (`clusters`); `vocabulary` holds the rows storage fills. May import
`bot.core`, `bot.storage` (the queries) and `knowledge`; never a channel. Only redacted text
is ever shown.
"""

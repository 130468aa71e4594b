"""The office's report: `python -m bot report` (HTML, Markdown, CSV), /laporan and the weekly
digest. Figures come from `bot.storage.report_queries`; only redacted text is ever shown."""

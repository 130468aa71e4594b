"""The admin console in the browser (issue 19): accounts and sessions, the overview, the
unanswered questions, the FAQ drafts, editing entries and the audit log, under `/admin/`.

The logic (`auth`, `kb_file`, `editing`, `drafts`, `overview`, and for Konten, the week's
Instagram posts (issue 20), `studio` with `content_form` and `content_drawing`) is plain
Python over the roles in `vocabulary`; the pages are HTML built in `pages*` and served by
`web` and `web_*` (Starlette), the only modules that speak HTTP. Settings are handed in by
the runtime (`settings`).
"""

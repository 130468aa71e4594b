"""Running the bot: the composition root, the processes, the command line and settings.

`app` (a package) is the composition root, the only place that builds concrete classes;
`runners` runs the processes it builds (chat, Telegram polling, webhook server); `cli` the
command line; `config` the settings from the environment; `logs`,
`webhook` (the HTTP server: /telegram, /whatsapp, /healthz), `http_guard`, `health`,
`channel_start`, `purge`, `evaluate` and `calibrate`. The outermost layer: it may import every
other package, and nothing outside it imports it except `bot.__main__`: what a channel or a
feature needs from the settings is handed to it.
"""

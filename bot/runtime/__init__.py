"""Running the bot: the composition root, the processes, the command line and settings.

`app` (a package) is the composition root, the only place that builds concrete classes;
`runners` runs the processes it builds (chat, Telegram polling, webhook server); `cli` the
command line; `channels` the one list of channels; `config` the settings from the
environment; `logs`, `webhook` (the HTTP server: the channels' routes, /healthz),
`http_guard`, `health`, `purge`, `evaluate` and `calibrate`. The outermost layer: it may
import every other package, and nothing outside it imports it except `bot.__main__`: what a
channel or a feature needs from the settings is handed to it.
"""

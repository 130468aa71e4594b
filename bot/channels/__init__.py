"""The transports applicants and staff reach the bot through.

`telegram/` (applicants, the officers' group, the admins' commands), `whatsapp/` (applicants
over the Cloud API), `instagram/` (DMs and comments) and `terminal` (local chat); `text` holds
the helpers they share, `meta` what the two Meta channels share (the webhook's checks, the
Graph API's errors and retries), `contract` what a channel declares and is handed (`Channel`,
`ChannelParts`, `RunningChannel`), `starting` the start that retries an API that is down. A
channel package exports a `CHANNEL` that the root lists in `bot.runtime.channels`. A channel
may import the core, the features, delivery and storage, but never the runtime (its settings
are its own `settings` module, read through its `CHANNEL` and handed in) nor another channel
except through these shared modules.
"""

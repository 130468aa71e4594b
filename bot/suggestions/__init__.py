"""Proposing additions to faq.yaml and reviewing the drafts (`kb suggest`, `kb drafts`), and
learning wordings from people's "Maksud Anda…?" choices (`learning.py`, `learner.py`).

What to propose from the question log and answered tickets (`plan`, `rules`), writing it into
faq.yaml's text (`kb_yaml`), the command (`command`) and accepting or rejecting drafts
(`review`); `vocabulary` holds the records storage fills and the roles it plays, `settings`
what the runtime hands in. May import `bot.core`, `bot.reporting` (clustering) and
`knowledge`; never a channel, storage or the runtime.
"""

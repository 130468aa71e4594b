"""The weekly content kit (issue 20): Instagram carousels, captions, alt texts and stories made
from the knowledge base's answers to the topics applicants are stuck on this week.

`week` picks the topics from the report's figures (read through the report's role);
`wording` turns one entry into the words of a post (`PostText`) and checks edited words against
the limits; `brand` is the office on every slide (name, contact, colours, logo, hashtags);
`render` draws the words (sync CPU work: callers in an event loop use a thread) into a `Post`,
laid out by `layout` and `flow` in the typeface of `fonts`; `kit` makes a week's posts, `files`
writes them, `command` is `python -m bot content`. The values are in `vocabulary`, settings
come from the runtime (`settings`). May import `bot.core`, `bot.reporting` and `knowledge`,
never a channel, storage or the runtime.
"""

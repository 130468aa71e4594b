"""Publishing the office's approved posts and reading their reach (issue 20).

An approved post (its JPEG slides and caption) is scheduled through the `desk`, served to the
platform at expiring, unguessable links (`media`), published once by the background round
(`worker`, the platform's steps in `steps`), and its insights read for a few days after
(`insights`). The platform is a role (`vocabulary.Platform`) a channel plays (Instagram); the
records live in storage, which implements the roles in `vocabulary`. Imports no channel and
no storage.
"""

"""Instagram (API with Instagram Login): direct messages and comments on the office's posts.

The Graph client (`api`), incoming webhook payloads and their signature (`inbound`), rendering
replies within Instagram's limits (`render`) and its settings (`settings`). Never imports
another channel's code.
"""

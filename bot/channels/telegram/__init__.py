"""Telegram: applicants, the officers' group and the admins' commands.

Applicants' chats (`channel`, `render`), the officers' ticket desk (`staff`, `staff_text`), the
admins' commands (`admin`, `reports`, `announce`, `failed_admin`, behind `guard`), the
durable inbox (`durable`), the /telegram route (`webhook`, `running`); its settings
(`settings`) and its entry in the root's channel list (`entry`). Uses python-telegram-bot; never
imports WhatsApp code.
"""

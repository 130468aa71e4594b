"""Telegram: applicants, the officers' group and the admins' commands.

Applicants' chats (`channel`, `render`), the officers' ticket desk (`staff`, `staff_text`), the
admins' commands (`admin`, `reports`, `announce`, `whatsapp_admin`, behind `guard`) and the
durable inbox route (`durable`); its settings (`settings`). Uses python-telegram-bot; never
imports WhatsApp code.
"""

"""The test's side of the conversation: users and officers writing and pressing buttons.

Every method returns the injected update (a copy), with a global increasing update_id; message
ids continue the chat's counter shared with the bot's own messages.
"""

from __future__ import annotations

import copy
import itertools

from .loopback import Notifier
from .telegram_payloads import (
    command_entities,
    group_chat,
    human,
    inline_buttons,
    media,
    private_chat,
)
from .telegram_rules import Params
from .telegram_state import TelegramState, without_reply


class UpdateInjector:
    """Mixin of FakeTelegram; thread-safe, so a fake served from a thread can be fed too."""

    _state: TelegramState
    _changes: Notifier
    _file_numbers: itertools.count[int]

    def add_group(self, chat_id: int, title: str, *, kind: str = "supergroup") -> Params:
        """Make a group known, so the bot may send to it before anyone speaks there."""
        with self._state.lock:
            chat = self._state.chats.setdefault(chat_id, group_chat(chat_id, title, kind))
            return copy.deepcopy(chat)

    def block(self, chat_id: int) -> None:
        """The user blocks the bot (or the bot is removed from the group): sends get 403."""
        with self._state.lock:
            self._state.blocked.add(chat_id)

    def user_says(
        self, user_id: int, text: str, *, first_name: str = "Budi", chat_id: int | None = None
    ) -> Params:
        """A private text message; a leading /command gets its bot_command entity."""
        fields: Params = {"text": text}
        if entities := command_entities(text):
            fields["entities"] = entities
        return self._private(user_id, first_name, chat_id, fields)

    def user_sends(
        self, user_id: int, kind: str, *, first_name: str = "Budi", chat_id: int | None = None
    ) -> Params:
        """A private non-text message: photo voice sticker document location contact video."""
        return self._private(user_id, first_name, chat_id, media(kind, next(self._file_numbers)))

    def user_presses(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        first_name: str = "Budi",
        check_button: bool = True,
    ) -> Params:
        """A press on an inline button of a message the bot sent in the user's private chat.

        With check_button, `data` must be on the message's current keyboard (a user cannot press
        anything else); pass False to simulate stale or forged callback data.
        """
        chat = user_id if chat_id is None else chat_id
        return self._press(chat, user_id, first_name, message_id, data, check_button)

    def group_says(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        first_name: str = "Petugas",
        reply_to_message_id: int | None = None,
        title: str = "Petugas Imigrasi Kalianda",
    ) -> Params:
        """A message in a (super)group, optionally replying to a stored message."""
        fields: Params = {"text": text}
        if entities := command_entities(text):
            fields["entities"] = entities
        with self._state.lock:
            chat = self._state.chats.setdefault(chat_id, group_chat(chat_id, title))
            if reply_to_message_id is not None:
                replied = self._state.stored(chat_id, reply_to_message_id)
                fields["reply_to_message"] = without_reply(replied)
            message = self._state.new_message(chat, human(user_id, first_name), fields)
            return self._push({"message": message})

    def group_presses(
        self,
        chat_id: int,
        user_id: int,
        message_id: int,
        data: str,
        *,
        first_name: str = "Petugas",
        check_button: bool = True,
    ) -> Params:
        return self._press(chat_id, user_id, first_name, message_id, data, check_button)

    def _private(
        self, user_id: int, first_name: str, chat_id: int | None, fields: Params
    ) -> Params:
        chat_id = user_id if chat_id is None else chat_id
        with self._state.lock:
            chat = self._state.chats.setdefault(chat_id, private_chat(chat_id, first_name))
            message = self._state.new_message(chat, human(user_id, first_name), fields)
            return self._push({"message": message})

    def _press(
        self, chat_id: int, user_id: int, first_name: str, message_id: int, data: str, check: bool
    ) -> Params:
        with self._state.lock:
            message = self._state.stored(chat_id, message_id)
            on_keyboard = [d for _, d in inline_buttons(message.get("reply_markup"))]
            if check and data not in on_keyboard:
                raise AssertionError(
                    f"message {message_id} in chat {chat_id} has no button {data!r};"
                    f" its callback data: {on_keyboard}"
                )
            query = self._state.open_callback(human(user_id, first_name), message, data)
            return self._push({"callback_query": query})

    def _push(self, payload: Params) -> Params:
        update = self._state.push_update(payload)
        self._changes.notify()
        return copy.deepcopy(update)

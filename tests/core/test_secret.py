"""A secret setting never shows itself, compares by value, and is refused when we chose it
too short."""

from __future__ import annotations

import pytest

from bot.core.errors import ConfigError
from bot.core.secret import MIN_CHOSEN_SECRET, Secret, chosen_secret

VALUE = "sangat-rahasia-sekali"


def test_a_secret_never_shows_its_value() -> None:
    secret = Secret(VALUE)
    assert repr(secret) == "Secret('**********')"
    assert str(secret) == repr(secret)
    assert f"{secret}" == repr(secret)
    assert VALUE not in repr([secret])
    assert secret.reveal() == VALUE


def test_a_secret_is_true_only_when_set() -> None:
    assert Secret(VALUE)
    assert not Secret("")


def test_secrets_compare_and_hash_by_value() -> None:
    assert Secret(VALUE) == Secret(VALUE)
    assert Secret(VALUE) != Secret(VALUE + "x")
    assert Secret(VALUE) != VALUE  # a plain string is not the secret
    assert hash(Secret(VALUE)) == hash(Secret(VALUE))
    assert len({Secret(VALUE), Secret(VALUE), Secret("lain-lagi")}) == 2


def test_a_chosen_secret_of_the_minimum_length_is_accepted() -> None:
    value = "k" * MIN_CHOSEN_SECRET
    assert MIN_CHOSEN_SECRET == 16
    assert chosen_secret({"X_TOKEN": value}, "X_TOKEN").reveal() == value


def test_an_unset_or_empty_chosen_secret_is_empty_not_refused() -> None:
    assert chosen_secret({}, "X_TOKEN") == Secret("")
    assert chosen_secret({"X_TOKEN": ""}, "X_TOKEN") == Secret("")


@pytest.mark.parametrize("length", [1, MIN_CHOSEN_SECRET - 1])
def test_a_short_chosen_secret_is_refused_naming_the_setting_not_the_value(length: int) -> None:
    value = "Q" * length
    with pytest.raises(ConfigError) as refused:
        chosen_secret({"X_TOKEN": value, "OTHER": "y" * 40}, "X_TOKEN")
    message = str(refused.value)
    assert message == f"X_TOKEN is too short: use at least {MIN_CHOSEN_SECRET} characters"
    assert value not in message


def test_the_named_setting_is_the_one_read() -> None:
    env = {"A_TOKEN": "a" * 20, "B_TOKEN": "b" * 20}
    assert chosen_secret(env, "B_TOKEN").reveal() == "b" * 20

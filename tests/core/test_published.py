"""Texts staff publish: redacted like everything kept, except the office's own contacts."""

from __future__ import annotations

import dataclasses

from bot.core.published import office_contacts, redact_published
from knowledge.entries import KnowledgeBase, Office

OFFICE_PHONE = "0721-123456"
OFFICE_WA = "0812-1111-2222"
OFFICE_EMAIL = "info@imigrasi-contoh.go.id"
APPLICANT_PHONE = "0813-9876-5432"
APPLICANT_NIK = "3201234567890001"


def test_without_public_contacts_everything_personal_is_redacted() -> None:
    text = f"Titipan: {APPLICANT_PHONE}, NIK {APPLICANT_NIK}."
    assert redact_published(text) == "Titipan: [TELEPON], NIK [NIK]."
    assert redact_published(text, ["", "  "]) == "Titipan: [TELEPON], NIK [NIK]."


def test_the_offices_contacts_stay_and_the_rest_around_them_is_redacted() -> None:
    text = f"Hubungi {OFFICE_PHONE} atau {OFFICE_EMAIL}; pemohon {APPLICANT_PHONE} menitip."
    kept = redact_published(text, [OFFICE_PHONE, OFFICE_EMAIL])
    assert kept == f"Hubungi {OFFICE_PHONE} atau {OFFICE_EMAIL}; pemohon [TELEPON] menitip."


def test_text_before_between_and_after_contacts_is_each_redacted() -> None:
    text = f"{APPLICANT_NIK} {OFFICE_WA} {APPLICANT_PHONE} {OFFICE_WA} {APPLICANT_NIK}"
    assert redact_published(text, [OFFICE_WA]) == f"[NIK] {OFFICE_WA} [TELEPON] {OFFICE_WA} [NIK]"


def test_a_contact_inside_a_longer_one_does_not_split_the_longer() -> None:
    # The longest contact is matched first: "0812-1111-2222" must not be cut at "0812-1111".
    text = f"WA {OFFICE_WA} ya"
    assert redact_published(text, ["0812-1111", OFFICE_WA]) == text


def test_contacts_are_matched_as_written_not_as_patterns() -> None:
    text = "Tel 0721.123456 atau 0721-123456"
    assert redact_published(text, ["0721.123456"]) == "Tel 0721.123456 atau [TELEPON]"


def test_text_without_any_contact_in_it_is_redacted_whole() -> None:
    assert redact_published(f"NIK {APPLICANT_NIK}", [OFFICE_PHONE]) == "NIK [NIK]"


def test_office_contacts_are_the_phone_whatsapp_and_email_that_are_set() -> None:
    kb = _kb(Office(phone=OFFICE_PHONE, email=OFFICE_EMAIL))
    assert office_contacts(kb) == (OFFICE_PHONE, OFFICE_EMAIL)
    full = dataclasses.replace(kb, office=Office(phone="1", whatsapp="2", email="3", address="4"))
    assert office_contacts(full) == ("1", "2", "3")
    assert office_contacts(_kb(Office())) == ()


def _kb(office: Office) -> KnowledgeBase:
    return KnowledgeBase(entries=(), office=office, national_contact="")

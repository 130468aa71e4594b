"""The office profile as applicants read it: the contact lines an answer lists, the footer
that ends every answer (the office's own numbers where it has them, else the national ones),
and the placeholders an answer is written with."""

from __future__ import annotations

from bot.core.replies import fill, footer, office_details
from knowledge.entries import KnowledgeBase, Office

FULL = Office(
    name="Kantor Imigrasi Kalianda",
    address="Jl. Lintas Sumatera 1",
    phone="0727-123",
    whatsapp="0812-000",
    email="kanim@example.go.id",
    instagram="@kanim",
    hours="Senin-Jumat 08.00-16.00",
    service_area="Lampung Selatan",
)


def kb(office: Office) -> KnowledgeBase:
    return KnowledgeBase(entries=(), office=office, national_contact="WhatsApp 0811-xxx")


def test_every_verified_contact_is_a_line_of_its_own() -> None:
    assert office_details(FULL) == (
        "Alamat: Jl. Lintas Sumatera 1\n"
        "Jam layanan: Senin-Jumat 08.00-16.00\n"
        "Telepon: 0727-123\n"
        "WhatsApp: 0812-000\n"
        "Email: kanim@example.go.id\n"
        "Instagram: @kanim"
    )
    assert office_details(Office(name="X", email="a@b.id")) == "Email: a@b.id"


def test_an_office_without_verified_contacts_says_so() -> None:
    expected = "Alamat, jam layanan dan nomor kontak kantor belum kami verifikasi."
    assert office_details(Office(name="X")) == expected


def test_the_footer_lists_the_offices_own_numbers_and_email() -> None:
    assert footer(kb(FULL)) == (
        "📞 Layanan pelanggan Kantor Imigrasi Kalianda: "
        "WhatsApp 0812-000, telepon 0727-123, email kanim@example.go.id"
    )
    only_mail = Office(name="Kanim", email="a@b.id")
    assert footer(kb(only_mail)) == "📞 Layanan pelanggan Kanim: email a@b.id"
    only_phone = Office(name="Kanim", phone="0727-1")
    assert footer(kb(only_phone)) == "📞 Layanan pelanggan Kanim: telepon 0727-1"
    assert footer(kb(Office(name="Kanim"))) == (
        "📞 Layanan pelanggan Ditjen Imigrasi: WhatsApp 0811-xxx"
    )


def test_placeholders_take_the_office_or_a_plain_default() -> None:
    text = "{office_name} melayani {service_area}.\n{office_details}"
    assert fill(text, kb(FULL)) == (
        f"Kantor Imigrasi Kalianda melayani Lampung Selatan.\n{office_details(FULL)}"
    )
    assert fill(text, kb(Office())) == (
        "kantor imigrasi melayani wilayah kerjanya.\n"
        "Alamat, jam layanan dan nomor kontak kantor belum kami verifikasi."
    )

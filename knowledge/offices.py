"""The office directory's vocabulary: offices, the kabupaten/kota they serve, and lookups.

Read from `offices.yaml` by `knowledge.office_file`; which office a message means is
`knowledge.residence`. An empty field means "not confirmed": the bot says "Tanya petugas".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from knowledge.entries import Office


@dataclass(frozen=True, slots=True)
class Area:
    """One kabupaten or kota, with the other ways people type its name."""

    name: str
    kind: str
    province: str
    short: tuple[str, ...] = ()

    @property
    def official(self) -> str:
        """ "Kabupaten Lampung Timur", "Kota Metro"."""
        return f"{self.kind.capitalize()} {self.name}"


@dataclass(frozen=True, slots=True)
class Unit:
    """A service point under an office (a UKK) that is not an office of its own."""

    name: str
    area: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class OfficeProfile:
    """One office: who it is, where it serves, and what is (not yet) confirmed about it."""

    id: str
    name: str
    office_class: str
    province: str
    serves: tuple[str, ...]
    address: str = ""
    hours: str = ""
    phone: str = ""
    whatsapp: str = ""
    email: str = ""
    instagram: str = ""
    website: str = ""
    services: tuple[str, ...] = ()
    quota_schedule: str = ""
    units: tuple[Unit, ...] = ()
    unconfirmed: str = ""
    sources: tuple[str, ...] = ()

    DETAIL_FIELDS = (
        "address",
        "hours",
        "phone",
        "whatsapp",
        "email",
        "instagram",
        "website",
        "services",
        "quota_schedule",
    )

    def missing(self) -> list[str]:
        """Names of the detail fields still empty, each answered with "Tanya petugas"."""
        return [name for name in self.DETAIL_FIELDS if not getattr(self, name)]

    @property
    def short_name(self) -> str:
        """The name people use: "Kantor Imigrasi Kalianda" for "… Kelas II Non TPI Kalianda"."""
        if not self.office_class:
            return self.name
        return " ".join(self.name.replace(self.office_class, " ").split())


@dataclass(frozen=True, slots=True)
class AreaChoice:
    """One button: the kabupaten/kota as people know it, and the office it leads to."""

    label: str
    office_id: str


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a message says the applicant lives, and the office serving that place."""

    office: OfficeProfile
    area: Area


@dataclass(frozen=True, slots=True)
class OfficeDirectory:
    """Every office and every kabupaten/kota it serves; built only from a checked file."""

    offices: tuple[OfficeProfile, ...]
    areas: tuple[Area, ...]
    version: str = ""
    # Every message looks its office up (up to three times): a national directory has ~150.
    _by_id: dict[str, OfficeProfile] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {office.id: office for office in self.offices})

    def get(self, office_id: str) -> OfficeProfile | None:
        """The office with this id, or None."""
        return self._by_id.get(office_id)

    def office_for(self, area: Area) -> OfficeProfile:
        """The one office serving `area` (the file check guarantees there is one)."""
        return next(
            office
            for office in self.offices
            if office.province == area.province and area.name in office.serves
        )

    def card(self, office: OfficeProfile) -> Office:
        """The office as answers fill it in (`{office_name}`, `{service_area}`, the contacts)."""
        served = [area.official for area in self.areas if area.name in office.serves]
        area_text = (
            served[0] if len(served) == 1 else ", ".join(served[:-1]) + " dan " + served[-1]
        )
        return Office(
            name=office.short_name,
            address=office.address,
            phone=office.phone,
            whatsapp=office.whatsapp,
            email=office.email,
            instagram=office.instagram,
            hours=office.hours,
            service_area=area_text if served else "",
        )

    def find(self, typed: str) -> OfficeProfile | None:
        """The office a person typed: as `office_named` reads it, or its official name."""
        found = office_named(self.names(), typed) or office_named(
            {office.id: office.name for office in self.offices}, typed
        )
        return self.get(found) if found is not None else None

    def names(self) -> dict[str, str]:
        """Each office's id and the name people use ("Kantor Imigrasi Kotabumi")."""
        return {office.id: office.short_name for office in self.offices}

    def choices(self) -> list[AreaChoice]:
        """Every kabupaten/kota as a button, in file order."""
        return [AreaChoice(area.name, self.office_for(area).id) for area in self.areas]


_TITLE = "kantorimigrasi"  # "Kantor Imigrasi Kotabumi" is also found by "kotabumi"


def office_named(names: Mapping[str, str], typed: str) -> str | None:
    """The id of the office a person typed: its id or the name people use, with or without
    "Kantor Imigrasi", in any case, spaced or not ("bandar-lampung", "Bandar Lampung",
    "bandarlampung", "Kantor Imigrasi Kalianda"); None when no office is called so. `names`
    is `OfficeDirectory.names()` (features are handed the mapping, not the directory)."""
    wanted = plain_key(typed)
    for office_id, name in names.items():
        name_key = plain_key(name)
        if wanted and wanted in {plain_key(office_id), name_key, name_key.removeprefix(_TITLE)}:
            return office_id
    return None


def plain_key(text: str) -> str:
    """Letters and digits only, lower case: "Bandar-Lampung" and "bandar lampung" are one."""
    return "".join(c for c in text.casefold() if c.isalnum())

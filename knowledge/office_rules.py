"""The rules an office directory must keep; every finding names its line.

Every kabupaten/kota of a province is served by exactly one office, office ids are unique, and
a name or short form stands for one kabupaten/kota only, so "which office" never has two
answers. Empty details are allowed: they mean "not confirmed" and are answered "Tanya petugas".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from knowledge.errors import Problem
from knowledge.offices import Area, OfficeDirectory, OfficeProfile, Unit
from knowledge.spelling import clean
from knowledge.validate import ID_PATTERN

# Where each mapping's keys sit in the file: kept inside the mapping under a key no YAML
# document can spell as a plain key, so every check can name a line without a second parse.
LINES = "\0lines"
KINDS = frozenset({"kabupaten", "kota"})
OFFICE = "kantor"
_DETAILS = ("address", "hours", "phone", "whatsapp", "email", "instagram", "website")
_LABELS = {
    "address": "alamat",
    "hours": "jam layanan",
    "phone": "telepon",
    "whatsapp": "WhatsApp",
    "email": "email",
    "instagram": "Instagram",
    "website": "situs web",
    "services": "layanan",
    "quota_schedule": "jadwal kuota",
}
_OFFICE_KEYS = frozenset(
    {"id", "name", "class", "province", "serves", "units", "unconfirmed", "sources"} | set(_LABELS)
)


@dataclass(slots=True)
class _Sink:
    """Collects errors for one file; `owner` is the office being read, if any."""

    path: str
    errors: list[Problem]
    owner: str | None = None

    def error(self, item: Any, name: str | None, message: str) -> None:
        kind = OFFICE if self.owner else "entri"
        problem = Problem(self.path, line_of(item, name), self.owner, name, message, kind)
        self.errors.append(problem)


def line_of(item: Any, name: str | None = None) -> int | None:
    """The line of `name` in a mapping read from the file, else the mapping's own line."""
    lines: Mapping[str, int] = item.get(LINES, {}) if isinstance(item, dict) else {}
    return lines.get(name or ".") or lines.get(".")


def check_directory(
    data: Any, path: str, errors: list[Problem], warnings: list[Problem]
) -> OfficeDirectory | None:
    """Convert the raw file, appending an error for each broken rule; None if there are any."""
    sink = _Sink(path, errors)
    if not isinstance(data, dict):
        errors.append(Problem(path, 1, None, None, "harus berisi 'provinces' dan 'offices'"))
        return None
    areas = _areas(sink, data)
    offices = _offices(sink, data, areas)
    _coverage(sink, areas, offices)
    warnings.extend(_unconfirmed(path, offices))
    if errors:
        return None
    return OfficeDirectory(tuple(o for o, _ in offices), tuple(a for a, _ in areas))


def _list(sink: _Sink, holder: Any, name: str, *, required: bool = True) -> list[Any]:
    value = holder.get(name) if isinstance(holder, dict) else None
    if value is None and not required:
        return []
    if not isinstance(value, list):
        sink.error(holder, name, "harus berupa daftar")
        return []
    return value


def _text(sink: _Sink, item: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = item.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        sink.error(item, name, "harus berupa teks" + (" yang tidak kosong" if required else ""))
        return ""
    return " ".join(value.split())


def _strings(sink: _Sink, item: dict[str, Any], name: str, *, minimum: int = 0) -> tuple[str, ...]:
    value = _list(sink, item, name, required=minimum > 0)
    if not all(isinstance(v, str) and v.strip() for v in value):
        sink.error(item, name, "harus berupa daftar teks")
        return ()
    if len(value) < minimum:
        sink.error(item, name, f"minimal {minimum} isi")
    return tuple(" ".join(v.split()) for v in value)


def _areas(sink: _Sink, data: dict[str, Any]) -> list[tuple[Area, dict[str, Any]]]:
    """Every kabupaten/kota of every province, each with the mapping it was read from."""
    found: list[tuple[Area, dict[str, Any]]] = []
    for province in _list(sink, data, "provinces"):
        if not isinstance(province, dict):
            sink.error(data, "provinces", "provinsi harus berupa mapping (name, areas)")
            continue
        name = _text(sink, province, "name", required=True)
        mine = [
            (area, item)
            for item in _list(sink, province, "areas")
            if (area := _area(sink, province, item, name)) is not None
        ]
        _names_unique(sink, name, mine)
        found.extend(mine)
    return found


def _area(sink: _Sink, province: dict[str, Any], item: Any, name: str) -> Area | None:
    if not isinstance(item, dict):
        sink.error(province, "areas", "kabupaten/kota harus berupa mapping (name, kind, short)")
        return None
    area = Area(
        name=_text(sink, item, "name", required=True),
        kind=_text(sink, item, "kind", required=True),
        province=name,
        short=_strings(sink, item, "short"),
    )
    if area.kind and area.kind not in KINDS:
        sink.error(item, "kind", "harus 'kabupaten' atau 'kota'")
    # Kept even when broken, so the rules after it do not report the same mistake again.
    return area


def compact(text: str) -> str:
    """A name as the finder compares it: cleaned, spaces dropped ("Way Kanan" = "waykanan")."""
    return "".join(clean(text).split())


def _names_unique(sink: _Sink, province: str, areas: list[tuple[Area, dict[str, Any]]]) -> None:
    """A name or short form stands for one kabupaten/kota, and never for the province alone
    ("Lampung" would send everyone from the province to one office)."""
    owner: dict[str, Area] = {}
    for area, item in areas:
        for field, text in [("name", area.name)] + [("short", s) for s in area.short]:
            key = compact(text)
            if not key:
                continue  # an empty name is reported where it is read
            if key == compact(province):
                sink.error(item, field, f"'{text}' hanya nama provinsi: terlalu umum")
            elif owner.setdefault(key, area) is not area:
                sink.error(item, field, f"'{text}' sudah dipakai untuk {owner[key].name}")


def _offices(
    sink: _Sink, data: dict[str, Any], areas: list[tuple[Area, dict[str, Any]]]
) -> list[tuple[OfficeProfile, dict[str, Any]]]:
    """Every office, each with the mapping it was read from, broken ones too (their areas are
    served, not missing); ids are unique."""
    known = {(area.province, area.name) for area, _ in areas}
    found: list[tuple[OfficeProfile, dict[str, Any]]] = []
    first_line: dict[str, int | None] = {}
    for item in _list(sink, data, "offices"):
        if not isinstance(item, dict):
            sink.error(data, "offices", "kantor harus berupa mapping (kunci: nilai)")
            continue
        office = _office(sink, item, known)
        if office.id in first_line:
            sink.error(item, "id", f"id ganda (sudah dipakai di baris {first_line[office.id]})")
        first_line.setdefault(office.id, line_of(item))
        found.append((office, item))
    sink.owner = None
    return found


def _office(sink: _Sink, item: dict[str, Any], known: set[tuple[str, str]]) -> OfficeProfile:
    """The office, each broken field recorded as an error and given a safe value: it is kept,
    so the areas it serves are not reported again as served by no office."""
    raw_id = item.get("id")
    sink.owner = raw_id if isinstance(raw_id, str) else None
    office_id = _identifier(sink, item)
    province = _text(sink, item, "province", required=True)
    serves = _served(sink, item, province, known)
    return OfficeProfile(
        id=office_id,
        name=_text(sink, item, "name", required=True),
        office_class=_text(sink, item, "class", required=True),
        province=province,
        serves=serves,
        **{name: _text(sink, item, name) for name in (*_DETAILS, "quota_schedule")},
        services=_strings(sink, item, "services"),
        units=_units(sink, item, serves),
        unconfirmed=_text(sink, item, "unconfirmed"),
        sources=_sources(sink, item),
    )


def _identifier(sink: _Sink, item: dict[str, Any]) -> str:
    """The office's id; a misspelt key is refused here, or its value would silently vanish."""
    for key in sorted(set(item) - _OFFICE_KEYS - {LINES}, key=str):
        sink.error(item, str(key), "kolom tidak dikenal")
    office_id = _text(sink, item, "id", required=True)
    if office_id and not ID_PATTERN.match(office_id):
        sink.error(item, "id", "harus huruf kecil, angka dan tanda '-' (mis. 'bandar-lampung')")
    return office_id


def _served(
    sink: _Sink, item: dict[str, Any], province: str, known: set[tuple[str, str]]
) -> tuple[str, ...]:
    serves = _strings(sink, item, "serves", minimum=1)
    for name in serves:
        if province and (province, name) not in known:
            sink.error(item, "serves", f"'{name}' bukan kabupaten/kota provinsi {province}")
    return serves


def _units(sink: _Sink, item: dict[str, Any], serves: tuple[str, ...]) -> tuple[Unit, ...]:
    units: list[Unit] = []
    for raw in _list(sink, item, "units", required=False):
        if not isinstance(raw, dict):
            sink.error(item, "units", "unit harus berupa mapping (name, area, note)")
            continue
        unit = Unit(
            name=_text(sink, raw, "name", required=True),
            area=_text(sink, raw, "area", required=True),
            note=_text(sink, raw, "note"),
        )
        if unit.area and unit.area not in serves:
            sink.error(raw, "area", f"'{unit.area}' tidak ada di 'serves' kantor ini")
        units.append(unit)
    return tuple(units)


def _sources(sink: _Sink, item: dict[str, Any]) -> tuple[str, ...]:
    sources = _strings(sink, item, "sources", minimum=1)
    for url in sources:
        if not url.startswith(("https://", "http://")):
            sink.error(item, "sources", f"'{url}' bukan alamat web (http/https)")
    return sources


def _coverage(
    sink: _Sink,
    areas: list[tuple[Area, dict[str, Any]]],
    offices: list[tuple[OfficeProfile, dict[str, Any]]],
) -> None:
    """Each kabupaten/kota is served by exactly one office."""
    served_by: dict[tuple[str, str], str] = {}
    for office, item in offices:
        sink.owner = office.id
        for name in office.serves:
            other = served_by.setdefault((office.province, name), office.id)
            if other != office.id:
                sink.error(item, "serves", f"'{name}' sudah dilayani kantor '{other}'")
    sink.owner = None
    for area, item in areas:
        if (area.province, area.name) not in served_by:
            sink.error(item, "name", f"{area.official} belum dilayani kantor mana pun")


def _unconfirmed(path: str, offices: list[tuple[OfficeProfile, dict[str, Any]]]) -> list[Problem]:
    """One warning per office with empty details: usable, each answered "Tanya petugas"."""
    warnings: list[Problem] = []
    for office, item in offices:
        missing = [_LABELS[name] for name in office.missing()]
        if missing:
            message = f"belum terkonfirmasi (dijawab 'Tanya petugas'): {', '.join(missing)}"
            warnings.append(Problem(path, line_of(item), office.id, None, message, OFFICE))
        if missing and not office.unconfirmed:
            message = "ada kolom kosong: tulis di 'unconfirmed' apa yang belum terkonfirmasi"
            warnings.append(Problem(path, line_of(item), office.id, None, message, OFFICE))
    return warnings

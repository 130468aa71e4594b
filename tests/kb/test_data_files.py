"""The data files in knowledge/data as the code reads them: comments and the header line
skipped, cells trimmed, every map merged, the calibration model's TSV read back
exactly as `Model.rows` writes it. The caches are cleared first so the files are read here."""

from __future__ import annotations

from importlib import resources

import pytest

from knowledge import calibration, text
from knowledge.calibration import FEATURES, Model, parse


def rows_of(name: str) -> list[list[str]]:
    """The data rows of a TSV file in knowledge/data, read plainly."""
    raw = resources.files("knowledge").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    return [[cell.strip() for cell in line.split("\t")] for line in lines[1:]]


@pytest.fixture(autouse=True)
def fresh() -> None:
    text.default_phrases.cache_clear()
    text.default_stems.cache_clear()
    calibration.shipped.cache_clear()


def test_stems_are_every_row_and_nothing_else() -> None:
    stems = text.default_stems()
    assert stems == {word: stem for word, stem in rows_of("stems.tsv")}
    assert stems["beberapa"] == "berapa"
    assert "word" not in stems  # the header


def test_every_country_makes_the_foreign_national_phrases() -> None:
    phrases = text.default_phrases()
    countries = [row[0] for row in rows_of("nationalities.tsv")]
    assert len(countries) > 20
    for country in countries:
        for word in ("wn", "wna", "warga negara", "warganegara", "orang", "bule", "turis"):
            assert phrases[f"{word} {country}"] == text.FOREIGNER
    assert "wn country" not in phrases


def test_every_regional_slang_and_domain_row_is_a_phrase() -> None:
    phrases = text.default_phrases()
    assert phrases["kk"] == "kartu keluarga"
    assert phrases["gmn"] == "bagaimana"
    for name in ("regional.tsv", "slang.tsv", "domain.tsv"):
        assert all(phrases[informal] == standard for informal, standard in rows_of(name))
    assert "informal" not in phrases  # the header


def test_the_shipped_model_is_the_file() -> None:
    model = calibration.shipped()
    file_rows = [
        "\t".join(row) for row in [["name", "answer", "help"], *rows_of("calibration.tsv")]
    ]
    assert model.rows() == file_rows
    assert (model.answer_cut, model.help_cut) == (0.70, 0.52)
    assert (model.long_answer_cut, model.long_help_cut) == (0.70, 0.60)


def test_a_model_reads_back_what_it_writes() -> None:
    model = Model(
        answer=tuple(0.5 + i for i in range(len(FEATURES) + 1)),
        help=tuple(-0.25 - i for i in range(len(FEATURES) + 1)),
        answer_cut=0.6,
        help_cut=0.3,
        long_answer_cut=0.65,
        long_help_cut=0.45,
    )
    assert parse("\n".join(["# a comment", "", *model.rows()])) == model


def test_an_older_file_still_reads() -> None:
    """A feature the file lacks weighs nothing; without long cut-offs the plain ones apply."""
    model = parse("name\tanswer\thelp\ncut\t0.7\t0.3\nbias\t-1.5\t2.5\ntop\t3\t4\n")
    assert model.answer[:2] == (-1.5, 3.0)
    assert model.help[:2] == (2.5, 4.0)
    assert set(model.answer[2:]) == set(model.help[2:]) == {0.0}
    assert len(model.answer) == len(model.help) == len(FEATURES) + 1
    assert (model.long_answer_cut, model.long_help_cut) == (0.7, 0.3)

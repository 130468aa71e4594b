"""The mutation score of `make mutate`, per package and overall, from `mutmut results`.

score = (killed + timeout) / (mutants - equivalent); the equivalent mutants are named, each
with its mutated line and its reason, in equivalent.txt beside this file, and counted as
equivalent only while `mutmut show` still prints that line for the name (an edit of the
function renumbers its mutants). Mutants not yet run are left out.
`--not-killed` prints instead the names of the mutants that no test caught (mutmut keeps a
verdict once given, so `make mutate` runs these again for tests added since).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

PACKAGES = ("knowledge", "bot.core", "bot.delivery")
COLUMNS = ("killed", "timeout", "survived", "no tests", "suspicious", "equivalent")
CAUGHT = {"killed", "timeout", "caught by type check"}
EQUIVALENT = Path(__file__).with_name("equivalent.txt")


def equivalent_lines(path: Path = EQUIVALENT) -> dict[str, str]:
    """Mutant name -> its mutated line, from each line that is not blank or a # comment."""
    rows = path.read_text(encoding="utf-8").splitlines()
    cells = (row.split("\t") for row in rows if row.strip() and not row.startswith("#"))
    return {cell[0]: cell[1] for cell in cells}


def mutated_line(mutmut: str, name: str, tries: int = 3) -> str:
    """The "+" lines of `mutmut show NAME`, stripped and joined as equivalent.txt has them
    (asked again if it printed nothing: a running `mutmut run` may be rewriting its files)."""
    for _ in range(tries):
        shown = subprocess.run([mutmut, "show", name], capture_output=True, text=True).stdout
        added = [line for line in shown.splitlines() if line[:1] == "+" and line[:3] != "+++"]
        if added:
            break
    return " / ".join(line[1:].strip() for line in added)


def equivalent_names(mutmut: str, found: dict[str, str]) -> set[str]:
    """The listed mutants whose line still matches; the others are named on stdout."""
    listed = equivalent_lines()
    if unknown := sorted(listed.keys() - found.keys()):
        print(f"equivalent.txt names mutants that no longer exist: {', '.join(unknown)}")
    moved = sorted(n for n in listed.keys() & found.keys() if mutated_line(mutmut, n) != listed[n])
    if moved:
        print(f"equivalent.txt lines no longer match (renumbered?): {', '.join(moved)}")
    return set(listed) - set(unknown) - set(moved)


def statuses(mutmut: str) -> dict[str, str]:
    """Every mutant's status, as `mutmut results --all true` prints them."""
    done = subprocess.run(
        [mutmut, "results", "--all", "true"], capture_output=True, text=True, check=True
    )
    pairs = (line.strip().rsplit(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    return {name: status for name, status in pairs}


def tally(found: dict[str, str], equivalent: set[str]) -> dict[str, Counter[str]]:
    """Counts per package (and "overall") by column; a mutant the type checker caught is
    counted killed."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in (*PACKAGES, "overall")}
    for name, status in found.items():
        if status == "not checked":
            continue
        column = "equivalent" if name in equivalent else status
        column = "killed" if column == "caught by type check" else column
        package = next((p for p in PACKAGES if name.startswith(f"{p}.")), None)
        for key in ("overall",) if package is None else (package, "overall"):
            counts[key][column] += 1
    return counts


def score(counts: Counter[str]) -> float:
    counted = sum(counts.values()) - counts["equivalent"]
    return (counts["killed"] + counts["timeout"]) / counted if counted else 0.0


def main() -> None:
    args = sys.argv[1:]
    mutmut = next((arg for arg in args if not arg.startswith("--")), "mutmut")
    found = statuses(mutmut)
    equivalent = equivalent_names(mutmut, found)
    if "--not-killed" in args:
        again = {"survived", "no tests", "suspicious"}
        print(" ".join(n for n, s in found.items() if s in again and n not in equivalent))
        return
    print(f"{'package':<14}" + "".join(f"{c:>12}" for c in COLUMNS) + f"{'score':>9}")
    for package, counts in tally(found, equivalent).items():
        cells = "".join(f"{counts[c]:>12}" for c in COLUMNS)
        print(f"{package:<14}{cells}{score(counts):>9.1%}")


if __name__ == "__main__":
    main()

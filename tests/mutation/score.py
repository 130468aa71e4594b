"""The mutation score of `make mutate`, per package and overall, from `mutmut results`.

score = (killed + timeout) / (mutants - equivalent); the equivalent mutants are named, each
with its reason, in equivalent.txt beside this file. Mutants not yet run are left out.
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


def equivalent_names(path: Path = EQUIVALENT) -> set[str]:
    """Mutant names, the first word of each line that is not blank or a # comment."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}


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
    equivalent = equivalent_names()
    found = statuses(mutmut)
    if "--not-killed" in args:
        again = {"survived", "no tests", "suspicious"}
        print(" ".join(n for n, s in found.items() if s in again and n not in equivalent))
        return
    if unknown := sorted(equivalent - found.keys()):
        print(f"equivalent.txt names mutants that no longer exist: {', '.join(unknown)}")
    print(f"{'package':<14}" + "".join(f"{c:>12}" for c in COLUMNS) + f"{'score':>9}")
    for package, counts in tally(found, equivalent).items():
        cells = "".join(f"{counts[c]:>12}" for c in COLUMNS)
        print(f"{package:<14}{cells}{score(counts):>9.1%}")


if __name__ == "__main__":
    main()

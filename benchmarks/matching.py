"""Matching latency on the real KB (short and long real-style messages) and at 10,000 entries.

Run alone with `python -m benchmarks.matching`; `python -m benchmarks` includes it.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.kbgen import generate
from knowledge.loader import load
from knowledge.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
DEV, LONG = EVAL / "dev.tsv", EVAL / "dev-long.tsv"
LONG_CHARS = 600
# Written for the bench: the long shape (greeting, story, question, thanks) when the shared
# long set is absent.
LONG_SAMPLE = (
    "Assalamualaikum bapak ibu petugas, mohon maaf mengganggu. Saya tinggal di Sukadana "
    "Lampung Timur, kemarin sudah isi data di aplikasi M-Paspor sampai selesai dan sudah dapat "
    "kode billing, tapi waktu mau bayar lewat ATM ternyata tulisannya kode tidak ditemukan, "
    "padahal belum lewat dua jam. Sudah saya coba dua kali di mesin yang berbeda. Apakah "
    "kodenya harus dibuat ulang atau saya harus datang langsung ke kantor imigrasi Kalianda? "
    "Soalnya jadwal kedatangan saya minggu depan. Terima kasih banyak atas bantuannya 🙏"
)


def _column(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t")[0] for line in lines if line.strip()]


def queries(matcher: Matcher) -> list[str]:
    """Dev questions when present, else the KB's own examples; both informal and formal."""
    if DEV.exists():
        return _column(DEV)
    return [q for e in matcher.kb.entries for q in e.questions]


def long_queries() -> list[str]:
    """Real-style long messages, up to 600 characters."""
    texts = _column(LONG) if LONG.exists() else [LONG_SAMPLE]
    return [t[:LONG_CHARS] for t in texts]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency(matcher: Matcher, texts: list[str], rounds: int) -> tuple[float, float]:
    for text in texts:  # warm the caches as a running bot would have them
        matcher.rank(text)
    samples: list[float] = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            matcher.rank(text)
            samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 0.5), percentile(samples, 0.99)


def report(real: Matcher) -> None:
    """Print the matching figures with their targets."""
    texts, longer = queries(real), long_queries()
    p50, p99 = latency(real, texts, rounds=5)
    size = len(real.kb.entries)
    print(
        f"real KB ({size} entries): match p50 {p50:.3f} ms, p99 {p99:.3f} ms"
        "   [target p99 <= 2 ms]"
    )
    p50, p99 = latency(real, longer, rounds=5)
    print(
        f"real KB, long messages (<= {LONG_CHARS} chars, {len(longer)}): match p50 {p50:.3f} ms,"
        f" p99 {p99:.3f} ms   [target p99 <= 2 ms]"
    )
    started = time.perf_counter()
    large = Matcher(generate(real.kb, 10_000))
    build = time.perf_counter() - started
    p50, p99 = latency(large, texts + longer, rounds=1)
    print(
        f"generated KB (10,000 entries, index built in {build:.1f} s): match p50 {p50:.3f} ms, "
        f"p99 {p99:.3f} ms   [target p99 <= 10 ms]"
    )


if __name__ == "__main__":
    report(Matcher(load(ROOT / "faq.yaml")))

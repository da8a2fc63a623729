"""Throughput of the fact extractor on one core, over the development-set observations.

Run as `python bench/extraction.py` or `python -m bench.extraction` from the repository root.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # allow `python bench/extraction.py` without installing

from contacts.extraction import extract, taxonomy_from_seed  # noqa: E402

DEVSET = ROOT / "tests" / "contacts" / "extraction_devset.jsonl"
WARM_UP_SECONDS = 1.0
TIMED_SECONDS = 5.0


def main() -> None:
    with DEVSET.open(encoding="utf-8") as lines:
        examples = [json.loads(line) for line in lines if line.strip()]
    observations = [(e["text"], date.fromisoformat(e["noted_on"])) for e in examples]
    # Notes are often several remarks in one: mix single lines with three-line composites.
    observations += [
        (" ".join(observations[i + k][0] for k in range(3)), observations[i][1])
        for i in range(0, len(observations) - 2, 7)
    ]
    taxonomy = taxonomy_from_seed()

    def run_for(seconds: float) -> tuple[int, float]:
        done = 0
        started = time.perf_counter()
        while True:
            for text, noted_on in observations:
                extract(text, noted_on=noted_on, taxonomy=taxonomy)
            done += len(observations)
            elapsed = time.perf_counter() - started
            if elapsed >= seconds:
                return done, elapsed

    run_for(WARM_UP_SECONDS)
    done, elapsed = run_for(TIMED_SECONDS)
    mean_chars = sum(len(text) for text, _ in observations) / len(observations)
    print(f"observations: {len(observations)} distinct, mean {mean_chars:.0f} characters")
    print(f"throughput: {done / elapsed:,.0f} observations/second (one core, {elapsed:.1f} s)")
    print(f"mean: {elapsed / done * 1e6:.1f} µs per observation")


if __name__ == "__main__":
    main()

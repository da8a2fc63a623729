"""Throughput of the fact extractor on one core, over the development-set observations.

Run as `python bench/extraction.py` or `python -m bench.extraction` from the repository root;
`--observations FILE` reads another JSON-lines file of {"text", "noted_on"} (so two versions
of the extractor can be timed on the same notes) and `--rounds N` sets the alternations.

On a shared or throttled machine a figure in observations per second says as much about the
machine as about the extractor, so the bench also times a floor on the same observations
and prints the ratio. The floor is the work no extractor can skip: lower-casing the note,
splitting it into sentences and finding its words with one regular expression each. The
rounds alternate extractor and floor, so a load that comes and goes touches both; the
figures are the median of the rounds, and the best round shows what the extractor does when
nothing else wants the core.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # allow `python bench/extraction.py` without installing

from contacts.extraction import extract, taxonomy_from_seed  # noqa: E402

DEVSET = ROOT / "tests" / "contacts" / "extraction_devset.jsonl"
WARM_UP_SECONDS = 1.0
ROUND_SECONDS = 1.5
_SENTENCE = re.compile(r"[^.!?;\n]+")
_WORD = re.compile(r"[^\W_]+")

Observation = tuple[str, date]


def load_observations(path: Path) -> list[Observation]:
    with path.open(encoding="utf-8") as lines:
        examples = [json.loads(line) for line in lines if line.strip()]
    observations = [(e["text"], date.fromisoformat(e["noted_on"])) for e in examples]
    # Notes are often several remarks in one: mix single lines with three-line composites.
    observations += [
        (" ".join(observations[i + k][0] for k in range(3)), observations[i][1])
        for i in range(0, len(observations) - 2, 7)
    ]
    return observations


def floor_pass(text: str) -> int:
    """Lower-case, split into sentences, find the words: the least any extractor does."""
    return sum(len(_WORD.findall(sentence)) for sentence in _SENTENCE.findall(text.lower()))


def run_for(
    seconds: float, observations: list[Observation], work: Callable[[Observation], object]
) -> float:
    """Observations per second of `work`, repeated over `observations` for `seconds`."""
    done = 0
    started = time.process_time()
    while True:
        for observation in observations:
            work(observation)
        done += len(observations)
        elapsed = time.process_time() - started
        if elapsed >= seconds:
            return done / elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=Path, default=DEVSET)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=ROUND_SECONDS, help="per round and side")
    arguments = parser.parse_args(argv)
    observations = load_observations(arguments.observations)
    taxonomy = taxonomy_from_seed()

    def extractor(observation: Observation) -> object:
        return extract(observation[0], noted_on=observation[1], taxonomy=taxonomy)

    def floor(observation: Observation) -> object:
        return floor_pass(observation[0])

    run_for(WARM_UP_SECONDS, observations, extractor)
    run_for(WARM_UP_SECONDS / 4, observations, floor)
    mean_chars = sum(len(text) for text, _ in observations) / len(observations)
    print(f"observations: {len(observations)} distinct, mean {mean_chars:.0f} characters")
    rates: list[float] = []
    ratios: list[float] = []
    for number in range(1, max(1, arguments.rounds) + 1):
        rate = run_for(arguments.seconds, observations, extractor)
        floor_rate = run_for(arguments.seconds, observations, floor)
        rates.append(rate)
        ratios.append(floor_rate / rate)
        print(
            f"round {number}: extractor {rate:,.0f}/s, floor {floor_rate:,.0f}/s, "
            f"extractor {floor_rate / rate:.1f}x the floor's time"
        )
    rate = statistics.median(rates)
    print(
        f"throughput: {rate:,.0f} observations/second (one core, CPU time, median; "
        f"best round {max(rates):,.0f})"
    )
    print(f"mean: {1e6 / rate:.1f} µs per observation")
    print(
        f"ratio to the floor (lower-case, sentences, words): {statistics.median(ratios):.1f}x "
        f"(spread {min(ratios):.1f}-{max(ratios):.1f} over {len(ratios)} rounds)"
    )


if __name__ == "__main__":
    main()

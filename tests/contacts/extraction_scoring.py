"""Scoring the fact extractor against its labelled sets.

The development set (`extraction_devset.jsonl`) is what the extractor is tuned on; the test set
(`extraction_testset.jsonl`) is held back: its notes were written and labelled by hand before
the extractor ever read them, and they are not used for tuning, so the gap between the two
figures shows how far the extractor is fitted to its own examples.

A predicted fact matches a gold fact when the kind, whose fact it is (`person`, absent for
the contact) and every field of its kind are equal (docs/facts.md), except: a role_change
`title` is compared case-insensitively, and a milestone `label` matches when, ignoring case
and filler words, at least half of the shorter label's words occur in the other. Each gold
fact is matched at most once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from contacts.extraction import FACT_KINDS, Taxonomy, extract

DEVSET = Path(__file__).with_name("extraction_devset.jsonl")
TESTSET = Path(__file__).with_name("extraction_testset.jsonl")
_FILLER = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "our",
        "their",
        "his",
        "her",
        "der",
        "die",
        "das",
        "des",
        "den",
        "dem",
        "for",
        "für",
    ]
)


@dataclass
class KindScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DevsetReport:
    per_kind: dict[str, KindScore] = field(default_factory=dict)
    overall: KindScore = field(default_factory=KindScore)
    language_correct: int = 0
    observations: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def language_accuracy(self) -> float:
        return self.language_correct / self.observations if self.observations else 1.0

    def table(self) -> str:
        lines = [f"{'kind':<12} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
        for kind in (*FACT_KINDS, "overall"):
            score = self.overall if kind == "overall" else self.per_kind.get(kind, KindScore())
            lines.append(
                f"{kind:<12} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} "
                f"{score.true_positives:5d} {score.false_positives:5d} "
                f"{score.false_negatives:5d}"
            )
        lines.append(
            f"language accuracy {self.language_accuracy:.3f} "
            f"({self.language_correct}/{self.observations} observations)"
        )
        return "\n".join(lines)


def load_labelled(path: Path = DEVSET) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _label_words(label: object) -> set[str]:
    words = {w for w in re.findall(r"[^\W_]+", str(label).lower()) if w not in _FILLER}
    return words


def facts_match(predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    if predicted.get("kind") != gold.get("kind"):
        return False
    if predicted.get("person") != gold.get("person"):
        return False
    for name, expected in gold.items():
        if name in {"kind", "sensitive", "person"}:
            continue
        actual = predicted.get(name)
        if name == "label":
            mine, theirs = _label_words(actual), _label_words(expected)
            if not mine or not theirs:
                return False
            if len(mine & theirs) / min(len(mine), len(theirs)) < 0.5:
                return False
        elif name == "title" and isinstance(actual, str) and isinstance(expected, str):
            if actual.casefold() != expected.casefold():
                return False
        elif actual != expected:
            return False
    return predicted.get("sensitive") == gold.get("sensitive")


def score(examples: Iterable[Mapping[str, Any]], taxonomy: Taxonomy) -> DevsetReport:
    report = DevsetReport()
    for example in examples:
        report.observations += 1
        result = extract(
            example["text"], noted_on=date.fromisoformat(example["noted_on"]), taxonomy=taxonomy
        )
        if result.language == example["language"]:
            report.language_correct += 1
        else:
            report.errors.append(f"LANG {result.language}: {example['text']}")
        predicted = [fact.as_json() for fact in result.facts]
        unmatched_gold = list(example["facts"])
        for fact in predicted:
            kind_score = report.per_kind.setdefault(str(fact["kind"]), KindScore())
            hit = next((g for g in unmatched_gold if facts_match(fact, g)), None)
            if hit is not None:
                unmatched_gold.remove(hit)
                kind_score.true_positives += 1
                report.overall.true_positives += 1
            else:
                kind_score.false_positives += 1
                report.overall.false_positives += 1
                report.errors.append(f"FP {fact}: {example['text']}")
        for gold in unmatched_gold:
            report.per_kind.setdefault(str(gold["kind"]), KindScore()).false_negatives += 1
            report.overall.false_negatives += 1
            report.errors.append(f"FN {gold}: {example['text']}")
    return report

"""The occasion registry: every module of this package that declares a `RULE` is an
occasion, found when the package is imported (docs/adding-an-occasion.md).

`OCCASIONS` maps each name to its rule, in the order of their weights (most important
first); the scan, the models' choices, the catalog's occasions and the explanations read it.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import MappingProxyType

from .base import (
    ContactsIn,
    FactsWhere,
    GiftPolicy,
    HitContext,
    OccasionRule,
    Prefilter,
    PrefilterQueries,
)


def _discover() -> dict[str, OccasionRule]:
    found: list[OccasionRule] = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        rule = getattr(module, "RULE", None)
        if isinstance(rule, OccasionRule):
            found.append(rule)
    names = [rule.name for rule in found]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise RuntimeError(f"occasions declared twice: {', '.join(sorted(duplicates))}")
    return {rule.name: rule for rule in sorted(found, key=lambda r: (-r.weight, r.name))}


OCCASIONS: MappingProxyType[str, OccasionRule] = MappingProxyType(_discover())


def occasion_rule(name: str) -> OccasionRule | None:
    return OCCASIONS.get(name)


__all__ = [
    "OCCASIONS",
    "ContactsIn",
    "FactsWhere",
    "GiftPolicy",
    "HitContext",
    "OccasionRule",
    "Prefilter",
    "PrefilterQueries",
    "occasion_rule",
]

"""The rules, one module each, with stable ids. :data:`ALL_RULES` lists them in id order."""

from __future__ import annotations

from typing import Dict, List, Type

from codemods.rules.db001_imports import ImportsRule
from codemods.rules.db002_models import ModelClassesRule
from codemods.rules.db003_properties import PropertiesRule
from codemods.rules.db004_values import ValueTypesRule
from codemods.rules.db005_keys import KeysRule
from codemods.rules.db006_entities import EntityMethodsRule
from codemods.rules.db007_batch import BatchFunctionsRule
from codemods.rules.db008_queries import QueriesRule
from codemods.rules.db009_mutable_queries import MutableQueriesRule
from codemods.rules.db010_gql import GqlRule
from codemods.rules.db011_transactions import TransactionsRule
from codemods.rules.db012_references import ReferencesRule
from codemods.rules.db013_capabilities import CapabilitiesRule
from codemods.rules.db014_timezones import TimezonesRule
from codemods.rules.db015_errors import ErrorsRule
from codemods.rules.db016_stubs import StubsRule
from codemods.rules.db017_other_apis import OtherApisRule
from codemods.rules.db018_testbed import LegacyTestbedRule

ALL_RULES: List[Type] = [
    ImportsRule, ModelClassesRule, PropertiesRule, ValueTypesRule, KeysRule, EntityMethodsRule,
    BatchFunctionsRule, QueriesRule, MutableQueriesRule, GqlRule, TransactionsRule, ReferencesRule,
    CapabilitiesRule, TimezonesRule, ErrorsRule, StubsRule, OtherApisRule, LegacyTestbedRule,
]

RULES_BY_ID: Dict[str, Type] = {rule.ID: rule for rule in ALL_RULES}


def select_rules(target: str, only=(), disable=()) -> List[Type]:
    """The rule classes for ``target``, restricted by ``only`` and ``disable`` (rule ids).

    Raises ValueError naming any unknown rule id.
    """
    unknown = sorted({r.upper() for r in [*only, *disable]} - set(RULES_BY_ID))
    if unknown:
        raise ValueError(f"unknown rule id(s): {', '.join(unknown)} (see `db2ndb list`)")
    chosen = [r for r in ALL_RULES if target in r.TARGETS]
    if only:
        wanted = {r.upper() for r in only}
        chosen = [r for r in chosen if r.ID in wanted]
    if disable:
        unwanted = {r.upper() for r in disable}
        chosen = [r for r in chosen if r.ID not in unwanted]
    return chosen

"""Options shared by every rule of one run (target, key partition, docs link)."""

from __future__ import annotations

from dataclasses import dataclass

TARGET_NDB = "ndb"
TARGET_COMPAT = "compat"
TARGETS = (TARGET_NDB, TARGET_COMPAT)

#: Where the TODO comments point. Every rule id has an anchor there (``#db007``).
DEFAULT_DOCS_URL = "docs/codemods.md"


@dataclass(frozen=True)
class RuleOptions:
    """Settings of one run, visible to every rule through the codemod context.

    ``key_partition`` is the prefix legacy ``str(key)`` put in front of the app
    id (``s~`` for most production apps, ``e~`` for some EU apps); converted
    code passes it to ``Key.to_legacy_urlsafe`` so URLs and stored strings keep
    their exact legacy form.
    """

    target: str = TARGET_NDB
    key_partition: str = "s~"
    docs_url: str = DEFAULT_DOCS_URL

    def docs_link(self, rule_id: str) -> str:
        """The documentation link a TODO of ``rule_id`` carries."""
        return f"{self.docs_url}#{rule_id.lower()}"

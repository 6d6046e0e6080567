"""DB015: legacy datastore exceptions."""

from __future__ import annotations

from codemods.framework.rule import Rule

_SAME = {
    "BadValueError": "exceptions.BadValueError", "BadArgumentError": "exceptions.BadArgumentError",
    "BadRequestError": "exceptions.BadRequestError", "BadQueryError": "exceptions.BadQueryError",
    "BadFilterError": "exceptions.BadFilterError", "Error": "exceptions.Error",
    "Rollback": "Rollback", "KindError": "KindError",
}
_ADVICE = {
    "Timeout": "google.api_core.exceptions.DeadlineExceeded (or RetryError with .cause)",
    "TransactionFailedError": "google.api_core.exceptions.Aborted / Conflict, or RetryError after the retries",
    "InternalError": "google.api_core.exceptions.InternalServerError",
    "NeedIndexError": "google.api_core.exceptions.FailedPrecondition",
    "NotSavedError": "a check of `entity.key is None` (ndb's `e.key` is None instead of raising)",
    "ReferencePropertyResolveError": "a check of `key.get() is None` (ndb returns None for a missing target)",
    "BadKeyError": "google.cloud.ndb.exceptions.BadArgumentError or BadValueError",
    "CommittedButStillApplying": "nothing: Cloud Datastore commits are strongly consistent",
    "QueryNotFoundError": "nothing: ndb queries raise no such error",
}


class ErrorsRule(Rule):
    """DB015 errors: legacy datastore exceptions.

        except db.BadValueError:          except ndb.exceptions.BadValueError:
        raise db.Rollback()               raise ndb.Rollback()
        except db.Timeout:                (TODO: google.api_core.exceptions.DeadlineExceeded ...)

    Errors without an ndb class (Timeout, TransactionFailedError,
    InternalError, NeedIndexError, NotSavedError, ...) surface in ndb as
    ``google.api_core.exceptions`` errors or ``RetryError``; each use gets a
    TODO naming the replacement and stays on the shim's class meanwhile.
    """

    TODOS = tuple(f"`db.{name}`: catch {advice}." for name, advice in _ADVICE.items())
    ID = "DB015"
    TITLE = "db / datastore_errors exceptions -> ndb.exceptions; the others flagged"
    HANDLES = frozenset({f"db.{n}" for n in [*_SAME, *_ADVICE]} | {f"datastore_errors.{n}" for n in [*_SAME, *_ADVICE]})

    def _rewrite(self, original_node, updated_node):
        for name in self.types.legacy_names(original_node):
            module, _, short = name.partition(".")
            if module not in ("db", "datastore_errors") or "." in short:
                continue
            if short in _SAME:
                self.converted()
                return self.ndb(_SAME[short])
            if short in _ADVICE:
                self.todo(f"`{module}.{short}` has no ndb class; catch {_ADVICE[short]}.")
        return updated_node

    def leave_Attribute(self, original_node, updated_node):
        return self._rewrite(original_node, updated_node)

    def leave_Name(self, original_node, updated_node):
        return self._rewrite(original_node, updated_node)

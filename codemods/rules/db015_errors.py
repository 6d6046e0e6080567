"""DB015: legacy datastore exceptions."""

from __future__ import annotations

from typing import List, Optional

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from codemods.framework.rule import Rule
from codemods.rules._common import code_of

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
    "BadKeyError": "ValueError, TypeError or google.protobuf.message.DecodeError (what ndb.Key(urlsafe=...) raises "
                   "for a malformed key; `except` clauses are converted to these)",
    "CommittedButStillApplying": "nothing: Cloud Datastore commits are strongly consistent",
    "QueryNotFoundError": "nothing: ndb queries raise no such error",
}


#: What ndb and the libraries under it raise where legacy raised these: what an ``except`` catches.
#: (``raise`` and other uses keep the one class of ``_SAME``.)
_CAUGHT = {
    # validation errors are ndb's BadValueError; a malformed cursor string (not base64, not ASCII) is a
    # plain ValueError (binascii.Error) from ndb.Cursor(urlsafe=...)
    "BadValueError": ("ndb.exceptions.BadValueError", "ValueError"),
    # a malformed encoded key: ndb.Key(urlsafe=...) raises binascii.Error / UnicodeEncodeError / ValueError
    # (bad base64, non-ASCII, an empty path, a kind that is not text), protobuf's DecodeError (bytes that are
    # no Reference) or TypeError (an empty string)
    # ... and ndb.KindError for a key of another kind given to a model's constructor (`Model(key=k)`)
    "BadKeyError": ("ValueError", "TypeError", "google.protobuf.message.DecodeError", "ndb.KindError"),
    # the datastore refused the request (e.g. a cursor string that decodes but is no cursor): gRPC
    # INVALID_ARGUMENT, raised by google-cloud-ndb as google.api_core's InvalidArgument; a nested
    # transaction: ndb_legacy.transaction raises ndb's BadRequestError as legacy did
    "BadRequestError": ("google.api_core.exceptions.InvalidArgument", "ndb.exceptions.BadRequestError"),
    # an argument legacy refused before any RPC that ndb sends on (a negative limit or offset from a URL):
    # the datastore refuses it with gRPC INVALID_ARGUMENT
    "BadArgumentError": ("ndb.exceptions.BadArgumentError", "google.api_core.exceptions.InvalidArgument"),
    # DB012 reads references through ndb_legacy.resolve() where this is caught: it raises the helper's class
    "ReferencePropertyResolveError": ("ndb_legacy.ReferencePropertyResolveError",),
    # an order on a name the model lacks: DB008's ndb_legacy.order_by() raises the helper's class
    "PropertyError": ("ndb_legacy.PropertyError",),
    # ndb_legacy.get/delete of an entity never put (plain ndb: `e.key` is None, no error: DB015 says so)
    "NotSavedError": ("ndb_legacy.NotSavedError",),
}
#: legacy errors the runtime helper raises under the same name (``raise``, ``isinstance`` ...)
_HELPER = {"ReferencePropertyResolveError": "ndb_legacy.ReferencePropertyResolveError",
           "NotSavedError": "ndb_legacy.NotSavedError",
           "PropertyError": "ndb_legacy.PropertyError",
           "ReservedWordError": "ndb_legacy.ReservedWordError"}
_IMPORTS = {"google.protobuf.message.": "google.protobuf.message", "google.api_core.exceptions.": "google.api_core.exceptions"}


class ErrorsRule(Rule):
    """DB015 errors: legacy datastore exceptions.

        raise db.Rollback()               raise ndb.Rollback()
        except db.KindError:              except ndb.KindError:
        except db.BadValueError:          except (ndb.exceptions.BadValueError, ValueError):
        except (db.BadKeyError, db.BadArgumentError):
                                          except (ValueError, TypeError, google.protobuf.message.DecodeError,
                                                  ndb.KindError, ndb.exceptions.BadArgumentError,
                                                  google.api_core.exceptions.InvalidArgument):
        except db.BadRequestError:        except (google.api_core.exceptions.InvalidArgument,
                                                  ndb.exceptions.BadRequestError):
        except db.ReferencePropertyResolveError:
                                          except ndb_legacy.ReferencePropertyResolveError:
        except db.ReservedWordError:      except ndb_legacy.ReservedWordError:
        except db.Timeout:                (TODO: google.api_core.exceptions.DeadlineExceeded ...)

    An ``except`` clause catches what ndb raises *in the situations legacy
    raised that error*: a malformed encoded key (``/thread/garbage`` in a
    URL) makes ``ndb.Key(urlsafe=...)`` raise ValueError (bad base64,
    non-ASCII, an empty path), protobuf's DecodeError or TypeError (an empty
    string) where db raised BadKeyError; a malformed cursor string is a
    ValueError where db raised BadValueError; the datastore refusing a
    request (a string that decodes but is no cursor) is google.api_core's
    InvalidArgument (ndb's BadRequestError only comes from a nested
    ``ndb_legacy.transaction``, as legacy's did), and so is an argument db
    refused with BadArgumentError before any RPC and ndb sends on (a
    negative ``fetch`` limit or offset); a reference read inside a
    ``try`` catching ReferencePropertyResolveError goes through
    ``ndb_legacy.resolve()`` (DB012), which raises the helper's class of that
    name; ``ndb_legacy``'s properties raise its ReservedWordError when a
    class defines a property under a name legacy reserved. So an app that answered 404
    or 400 for bad input still does. ``KindError`` stays ``ndb.KindError``:
    DB007 keeps legacy's kind check where a key comes from a string. Outside
    ``except`` (``raise``, ``isinstance``) the ndb class of the same name is
    used. Errors without an ndb class (Timeout, TransactionFailedError,
    InternalError, NeedIndexError, NotSavedError, ...) surface in ndb as
    ``google.api_core.exceptions`` errors or ``RetryError``; each use gets a
    TODO naming the replacement and stays on the shim's class meanwhile.
    """

    TODOS = tuple(f"`db.{name}`: catch {advice}." for name, advice in _ADVICE.items()) + (
        "`except db.NotSavedError`: ndb raises nothing for an entity never put (`e.key` is None); only "
        "ndb_legacy's get/delete raise ndb_legacy.NotSavedError.",
    )
    ID = "DB015"
    TITLE = "db / datastore_errors exceptions -> ndb.exceptions; the others flagged"
    HANDLES = frozenset({f"{m}.{n}" for m in ("db", "datastore_errors") for n in [*_SAME, *_ADVICE, *_HELPER]})

    # -- except clauses: what ndb raises in the same situations ----------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._caught: set = set()  # ids of the classes named by the except clause being visited

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        for element in _elements(node.type):
            if self._caught_as(element) is not None:
                self._caught.add(id(element))

    def _caught_as(self, node: cst.BaseExpression) -> Optional[tuple]:
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return None
        for name in self.types.legacy_names(node):
            module, _, short = name.partition(".")
            if module in ("db", "datastore_errors") and short in _CAUGHT:
                return _CAUGHT[short]
        return None

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler, updated_node: cst.ExceptHandler):
        originals = _elements(original_node.type)
        if not any(id(e) in self._caught for e in originals):
            return updated_node
        updated = _elements(updated_node.type)
        out: List[cst.BaseExpression] = []
        seen = set()
        for old, new in zip(originals, updated):
            targets = self._caught_as(old) if id(old) in self._caught else None
            self._caught.discard(id(old))
            replacements = [self._expression(t) for t in targets] if targets else [new]
            if targets:
                self.converted()
                if targets == _CAUGHT["NotSavedError"]:
                    self.todo("ndb raises nothing for an entity never put (`e.key` is None): only ndb_legacy's "
                              "get/delete raise ndb_legacy.NotSavedError; check `e.key is None` where db raised.")
            for item in replacements:
                text = code_of(item)
                if text not in seen:
                    seen.add(text)
                    out.append(item)
        if len(out) == 1 and not isinstance(original_node.type, cst.Tuple):
            return updated_node.with_changes(type=out[0])
        elements = [cst.Element(e, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if i < len(out) - 1
                                else cst.MaybeSentinel.DEFAULT) for i, e in enumerate(out)]
        tuple_node = cst.Tuple(elements=elements)
        whitespace = updated_node.whitespace_after_except
        if isinstance(whitespace, cst.SimpleWhitespace) and not whitespace.value:
            whitespace = cst.SimpleWhitespace(" ")
        return updated_node.with_changes(type=tuple_node, whitespace_after_except=whitespace)

    def _expression(self, dotted: str) -> cst.BaseExpression:
        if dotted.startswith(("ndb.", "ndb_legacy.")):
            return self.target(dotted)
        for prefix, module in _IMPORTS.items():
            if dotted.startswith(prefix):
                AddImportsVisitor.add_needed_import(self.context, module)
        return cst.parse_expression(dotted)

    # -- every other use -----------------------------------------------------------------------
    def _rewrite(self, original_node, updated_node):
        if id(original_node) in self._caught:
            return updated_node  # rewritten with its except clause
        for name in self.types.legacy_names(original_node):
            module, _, short = name.partition(".")
            if module not in ("db", "datastore_errors") or "." in short:
                continue
            if short in _SAME:
                self.converted()
                return self.ndb(_SAME[short])
            if short in _HELPER:
                self.converted()
                return self.target(_HELPER[short])
            if short in _ADVICE:
                self.todo(f"`{module}.{short}` has no ndb class; catch {_ADVICE[short]}.")
        return updated_node

    def leave_Attribute(self, original_node, updated_node):
        return self._rewrite(original_node, updated_node)

    def leave_Name(self, original_node, updated_node):
        return self._rewrite(original_node, updated_node)


def _elements(node: Optional[cst.BaseExpression]) -> List[cst.BaseExpression]:
    """The classes an ``except`` clause names: one expression or the items of a tuple."""
    if node is None:
        return []
    if isinstance(node, cst.Tuple):
        return [e.value for e in node.elements if not isinstance(e, cst.StarredElement)]
    return [node]

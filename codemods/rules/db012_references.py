"""DB012: ReferenceProperty dereferences and back-references."""

from __future__ import annotations

from typing import Any, Optional, Tuple

import libcst as cst

from codemods.analysis.inference import model_reference
from codemods.analysis.types import EntityT, KeyT, ModelClassT, QueryT
from codemods.framework.rule import Rule
from codemods.rules._common import arg, attr, call, is_simple, method, never_put, short


class ReferencesRule(Rule):
    """DB012 references: ReferenceProperty values are keys in ndb.

        comment.post.title                   comment.post.get().title
        comment.post.key()                   comment.post
        Comment.post.get_value_for_datastore(comment)
                                             comment.post
        comment.post = other_post            comment.post = other_post.key
        Comment(post=p)                      Comment(post=p.key)
        post.comments  (collection_name)     Comment.query(Comment.post == post.key)
        parent = node.up                     parent = node.up.get() if node.up else None
        return c.post                        return c.post.get() if c.post else None
        try:                                 try:
            name = dog.owner.name                name = ndb_legacy.resolve(dog.owner).name
        except db.ReferencePropertyResolveError:
                                             except ndb_legacy.ReferencePropertyResolveError:

    db dereferenced a ReferenceProperty on attribute access (raising
    ReferencePropertyResolveError when the target was gone; ``.get()``
    returns None instead) and added a back-reference query to the target
    class. Rewritten only where the entity's model is known. A reference
    read as a value (assigned, returned) is the entity, as in db (None for
    an unset reference). Inside a ``try`` that catches
    ReferencePropertyResolveError, reads go through ``ndb_legacy.resolve()``,
    which raises that error (ndb_legacy's class, DB015) for a missing entity.
    So is a reference passed to a function (``f(c.post)``), except to the
    legacy API (``db.get(c.post)``, ``q.filter('post =', c.post)``,
    ``Model(post=c.post)``, a method of an entity, key or query), which
    takes it as the Key it is now. An entity assigned to a reference
    becomes its key only when it is known to be of the referenced class
    and to have a key; any other value (another class, an entity never
    put, a value of unknown type) is assigned as it is:
    ``ndb_legacy.ReferenceProperty`` takes keys of any kind and entities,
    and refuses what db refused (KindError for an entity of another class,
    BadValueError for one never put), where its key would have been taken.
    """

    TODOS = (
        "An attribute of a referenced entity assigned through the reference (`c.post.title = t`): db changed "
        "the cached referenced entity; with ndb load it (`post = c.post.get()`), change it and `post.put()`.",
        "A back-reference whose referring model is not importable where it is used: "
        "`Referrer.query(Referrer.prop == entity.key)`.",
    )
    ID = "DB012"
    TITLE = "ReferenceProperty dereferences (e.ref.attr -> e.ref.get().attr), back-references -> queries"

    def _reference(self, node: cst.BaseExpression) -> Optional[Tuple[Any, Any]]:
        """(model, prop) if ``node`` is ``<entity>.<ReferenceProperty>``."""
        if not isinstance(node, cst.Attribute):
            return None
        owner = self.types.type_of(node.value)
        if not isinstance(owner, EntityT) or owner.model is None:
            return None
        model = self.types.model(owner.model)
        if model is None or not model.is_legacy:
            return None
        prop = model.properties.get(node.attr.value)
        if prop is None or not prop.is_reference:
            return None
        return model, prop

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute):
        # e.ref.attr -> e.ref.get().attr   (e.ref.key is left to the Call handler)
        if original_node.attr.value != "key" and self._reference(original_node.value) is not None:
            self.converted()
            if self._resolve_errors_caught(original_node):
                return updated_node.with_changes(value=call(self.helper("resolve"), [arg(updated_node.value)]))
            return updated_node.with_changes(value=method(updated_node.value, "get"))
        # back-reference: post.comment_set -> Comment.query(Comment.post == post.key)
        owner = self.types.type_of(original_node.value)
        if isinstance(owner, EntityT) and owner.model:
            model = self.types.model(owner.model)
            if model is not None and model.is_legacy and original_node.attr.value not in model.properties:
                backref = self.types.index.back_reference(model.qualname, original_node.attr.value)
                if backref is not None:
                    ref = model_reference(self.types, backref[0])
                    if ref is None:
                        self.todo(
                            f"`{short(original_node)}` is a back-reference: query the referring model, "
                            f"e.g. `{backref[0].rsplit('.', 1)[-1]}.query({backref[0].rsplit('.', 1)[-1]}.{backref[1]} == x.key)`."
                        )
                        return updated_node
                    self.converted()
                    ref_node = cst.parse_expression(ref)
                    comparison = cst.Comparison(
                        left=attr(ref_node, backref[1]),
                        comparisons=[cst.ComparisonTarget(operator=cst.Equal(), comparator=attr(updated_node.value, "key"))],
                    )
                    return method(cst.parse_expression(ref), "query", [arg(comparison)])
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        func = original_node.func
        # Model.ref.get_value_for_datastore(e) -> e.ref
        if isinstance(func, cst.Attribute) and func.attr.value == "get_value_for_datastore" and len(original_node.args) == 1:
            holder = func.value
            if isinstance(holder, cst.Attribute):
                model = self.types.model_class(holder.value)
                if model is not None and model.is_legacy:
                    prop = model.properties.get(holder.attr.value)
                    if prop is not None:
                        self.converted()
                        return attr(updated_node.args[0].value, holder.attr.value)
        # Model(ref=entity) -> Model(ref=entity.key)   (also handed on: assertRaises(E, Model, ref=entity))
        model = self.types.constructed_model(original_node)
        if model is not None and model.is_legacy:
            out, changed = [], False
            for original_arg, item in zip(original_node.args, updated_node.args):
                if item.keyword is not None:
                    prop = model.property_by_stored_name(item.keyword.value)
                    if prop is not None and prop.is_reference:
                        value_type = self.types.type_of(original_arg.value)
                        if isinstance(value_type, EntityT) and self._of_referenced_class(model, prop, value_type, original_arg.value):
                            item = item.with_changes(value=attr(item.value, "key"))
                            changed = True
                        # anything else (another class, never put, unknown) is passed as it is:
                        # ndb_legacy.ReferenceProperty takes keys and entities and refuses what db refused
                out.append(item)
            if changed:
                self.converted()
                return updated_node.with_changes(args=out)
        return updated_node

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign):
        target = original_node.targets[0].target if len(original_node.targets) == 1 else None
        if isinstance(target, cst.Attribute) and self._reference(target.value) is not None:
            self.todo(
                f"`{short(target)} = ...` changes the referenced entity: load it (`x = {short(target.value)}.get()`), "
                "change it and `x.put()`; ndb does not keep a dereferenced copy."
            )
            return updated_node
        # e.ref = other -> e.ref = other.key
        if len(original_node.targets) == 1 and self._reference(original_node.targets[0].target) is not None:
            value_type = self.types.type_of(original_node.value)
            holder = self._reference(original_node.targets[0].target)
            if (holder is not None and isinstance(value_type, EntityT)
                    and self._of_referenced_class(*holder, value_type, original_node.value)):
                self.converted()
                return updated_node.with_changes(value=attr(updated_node.value, "key"))
            return updated_node  # as it is: ndb_legacy.ReferenceProperty takes keys and entities as db did
        if self._reference(original_node.value) is not None:
            return updated_node.with_changes(value=self._entity(original_node.value, updated_node.value))
        return updated_node

    def _of_referenced_class(self, model, prop, value: EntityT, node: cst.BaseExpression) -> bool:
        """``node`` (of type ``value``) is an entity of the class ``model.prop`` references (or of a subclass).

        Its key is what db stored. An entity of another class (or of an
        unknown one), or one made right there without a key, is passed as it
        is: ``ndb_legacy.ReferenceProperty`` takes entities and raises
        KindError for another class and BadValueError for an incomplete key,
        as db did (its key alone would be taken: db took keys of any kind,
        and ``None`` for an entity never put).
        """
        if value.model is None or prop.reference is None or never_put(self.types, node):
            return False
        target = model.qualname if prop.reference == "<self>" else self.types.index.resolve(prop.reference)
        seen, todo = set(), [value.model]
        while todo:
            qualname = self.types.index.resolve(todo.pop())
            if qualname == target:
                return True
            found = self.types.model(qualname)
            if found is None or qualname in seen:
                continue
            seen.add(qualname)
            todo.extend(found.bases)
        return False

    def _entity(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        """A reference read as a value: ``e.ref.get() if e.ref else None`` (or ``ndb_legacy.resolve(e.ref)``)."""
        self.converted()
        if self._resolve_errors_caught(original) or not is_simple(updated):
            return call(self.helper("resolve"), [arg(updated)])
        return cst.IfExp(test=updated, body=method(updated, "get"), orelse=cst.Name("None"))

    def _resolve_errors_caught(self, node: cst.CSTNode) -> bool:
        """True if ``node`` is in the body of a ``try`` (of its function) catching ReferencePropertyResolveError."""
        parents = self.types.parents
        child, parent = node, parents.get(node)
        while parent is not None and not isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.Module)):
            if isinstance(parent, cst.Try) and child is parent.body:
                for handler in parent.handlers:
                    kinds = handler.type
                    for value in [e.value for e in kinds.elements] if isinstance(kinds, cst.Tuple) else [kinds]:
                        if value is not None and self.legacy(value, "db.ReferencePropertyResolveError",
                                                             "datastore_errors.ReferencePropertyResolveError"):
                            return True
            child, parent = parent, parents.get(parent)
        return False

    def leave_AugAssign(self, original_node: cst.AugAssign, updated_node):
        target = original_node.target
        if isinstance(target, cst.Attribute) and self._reference(target.value) is not None:
            self.todo(
                f"`{short(target)} ...=` changes the referenced entity: load it (`x = {short(target.value)}.get()`), "
                "change it and `x.put()`; ndb does not keep a dereferenced copy."
            )
        return updated_node

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg):
        # f(c.post) -> f(c.post.get() if c.post else None): db passed the entity, except to its own API
        if original_node.star or self._reference(original_node.value) is None:
            return updated_node
        holder = self.types.parents.get(original_node)
        if not isinstance(holder, cst.Call) or self._takes_keys(holder.func):
            return updated_node
        return updated_node.with_changes(value=self._entity(original_node.value, updated_node.value))

    def _takes_keys(self, func: cst.BaseExpression) -> bool:
        """A legacy API call (``db.get``, ``q.filter``, ``Model(...)``): it takes the reference as a key."""
        if isinstance(func, (cst.Name, cst.Attribute)) and self.types.legacy_names(func):
            return True
        if isinstance(self.types.type_of(func), ModelClassT):
            return True
        if isinstance(func, cst.Attribute):
            return isinstance(self.types.type_of(func.value), (QueryT, EntityT, KeyT, ModelClassT))
        return False

    def leave_Return(self, original_node: cst.Return, updated_node):
        if original_node.value is not None and self._reference(original_node.value) is not None:
            return updated_node.with_changes(value=self._entity(original_node.value, updated_node.value))
        return updated_node

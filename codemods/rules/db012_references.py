"""DB012: ReferenceProperty dereferences and back-references."""

from __future__ import annotations

import libcst as cst

from codemods.analysis.inference import model_reference
from codemods.analysis.types import EntityT, KeyT
from codemods.framework.rule import Rule
from codemods.rules._common import arg, attr, method, short


class ReferencesRule(Rule):
    """DB012 references: ReferenceProperty values are keys in ndb.

        comment.post.title                   comment.post.get().title
        comment.post.key()                   comment.post
        Comment.post.get_value_for_datastore(comment)
                                             comment.post
        comment.post = other_post            comment.post = other_post.key
        Comment(post=p)                      Comment(post=p.key)
        post.comments  (collection_name)     Comment.query(Comment.post == post.key)

    db dereferenced a ReferenceProperty on attribute access (raising
    ReferencePropertyResolveError when the target was gone; ``.get()``
    returns None instead) and added a back-reference query to the target
    class. Rewritten only where the entity's model is known; a reference used
    as a value (``x = comment.post``, passed or returned) gets a TODO since
    it is now a Key.
    """

    TODOS = (
        "A reference used as a value (`x = c.post`, returned): it is a Key now; add `.get()` where the entity is needed.",
        "A reference assigned or passed a value of unknown type: ndb.KeyProperty takes a Key (`entity.key`).",
        "An attribute of a referenced entity assigned through the reference (`c.post.title = t`): db changed "
        "the cached referenced entity; with ndb load it (`post = c.post.get()`), change it and `post.put()`.",
        "A back-reference whose referring model is not importable where it is used: "
        "`Referrer.query(Referrer.prop == entity.key)`.",
    )
    ID = "DB012"
    TITLE = "ReferenceProperty dereferences (e.ref.attr -> e.ref.get().attr), back-references -> queries"

    def _reference(self, node: cst.BaseExpression):
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
        # Model(ref=entity) -> Model(ref=entity.key)
        model = self.types.model_class(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
        if model is not None and model.is_legacy:
            out, changed = [], False
            for original_arg, item in zip(original_node.args, updated_node.args):
                if item.keyword is not None:
                    prop = model.property_by_stored_name(item.keyword.value)
                    if prop is not None and prop.is_reference:
                        value_type = self.types.type_of(original_arg.value)
                        if isinstance(value_type, EntityT):
                            item = item.with_changes(value=attr(item.value, "key"))
                            changed = True
                        elif not isinstance(value_type, KeyT) and not _is_none(original_arg.value):
                            self.todo(f"`{item.keyword.value}=`: ndb.KeyProperty takes a Key; pass `<entity>.key`.")
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
            if isinstance(value_type, EntityT):
                self.converted()
                return updated_node.with_changes(value=attr(updated_node.value, "key"))
            if not isinstance(value_type, KeyT) and not _is_none(original_node.value):
                self.todo("this ReferenceProperty is an ndb.KeyProperty now: assign a Key (`entity.key`).")
            return updated_node
        if self._reference(original_node.value) is not None:
            self.todo(f"`{short(original_node.value)}` is a Key in ndb (db loaded the entity): add `.get()` if you need the entity.")
        return updated_node

    def leave_AugAssign(self, original_node: cst.AugAssign, updated_node):
        target = original_node.target
        if isinstance(target, cst.Attribute) and self._reference(target.value) is not None:
            self.todo(
                f"`{short(target)} ...=` changes the referenced entity: load it (`x = {short(target.value)}.get()`), "
                "change it and `x.put()`; ndb does not keep a dereferenced copy."
            )
        return updated_node

    def leave_Return(self, original_node: cst.Return, updated_node):
        if original_node.value is not None and self._reference(original_node.value) is not None:
            self.todo(f"`{short(original_node.value)}` is a Key in ndb (db loaded the entity): add `.get()` if you need the entity.")
        return updated_node


def _is_none(node) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"

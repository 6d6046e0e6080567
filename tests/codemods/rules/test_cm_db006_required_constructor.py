"""DB006: a constructor call that leaves out a required property gets a TODO (db raised there; ndb at put())."""

from libcst.codemod import CodemodTest

from codemods.rules.db006_entities import EntityMethodsRule

MODELS = """
from google.appengine.ext import db

class Order(db.Model):
    sku = db.StringProperty(required=True, name='s')
    qty = db.IntegerProperty(required=True, default=1)
    tags = db.StringListProperty(required=True)
"""
TODO = ("    # TODO(db2ndb:DB006): `{call}` leaves out required sku: db's constructor raised "
        "BadValueError('Property ... is required'); ndb raises it at put(). See docs/codemods.md#db006\n")


class RequiredConstructorTest(CodemodTest):
    TRANSFORM = EntityMethodsRule

    def test_left_out_required_property(self) -> None:
        before = MODELS + """
def f(test, values):
    a = Order(qty=2)
    test.assertRaises(db.BadValueError, Order)
    b = Order(s='x')
    c = Order(**values)
    return a, b, c
"""
        after = MODELS + """
def f(test, values):
""" + TODO.format(call="Order(qty=2)") + """    a = Order(qty=2)
""" + TODO.format(call="Order()") + """    test.assertRaises(db.BadValueError, Order)
    b = Order(sku='x')
    c = Order(**values)
    return a, b, c
"""
        self.assertCodemod(before, after)

    def test_a_class_handed_to_a_property_is_no_constructor_call(self) -> None:
        code = MODELS + """
class Line(db.Model):
    order = db.ReferenceProperty(Order, collection_name='lines')
"""
        self.assertCodemod(code, code)

"""A legacy blog app as a package (Python 2): models, logic, request handling from URLs, extras.

Its modules import each other relatively (``from .models import *``), so the
conversion must resolve models across files. ``run`` observes every value the
three scenarios return, in order.
"""


def _observe_all(observe, prefix, results):
    for label, value in results.items():
        if prefix == 'urls' and label == 'author' and value:
            name, _, key = value.partition(' <')  # "Carol <urlsafe key>": the key compared decoded
            value = [name, key.rstrip('>')]
        observe('%s.%s' % (prefix, label), value)


def run(observe):
    from . import extras, logic, urls

    _observe_all(observe, 'logic', logic.scenario())
    _observe_all(observe, 'extras', extras.scenario())
    _observe_all(observe, 'urls', urls.scenario())

"""Python 2's text pickles, which fissix leaves behind and Python 3 stores or reads differently.

* ``pickle.dumps(value)`` without a protocol: Python 2 wrote protocol 0,
  ASCII text that apps stored in a ``TextProperty`` / ``StringProperty``
  (micolog's ``OptionSet``). Python 3's default protocol writes binary
  that a text property refuses ("expected valid UTF-8"), and the data
  already stored is protocol 0 anyway. The call gets Python 2's protocol:
  ``pickle.dumps(value, 0)``.
* ``pickle.loads(str(text))``: Python 2's ``str()`` turned the unicode read
  back from the datastore into the bytes ``loads`` wanted; Python 3's
  ``loads`` refuses a str. It becomes ``pickle.loads(str(text).encode("latin-1"))``
  (protocol 0 is ASCII plus ``raw-unicode-escape``, all within Latin-1).

``cPickle`` (renamed ``pickle`` by fissix) is matched too. Only files taken
as Python 2 get these repairs, and these calls are no signal for
:mod:`.detect`: Python 3 code calling ``pickle.dumps(x)`` means Python 3's
protocol.
"""

from __future__ import annotations

from typing import Any

from fissix import fixer_base, pytree
from fissix.fixer_util import Comma, Dot, LParen, Name, Number, RParen, String, syms, token


class FixPickleText(fixer_base.BaseFix):
    """``pickle.dumps(x)`` -> ``pickle.dumps(x, 0)``; ``pickle.loads(str(t))`` -> ``pickle.loads(str(t).encode("latin-1"))``."""

    BM_compatible = True
    PATTERN = """
    power< ('pickle' | 'cPickle') trailer< '.' method=('dumps' | 'loads') > trailer< '(' arg=any ')' > >
    """

    def transform(self, node, results):
        arg = results["arg"]
        if arg.type in (syms.arglist, syms.argument) or arg.type == token.STAR:
            return None  # keywords, several arguments, *args: a protocol may be given
        method = results["method"]
        if (method[0] if isinstance(method, list) else method).value == "dumps":
            arg.replace([arg.clone(), Comma(), Number("0", prefix=" ")])
            return None
        if _is_str_call(arg):
            method = pytree.Node(syms.trailer, [Dot(), Name("encode")])
            call = pytree.Node(syms.trailer, [LParen(), String('"latin-1"'), RParen()])
            arg.replace(pytree.Node(syms.power, [child.clone() for child in arg.children] + [method, call],
                                    prefix=arg.prefix))
        return None


def _is_str_call(node: Any) -> bool:
    """``str(x)``: a name ``str`` followed by one call trailer."""
    return (node.type == syms.power and len(node.children) == 2 and node.children[0].type == token.NAME
            and node.children[0].value == "str" and node.children[1].type == syms.trailer
            and node.children[1].children[0].value == "(")

"""Two Python 2 string-literal habits fissix leaves behind, which fail when the module is imported.

* **Inline regex flags in the middle of a pattern**: Python 2 applied
  ``re.compile(r'<title>(.*?)</title>(?i)')``'s ``(?i)`` to the whole
  pattern wherever it stood; Python 3.11 refuses it ("global flags not at
  the start of the expression"). The flags move to the front, which is what
  Python 2 did with them. Only literal patterns passed to ``re`` functions.
* **``'text'.decode('utf-8')`` on a str literal**: in Python 2 that turned a
  byte string into unicode; a Python 3 str has no ``decode``. The literal
  already is that text, so the call is dropped: for ASCII literals with any
  codec, and for other literals when the codec is the file's own encoding
  (the bytes Python 2 decoded are the ones the file holds).

Each is also a *signal* for :mod:`.detect`: a file that parses as Python 3
but has one is Python 2, and the fixer removes it (so a second run finds
nothing to do).
"""

from __future__ import annotations

import ast
import codecs
import io
import re
import tokenize
from typing import Any, Optional

from fissix import fixer_base
from fissix.fixer_util import token

#: ``re`` functions whose first argument is a pattern.
RE_FUNCTIONS = ("compile", "match", "search", "fullmatch", "findall", "finditer", "sub", "subn", "split", "template")
_FLAG_GROUP = re.compile(r"(?<!\\)\(\?([aiLmsux]+)\)")
_STRING_PREFIX = re.compile(r"^([A-Za-z]*)(['\"]{3}|['\"])")


def misplaced_flags(pattern: str) -> bool:
    """True if a global flag group such as ``(?i)`` stands anywhere but at the start."""
    rest = pattern
    while True:
        match = _FLAG_GROUP.match(rest)
        if match is None:
            break
        rest = rest[match.end():]
    return _FLAG_GROUP.search(rest) is not None


def flags_to_front(body: str) -> str:
    """``<title>(.*?)</title>(?i)`` -> ``(?i)<title>(.*?)</title>`` (every global flag group, merged)."""
    flags = "".join(dict.fromkeys("".join(_FLAG_GROUP.findall(body))))
    return f"(?{flags})" + _FLAG_GROUP.sub("", body)


def decodable_literal(value: str, body: str, codec: str, source_encoding: str) -> bool:
    """Does ``'value'.decode(codec)`` in Python 2 equal the Python 3 literal ``'value'``?

    ``body`` is the literal as written: a non-ASCII value must be written as
    the characters themselves (no ``\\x..`` escapes, which were bytes in
    Python 2) in a file whose encoding is the codec.
    """
    try:
        codec = codecs.lookup(codec).name
    except LookupError:
        return False
    if value.isascii():
        return codec not in ("utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "base64", "hex")
    return "\\" not in body and codec == codecs.lookup(source_encoding).name


# -- ast side (detection) -----------------------------------------------------------------


def regex_signal(node: ast.Call, source: str) -> bool:
    """``re.compile('...(?i)')``: a literal pattern (one string token) with its flags out of place."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr in RE_FUNCTIONS and isinstance(func.value, ast.Name)
            and func.value.id == "re" and node.args):
        return False
    pattern = node.args[0]
    if isinstance(pattern, ast.BinOp) and isinstance(pattern.op, ast.Mod):
        pattern = pattern.left
    return (isinstance(pattern, ast.Constant) and isinstance(pattern.value, str) and misplaced_flags(pattern.value)
            and _one_string_token(pattern, source))


def decode_signal(node: ast.Call, source: str) -> bool:
    """``'ascii text'.decode('utf-8')`` on one str literal: exactly what :class:`FixDecodeLiteral` removes."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "decode" and isinstance(func.value, ast.Constant)
            and isinstance(func.value.value, str) and func.value.value.isascii()):
        return False
    if node.keywords or len(node.args) > 2:
        return False
    codec = node.args[0] if node.args else None
    encoding = "ascii"
    if codec is not None:
        if not (isinstance(codec, ast.Constant) and isinstance(codec.value, str)):
            return False
        encoding = codec.value
    if not decodable_literal(func.value.value, "", encoding, "utf-8"):
        return False
    return _one_string_token(func.value, source)


def _one_string_token(node: ast.AST, source: str) -> bool:
    """Is the node written as a single string literal (not ``'a' 'b'``, not parenthesised)?"""
    segment = ast.get_source_segment(source, node)
    if segment is None:
        return False
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(segment).readline)
                  if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]
    except (tokenize.TokenError, SyntaxError):
        return False
    return len(tokens) == 1 and tokens[0].type == tokenize.STRING


# -- fissix side (fixing) -------------------------------------------------------------------


def _literal(leaf: Any) -> Optional[tuple]:
    """``(prefix, quote, body)`` of a STRING leaf, or None."""
    match = _STRING_PREFIX.match(leaf.value)
    if match is None or not leaf.value.endswith(match.group(2)):
        return None
    prefix, quote = match.groups()
    return prefix, quote, leaf.value[match.end(): len(leaf.value) - len(quote)]


class FixRegexFlags(fixer_base.BaseFix):
    """``re.X('...(?i)', ...)`` -> ``re.X('(?i)...', ...)``."""

    BM_compatible = True
    PATTERN = """
    power< 're' trailer< '.' ({}) > trailer< '(' args=any ')' > any* >
    """.format(" | ".join(f"'{name}'" for name in RE_FUNCTIONS))

    def transform(self, node, results):
        first = results["args"]
        if first.type == self.syms.arglist:
            first = first.children[0]
        if first.type in (self.syms.term, self.syms.arith_expr) and len(first.children) == 3:
            if first.children[1].type == token.PERCENT:
                first = first.children[0]
        if first.type != token.STRING:
            return None
        parts = _literal(first)
        if parts is None or "b" in parts[0].lower() or not misplaced_flags(parts[2]):
            return None
        prefix, quote, body = parts
        first.value = f"{prefix}{quote}{flags_to_front(body)}{quote}"
        first.changed()
        return None


class FixDecodeLiteral(fixer_base.BaseFix):
    """``'text'.decode('utf-8')`` -> ``'text'`` (where Python 2 gave that very text)."""

    BM_compatible = True
    PATTERN = """
    power< string=STRING trailer< '.' 'decode' > call=trailer< '(' [args=any] ')' > rest=any* >
    """

    def transform(self, node, results):
        string = results["string"]
        parts = _literal(string)
        if parts is None or set(parts[0].lower()) & {"b", "u"}:
            return None
        codec = self._codec(results.get("args"))
        try:
            value = ast.literal_eval(string.value)
        except (SyntaxError, ValueError):
            return None
        encoding = self.options.get("source_encoding", "utf-8")
        if codec is None or not decodable_literal(value, parts[2], codec, encoding):
            return None
        replacement = string.clone()
        rest = [n.clone() for n in results.get("rest", [])]
        if not rest:
            replacement.prefix = node.prefix
            return replacement
        new = node.clone()
        new.children = []
        for child in [replacement] + rest:
            new.append_child(child)
        new.prefix = node.prefix
        return new

    def _codec(self, args: Any) -> Optional[str]:
        if args is None:
            return "ascii"  # Python 2's default encoding
        first = args.children[0] if args.type == self.syms.arglist else args
        if first.type != token.STRING:
            return None
        if args.type == self.syms.arglist and len(args.children) > 3:
            return None  # errors= and more: keep the call
        try:
            value = ast.literal_eval(first.value)
        except (SyntaxError, ValueError):
            return None
        return value if isinstance(value, str) else None

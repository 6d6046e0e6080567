"""The websafe cursor type both the shim and db2ndb's output hand to applications."""

from __future__ import annotations


class WebsafeCursor(bytes):
    """A websafe cursor string: ``bytes`` (as the legacy SDK returns on Python 3) that formats as its text.

    Legacy ``query.cursor()`` returned Python 2's native ``str``, which apps
    formatted straight into links (``'/?cursor=%s' % c``) and templates.
    ``str(c)``, ``'%s' % c`` and ``'{}'.format(c)`` give the URL-safe base64
    text here too; everything else (comparison, ``isinstance(c, bytes)``,
    ``c.decode()``, passing it back to ``with_cursor``) is plain ``bytes``.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return self.decode("ascii")

    def __format__(self, format_spec: str) -> str:
        return format(self.decode("ascii"), format_spec)

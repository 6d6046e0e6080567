"""``db.create_config`` / ``db.create_transaction_options`` and the consistency and propagation constants.

A configuration is passed as ``config=`` to get, put, delete, queries and
transactions. ``deadline`` becomes the gRPC timeout of each call;
``read_policy=db.EVENTUAL_CONSISTENCY`` makes gets and queries eventually
consistent (not allowed inside a transaction, as in Cloud Datastore).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from compat.db.errors import ArgumentTypeError, BadArgumentError, ConfigurationOptionError

STRONG_CONSISTENCY = 0
EVENTUAL_CONSISTENCY = 1

NESTED = 1
MANDATORY = 2
ALLOWED = 3
INDEPENDENT = 4

_PROPAGATIONS = (NESTED, MANDATORY, ALLOWED, INDEPENDENT)


class Configuration:
    """RPC options: ``deadline`` (seconds), ``read_policy``, ``on_completion``."""

    __slots__ = ("deadline", "read_policy", "on_completion")

    def __init__(self, deadline: Optional[float] = None, read_policy: Optional[int] = None,
                 on_completion: Optional[Callable[[Any], Any]] = None) -> None:
        if deadline is not None and (not isinstance(deadline, (int, float)) or deadline <= 0):
            raise BadArgumentError("deadline argument should be int/long/float > 0 (%r)" % (deadline,))
        try:
            hash(read_policy)
        except TypeError as error:  # legacy looked it up in a set: TypeError for an unhashable value
            raise ArgumentTypeError("read_policy argument invalid (%r): %s" % (read_policy, error))
        if read_policy not in (None, STRONG_CONSISTENCY, EVENTUAL_CONSISTENCY):
            raise BadArgumentError("read_policy argument invalid (%r)" % (read_policy,))
        self.deadline = deadline
        self.read_policy = read_policy
        self.on_completion = on_completion

    def merge(self, other: Optional[Configuration]) -> Configuration:
        """A configuration with ``other``'s set values taking precedence."""
        if other is None:
            return self
        merged = type(self).__new__(type(self))
        for name in _all_slots(type(self)):
            mine = getattr(self, name, None)
            theirs = getattr(other, name, None) if name in _all_slots(type(other)) else None
            setattr(merged, name, theirs if theirs is not None else mine)
        return merged

    def __repr__(self) -> str:
        fields = ", ".join("%s=%r" % (name, getattr(self, name)) for name in _all_slots(type(self))
                           if getattr(self, name, None) is not None)
        return "%s(%s)" % (type(self).__name__, fields)


def _all_slots(cls: type) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        names.extend(getattr(klass, "__slots__", ()))
    return names


class TransactionOptions(Configuration):
    """Transaction options: ``xg`` (cross-group: up to 25 entity groups instead of one, checked by compat),
    ``retries`` (default 3) and ``propagation`` (NESTED, MANDATORY, ALLOWED, INDEPENDENT)."""

    __slots__ = ("xg", "retries", "propagation")

    def __init__(self, xg: Optional[bool] = False, retries: Optional[int] = None, propagation: Optional[int] = None,
                 **config: Any) -> None:
        super().__init__(**config)
        if xg is None:
            xg = False
        if not isinstance(xg, bool):
            raise BadArgumentError("xg argument should be bool (%r)" % (xg,))
        if retries is not None and (not isinstance(retries, int) or retries < 0):
            raise BadArgumentError("retries argument should be int >= 0 (%r)" % (retries,))
        if propagation is not None and propagation not in _PROPAGATIONS:
            raise BadArgumentError("propagation argument should be one of %r (%r)" % (_PROPAGATIONS, propagation))
        self.xg = xg
        self.retries = retries
        self.propagation = propagation


#: Longest deadline sent to gRPC (legacy accepted any positive number; gRPC cannot wait longer than this).
_MAX_TIMEOUT = 365 * 24 * 3600.0


def rpc_timeout(config: Optional[Configuration]) -> Optional[float]:
    """The gRPC timeout (seconds, a float) for a Configuration's deadline, or None for none."""
    if config is None or config.deadline is None:
        return None
    return min(float(config.deadline), _MAX_TIMEOUT)


def create_config(**kwds: Any) -> Configuration:
    """A Configuration for datastore calls (``deadline=``, ``read_policy=``, ``on_completion=``)."""
    return Configuration(**kwds)


def create_transaction_options(**kwds: Any) -> TransactionOptions:
    """TransactionOptions for ``run_in_transaction_options`` (``xg``, ``retries``, ``propagation`` ...)."""
    return TransactionOptions(**kwds)


def create_rpc(deadline: Optional[float] = None, callback: Optional[Callable[[], Any]] = None,
               read_policy: int = STRONG_CONSISTENCY) -> Configuration:
    """Legacy ``db.create_rpc``: a Configuration (``callback`` is called with no argument on completion)."""
    on_completion = (lambda _rpc: callback()) if callback is not None else None
    return Configuration(deadline=deadline, read_policy=read_policy, on_completion=on_completion)


def from_kwargs(kwargs: dict[str, Any]) -> Optional[Configuration]:
    """The Configuration a legacy call's keyword arguments ask for (``config=``, ``rpc=``, ``deadline=`` ...)."""
    config = kwargs.pop("config", None) or kwargs.pop("rpc", None)
    loose = {name: kwargs.pop(name) for name in ("deadline", "read_policy", "on_completion") if name in kwargs}
    if kwargs:
        raise ConfigurationOptionError("Unknown configuration option (%s)"
                                       % ", ".join(repr(name) for name in sorted(kwargs)))
    if config is not None and not isinstance(config, Configuration):
        raise BadArgumentError("config argument should be a Configuration (%r)" % (config,))
    if loose:
        extra = Configuration(**loose)
        config = extra if config is None else config.merge(extra)
    return config

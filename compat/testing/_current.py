"""The emulator of this process, shared by the pytest fixtures and the testbed stand-in.

Under pytest, the plugin registers its session emulator here (started on first
use, stopped when pytest ends). Outside pytest (``python -m unittest``), the
first use adopts the emulator named by ``DATASTORE_EMULATOR_HOST`` or starts
one, exported into the environment and stopped at interpreter exit.
"""

import atexit
import threading

from compat.testing.emulator import Emulator

_lock = threading.Lock()
_provider = None
_own = None


def set_provider(provider):
    """Make ``provider()`` (a callable returning an Emulator) the source of :func:`current`; None unsets it."""
    global _provider
    _provider = provider


def current():
    """The emulator this process's tests use, started (or adopted) on first call."""
    provider = _provider
    if provider is not None:
        return provider()
    global _own
    with _lock:
        if _own is None:
            emulator = Emulator.from_environment() or Emulator.start()
            exported = emulator.exported()
            exported.__enter__()
            forget_cached_clients()
            _own = (emulator, exported)
            atexit.register(_stop_own)
        return _own[0]


def _stop_own():
    global _own
    own, _own = _own, None
    if own is not None:
        emulator, exported = own
        try:
            exported.__exit__(None, None, None)
        finally:
            emulator.stop()  # a no-op for an adopted emulator


def forget_cached_clients():
    """Drop compat's lazily built client so it picks up the emulator's environment."""
    try:
        from compat import _context
    except ImportError:  # compat.db not importable: nothing cached
        return
    reset = getattr(_context, "reset_client", None)
    if reset is not None:
        reset()

"""Testing support shipped with compat: the emulator manager and the pytest plugin.

``compat.testing.plugin`` is registered as a pytest plugin by the package's
``pytest11`` entry point; see docs/testing.md.
"""

from compat.testing.emulator import Emulator, EmulatorError, EmulatorNotInstalled, running_emulator
from compat.testing.fault_proxy import DatastoreFaultProxy

__all__ = ["DatastoreFaultProxy", "Emulator", "EmulatorError", "EmulatorNotInstalled", "running_emulator"]

"""compat's public API stays annotated (issue 17: a typed package checked by mypy in CI).

mypy (``make lint``) checks the bodies of annotated functions only, and
``disallow_incomplete_defs`` (pyproject.toml) refuses half-annotated ones;
this test refuses an unannotated public function: every function, method,
constructor and property that ``compat.db`` (with ``polymodel``,
``metadata``, ``stats``), ``compat.tz``, ``compat.capabilities`` and
``compat.ndb_legacy`` export must annotate its parameters and its return
value (scripts/typing_coverage.py says what counts and prints the share).
"""

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _coverage_module():
    spec = importlib.util.spec_from_file_location("typing_coverage", ROOT / "scripts" / "typing_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


coverage = _coverage_module()


@pytest.mark.parametrize("package", coverage.PACKAGES)
def test_every_public_function_is_annotated(package):
    functions = coverage.public_functions(package)
    assert len(functions) > 10  # the package's API was found
    missing = sorted(name for function, name in functions.items() if not coverage.annotated(function))
    assert missing == [], "public functions without annotations (see scripts/typing_coverage.py): %s" % missing


def test_an_unannotated_function_counts_as_missing():
    def plain(value, other=None):
        return value

    def typed(value: int, other: "str | None" = None) -> int:
        return value

    def half(value: int, other=None) -> int:
        return value

    class Holder:
        def __init__(self, value: int):
            self.value = value

        def method(self) -> int:
            return self.value

        def bare(self):
            return self.value

    assert not coverage.annotated(plain)
    assert coverage.annotated(typed)
    assert not coverage.annotated(half)
    assert coverage.annotated(Holder.__init__)  # a constructor needs no return annotation
    assert coverage.annotated(Holder.method)
    assert not coverage.annotated(Holder.bare)

"""compat's public API stays annotated (issue 17: a typed package checked by mypy in CI).

mypy (``make lint``) checks the bodies of annotated functions only, and
``disallow_incomplete_defs`` (pyproject.toml) refuses half-annotated ones;
this test refuses an unannotated public function: every function, method,
constructor and property of the shim's public modules (``compat.db`` with
``polymodel``, ``metadata``, ``stats``; ``compat.tz``,
``compat.capabilities``, ``compat.ndb_legacy``, ``compat`` and the legacy
modules it stands in for) must annotate its parameters and its return value
(scripts/typing_coverage.py lists the modules, says what counts and prints
the share).
"""

import importlib.util
import pathlib
import re

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
    assert functions  # the package's API was found
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


_APP = '''
from compat import db


class Greeting(db.Model):
    content = db.StringProperty(multiline=True)


one = Greeting.get_by_key_name("first")
many = Greeting.get_by_id([1, 2])
key = Greeting(key_name="k").put()
keys = db.put([Greeting(), Greeting()])
query = Greeting.all().filter("content =", "x").order("-content")
reveal_type(one)
reveal_type(many)
reveal_type(key)
reveal_type(keys)
reveal_type(query)
reveal_type(db.run_in_transaction(lambda: 3))
db.get(123)
'''


def _plain(revealed):
    """One spelling across mypy versions: ``builtins.list[Union[X, None]]`` -> ``list[X | None]``."""
    revealed = revealed.replace("builtins.", "").replace("?", "")
    return re.sub(r"Union\[([\w.]+), None\]", r"\1 | None", revealed)


def test_legacy_code_type_checks_against_the_shim(tmp_path):
    """What mypy tells an app using the shim: its own model class back from the getters, a Key from put()."""
    api = pytest.importorskip("mypy.api")
    app = tmp_path / "app.py"
    app.write_text(_APP, encoding="utf-8")
    out, err, _ = api.run(["--ignore-missing-imports", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
                           str(app)])
    revealed = [_plain(line.split("Revealed type is ", 1)[1].strip('"'))
                for line in out.splitlines() if "Revealed type" in line]
    assert revealed == [
        "app.Greeting | None",
        "list[app.Greeting | None]",
        "compat.db.keys.Key",
        "list[compat.db.keys.Key]",
        "compat.db.query.query.Query",
        "int | None",  # None when the function raised db.Rollback
    ], out + err
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 1 and 'No overload variant of "get"' in errors[0], out  # db.get(123): not a key

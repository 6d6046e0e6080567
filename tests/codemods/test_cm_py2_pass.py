"""The Python 2 pass on real trees: exact detection, idempotent fixers, relative imports per how the app loads a file."""

import importlib
import runpy
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codemods.cli import main
from codemods.runner.loading import package_members
from codemods.runner.py2 import fix_py2, looks_like_py2


@pytest.mark.parametrize("source", [
    "class Thing(object):\n    def __init__(self):\n        self.unicode = True\n",
    "from urllib.parse import urlparse\nurlparse('http://x')\n",
    "import sys as system\nprint(system.maxint)\n",
    "def f(unicode=None, long=1):\n    return unicode, long\n",
    "for k, v in d.items():\n    print(k % v)\n",
    "x = '\\u00e9'\nname = input()\n",
])
def test_python3_code_is_not_taken_for_python2(source):
    assert not looks_like_py2(source)


def test_print_of_one_expression_is_left_alone_and_a_tuple_print_is_stable():
    assert fix_py2("x = unicode(y)\nprint(x % y)\n") == "x = str(y)\nprint(x % y)\n"
    once = fix_py2("print (a, b)\n")
    assert once == "print((a, b))\n"
    assert fix_py2(once) == once
    assert fix_py2("print 'a %s' % x,\n") == "print('a %s' % x, end=' ')\n"


def test_a_print_function_file_with_python2_names_is_not_refused():
    source = "import sys\nprint('x', file=sys.stderr)\nn = unicode(3)\n"
    assert fix_py2(source) == "import sys\nprint('x', file=sys.stderr)\nn = str(3)\n"


def test_only_the_builtins_are_renamed():
    fixed = fix_py2("print self.unicode, f(long=long(x))\nclass C:\n    def unicode(self):\n        return unicode(1)\n")
    assert fixed == "print(self.unicode, f(long=int(x)))\nclass C:\n    def unicode(self):\n        return str(1)\n"


def test_a_single_base_class_is_a_builtin_use():
    """docutils 0.6 (vendored by bloggart): ``class ApplicationError(StandardError)`` was left as it was."""
    fixed = fix_py2("class ApplicationError(StandardError): pass\nclass Text(basestring): pass\n")
    assert fixed == "class ApplicationError(Exception): pass\nclass Text(str): pass\n"
    assert not looks_like_py2(fixed)


def test_python3_string_escapes_and_input_keep_their_meaning_in_python3_syntax():
    # the output of an earlier run, taken for Python 2 again: nothing may change its meaning
    assert fix_py2("x = unicode(y)\ns = '\\u00e9'\nz = input()\n") == "x = str(y)\ns = '\\u00e9'\nz = input()\n"
    # genuine Python 2 (does not parse as 3): its byte-string reading
    assert fix_py2("print '\\u00e9'\nz = input()\n") == "print('\\\\u00e9')\nz = eval(input())\n"


def test_regex_flags_move_to_the_front_and_literal_decodes_go():
    fixed = fix_py2("import re\nA = re.compile(r'<a>%s</a>(?is)' % x, re.M)\nB = 'caf\u00e9'.decode('utf-8').strip()\n")
    assert fixed == "import re\nA = re.compile(r'(?is)<a>%s</a>' % x, re.M)\nB = 'caf\u00e9'.strip()\n"
    # bytes written as escapes decoded Python 2's way: not the Python 3 literal, kept
    assert "decode" in fix_py2("import urllib2\nB = '\\xc3\\xa9'.decode('utf-8')\n")


def test_relative_imports_of_a_package_member(tmp_path):
    package = tmp_path / "pkg"
    (package / "app").mkdir(parents=True)
    for name in ("__init__.py", "models.py", "app/__init__.py", "app/filter.py"):
        (package / name).write_text("")
    source = "import app.filter as f\nimport app.filter\nimport models, os\nfrom models import X\nprint 1\n"
    fixed = fix_py2(source, "handlers.py", package_file=str(package / "handlers.py"))
    assert fixed == (
        "from .app import filter as f\nfrom .app import filter; from . import app\n"
        "from . import models; import os\nfrom .models import X\nprint(1)\n"
    )
    assert fix_py2(source, "handlers.py") == source.replace("print 1", "print(1)")


def _tree(root: Path, files: dict) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


APP = {
    "app.yaml": """\
        runtime: python27
        handlers:
        - url: /admin
          script: admin.py
        - url: /.*
          script: shop.front.app
        """,
    "__init__.py": "",
    "admin.py": "import helpers\nprint 'admin', helpers.NAME\n",
    "helpers.py": "NAME = u'helpers'\n",
    "appengine_config.py": "import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), 'vendor'))\n",
    "vendor/__init__.py": "",
    "vendor/textutil.py": "import helpers2\nprint 'vendor'\n",
    "vendor/helpers2.py": "",
    "vendor/mail/__init__.py": "",
    "vendor/mail/email.py": "import utils\n",
    "vendor/mail/utils.py": "",
    "helpers3.py": "import email\n",
    "shop/__init__.py": "",
    "shop/front.py": "import models\nimport tools\nprint 'front', models.PyTwoPassItem.__name__\n",
    "shop/models.py": "from google.appengine.ext import db\nclass PyTwoPassItem(db.Model):\n    name = db.StringProperty()\n",
    "shop/tools.py": "import models\nif __name__ == '__main__':\n    print 'run'\n",
    "shop/script.py": "import models\nif __name__ == '__main__':\n    print 'script'\n",
}


def test_package_members_follow_how_the_app_loads_each_file(tmp_path):
    _tree(tmp_path, APP)
    sources = {str(p): p.read_text() for p in tmp_path.rglob("*.py")}
    members = {str(Path(p).relative_to(tmp_path)) for p in package_members(sources)}
    # the app folder and vendor/ (put on sys.path) hold top-level modules; admin.py is a CGI script;
    # shop/script.py has a __main__ block and nothing imports it; shop/tools.py is imported by front.py;
    # `import email` (the standard library's) does not put vendor/mail/ on sys.path
    assert members == {"shop/__init__.py", "shop/front.py", "shop/models.py", "shop/tools.py",
                       "vendor/mail/__init__.py", "vendor/mail/email.py", "vendor/mail/utils.py"}


def test_converted_app_runs_its_script_and_its_package_on_python3(tmp_path, capsys, monkeypatch):
    _tree(tmp_path, APP)
    assert main([str(tmp_path), "--to", "compat", "-q"]) == 0
    assert (tmp_path / "admin.py").read_text().startswith("import helpers\n")
    assert (tmp_path / "shop/front.py").read_text().startswith("from . import models\nfrom . import tools\n")
    assert (tmp_path / "vendor/textutil.py").read_text().startswith("import helpers2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        runpy.run_path(str(tmp_path / "admin.py"), run_name="__main__")
        importlib.import_module("shop.front")
    finally:
        for name in [n for n in sys.modules if n == "shop" or n.startswith("shop.") or n == "helpers"]:
            del sys.modules[name]
    out = capsys.readouterr().out
    assert "admin helpers" in out and "front PyTwoPassItem" in out
    script = subprocess.run([sys.executable, "shop/script.py"], cwd=tmp_path, capture_output=True, text=True)
    assert script.stdout == "script\n", script.stderr
    assert main([str(tmp_path), "--to", "compat", "--check", "-q"]) == 0


def test_code_written_for_both_versions_gets_only_the_literal_repairs(tmp_path):
    source = (
        "import re\ntry:\n    unicode\nexcept NameError:\n    unicode = str\n"
        "TAG = re.compile(r'<(.+?)>(?uism)')\nx = unicode(3)\n"
    )
    (tmp_path / "both.py").write_text(source)
    assert main([str(tmp_path), "--to", "compat", "-q"]) == 0
    assert (tmp_path / "both.py").read_text() == source.replace("r'<(.+?)>(?uism)'", "r'(?uism)<(.+?)>'")
    assert main([str(tmp_path), "--to", "compat", "--check", "-q"]) == 0


OPTIONS_APP = '''\
import cPickle as pickle
from google.appengine.ext import db


class PickledOption(db.Model):
    value = db.TextProperty()

    @classmethod
    def set_value(cls, name, value):
        option = cls.get_or_insert(name)
        option.value = pickle.dumps(value)
        option.put()

    @classmethod
    def get_value(cls, name, default=None):
        try:
            return pickle.loads(str(cls.get_by_key_name(name).value))
        except:
            return default
'''

_RUN_OPTIONS = '''\
import sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "ndb":
    from google.cloud import ndb
    context = ndb.Client().context(cache_policy=False)
    context.__enter__()
import options
options.PickledOption.set_value("plugins", ["analytics", u"wordpress", 3, {"on": True}])
print(repr(options.PickledOption.get_value("plugins")))
'''


def test_text_pickles_keep_python2s_protocol_and_load_back_on_both_targets(tmp_path, datastore_emulator):
    """micolog's OptionSet: Python 2 pickled with protocol 0 (ASCII text) into a TextProperty and read it
    back through ``str()``; the converted module stores and reads the same on the emulator."""
    for target in ("ndb", "compat"):
        app = tmp_path / target
        app.mkdir()
        (app / "options.py").write_text(OPTIONS_APP)
        assert main([str(app), "--to", target, "-q"]) == 0
        converted = (app / "options.py").read_text()
        assert "pickle.dumps(value, 0)" in converted
        assert 'pickle.loads(str(' in converted and '.value).encode("latin-1"))' in converted
        datastore_emulator.reset()
        run = subprocess.run([sys.executable, "-c", _RUN_OPTIONS, str(app), target], capture_output=True, text=True,
                             env={**__import__("os").environ, **datastore_emulator.environ()})
        assert run.stdout == "['analytics', 'wordpress', 3, {'on': True}]\n", run.stderr
        assert main([str(app), "--to", target, "--check", "-q"]) == 0


def test_builtins_of_code_that_counted_on_2to3_are_renamed_where_the_module_does_not_bind_them(tmp_path):
    """pygments 1.x (vendored by bloggart): "both versions" through 2to3 at install time, so it imports
    ``builtins`` under a version check yet reads ``basestring`` bare (NameError on Python 3)."""
    source = (
        "import sys\nif sys.version_info < (3, 0):\n    import StringIO\nelse:\n    import builtins\n"
        "    bytes = builtins.bytes\n\n"
        "def get_list_opt(val):\n    if isinstance(val, basestring):\n        return val.split()\n    return list(val)\n\n"
        "try:\n    unicode\nexcept NameError:\n    unicode = str\n\nLABEL = unicode('x')\n"
    )
    (tmp_path / "optutil.py").write_text(source)
    assert main([str(tmp_path), "--to", "compat", "-q"]) == 0
    converted = (tmp_path / "optutil.py").read_text()
    assert converted == source.replace("isinstance(val, basestring)", "isinstance(val, str)")
    namespace = runpy.run_path(str(tmp_path / "optutil.py"))
    assert namespace["get_list_opt"]("a b") == ["a", "b"] and namespace["LABEL"] == "x"
    assert main([str(tmp_path), "--to", "compat", "--check", "-q"]) == 0


def test_a_six_like_module_keeps_its_own_unichr_and_a_second_run_changes_nothing(tmp_path):
    """KindleEar's vendored six.py binds ``unichr = chr`` and reads ``unicode`` in its Python 2 branch: fix_unicode
    renames both, so it must not run there (``chr = chr`` lost ``six.unichr`` and let the next run take the file
    for Python 2)."""
    source = (
        "import sys\nimport types\nPY3 = sys.version_info[0] == 3\n"
        "if PY3:\n    text_type = str\n    string_types = str,\n    unichr = chr\n"
        "    def get_unbound_function(unbound):\n        return unbound\n"
        "else:\n    text_type = unicode\n    string_types = basestring,\n    unichr = unichr\n"
        "    def get_unbound_function(unbound):\n        return unbound.im_func\n"
    )
    (tmp_path / "six.py").write_text(source)
    assert main([str(tmp_path), "--to", "compat", "-q"]) == 0
    converted = (tmp_path / "six.py").read_text()
    assert converted == source.replace("string_types = basestring,", "string_types = str,")
    assert main([str(tmp_path), "--to", "compat", "--check", "-q"]) == 0
    namespace = runpy.run_path(str(tmp_path / "six.py"))
    assert namespace["unichr"](233) == "\xe9" and namespace["text_type"] is str

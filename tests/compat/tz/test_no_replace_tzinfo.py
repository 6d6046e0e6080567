"""Nothing in the code base attaches a zone with ``replace(tzinfo=...)`` or ``datetime(..., tzinfo=...)``.

With a pytz zone both give the zone's first historical offset (``+09:19``
for Asia/Tokyo, Tokyo's 1887 local mean time) -- the bug the legacy seed
notes' ``entry.datetime.replace(tzinfo=...)`` advice still ships today.
Zones are attached with ``localize`` / ``astimezone`` (compat.tz.localize,
compat.tz.from_utc_naive). Allowed are only values that cannot be a pytz
zone with a history: ``None`` (dropping a zone), ``<anything>.utc``
(``timezone.utc``, ``pytz.utc``), ``timezone(...)`` and ``ZoneInfo(...)``
calls, and compat.tz's own ``tz.UTC`` / ``tz.JST`` (stdlib and zoneinfo).
Test files may demonstrate the trap on a line marked ``# tz-trap: deliberate``.
"""

import ast
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[3]
SHIPPED = ["compat", "codemods", "bench"]
MARKER = "tz-trap: deliberate"


_SAFE_CALLS = ("timezone", "ZoneInfo")
_COMPAT_ZONES = ("UTC", "JST")


def _safe_zone(value, safe_names=frozenset()):
    if isinstance(value, ast.Constant) and value.value is None:
        return True
    if isinstance(value, ast.Name) and value.id in safe_names:
        return True
    if isinstance(value, ast.Attribute):
        if value.attr == "utc":
            return True
        if value.attr in _COMPAT_ZONES and ast.unparse(value.value) in ("tz", "compat.tz"):
            return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
        return name in _SAFE_CALLS and owner != "pytz"
    return False


def _safe_names(tree):
    """Names bound only to safe zones in this file (``JST = timezone(timedelta(hours=9))``,
    ``from compat.tz import JST``)."""
    safe, unsafe = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "compat.tz":
            safe.update(alias.asname or alias.name for alias in node.names if alias.name in _COMPAT_ZONES)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            (safe if _safe_zone(node.value) else unsafe).add(node.targets[0].id)
    return frozenset(safe - unsafe)


def _attaches_a_zone(call, safe_names=frozenset()):
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in ("replace", "datetime", "combine", "time"):
        return False
    for keyword in call.keywords:
        if keyword.arg == "tzinfo":
            return not _safe_zone(keyword.value, safe_names)
    return False


def _offences(path, allow_marker):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    lines = source.splitlines()
    safe_names = _safe_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _attaches_a_zone(node, safe_names):
            line = lines[node.lineno - 1]
            if allow_marker and MARKER in line:
                continue
            found.append("%s:%d: %s" % (path.relative_to(ROOT), node.lineno, line.strip()))
    return found


def _python_files(top):
    """The tracked .py files under ``top`` (the code base; others' scratch files are not), or all."""
    try:
        listed = subprocess.run(["git", "ls-files", "--", top], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return sorted((ROOT / top).rglob("*.py"))
    return sorted(ROOT / name for name in listed if name.endswith(".py") and (ROOT / name).exists())


def test_the_checker_catches_the_pattern(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "a = dt.replace(tzinfo=JST)\n"
        "b = datetime.datetime(2024, 1, 1, tzinfo=pytz.timezone('Asia/Tokyo'))\n"
        "c = dt.replace(tzinfo=None)\n"
        "d = DateTimeProperty(tzinfo=JST)\n"
        "e = dt.replace(tzinfo=JST)  # tz-trap: deliberate\n"
        "f = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)\n"
        "g = dt.replace(tzinfo=pytz.utc) or dt.replace(tzinfo=ZoneInfo('Asia/Tokyo'))\n"
        "h = dt.replace(tzinfo=compat.tz.JST) or dt.replace(tzinfo=other.JST)\n"
        "FIXED = datetime.timezone(datetime.timedelta(hours=9))\n"
        "TOKYO = pytz.timezone('Asia/Tokyo')\n"
        "i = dt.replace(tzinfo=FIXED) or dt.replace(tzinfo=TOKYO)\n"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert [o.split(":")[1] for o in _offences(sample, allow_marker=False)] == ["1", "2", "5", "8", "11"]
        assert [o.split(":")[1] for o in _offences(sample, allow_marker=True)] == ["1", "2", "8", "11"]
    finally:
        ROOT = saved


def test_shipped_code_never_attaches_a_zone_with_replace():
    offences = []
    scanned = 0
    for top in SHIPPED:
        for path in _python_files(top):
            scanned += 1
            offences.extend(_offences(path, allow_marker=False))
    assert scanned > 10
    assert not offences, "attach zones with compat.tz.localize/astimezone, not:\n" + "\n".join(offences)


def test_tests_only_do_it_on_marked_lines():
    offences = []
    for path in _python_files("tests"):
        try:
            offences.extend(_offences(path, allow_marker=True))
        except SyntaxError:
            continue  # legacy Python 2 fixtures are data, not our code
    assert not offences, "mark deliberate demonstrations with '# %s':\n%s" % (MARKER, "\n".join(offences))

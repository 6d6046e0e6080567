"""Tests of the emulator pytest plugin itself."""

import os
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

from compat.testing.emulator import check_installed, EmulatorNotInstalled


def _processes_mentioning(text):
    """PIDs of live processes whose command line contains ``text``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open("/proc/%s/stat" % entry) as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(int(entry))
    return found


def _wait_gone(text, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _processes_mentioning(text):
            return True
        time.sleep(0.2)
    return False


def _env_without_emulator():
    env = dict(os.environ)
    env.pop("DATASTORE_EMULATOR_HOST", None)
    env.pop("DATASTORE_PROJECT_ID", None)
    env.pop("DATASTORE_DATASET", None)
    return env


def test_emulator_is_started_healthy_and_exported(datastore_emulator):
    assert datastore_emulator.healthy()
    assert os.environ["DATASTORE_EMULATOR_HOST"] == datastore_emulator.host
    assert os.environ["DATASTORE_PROJECT_ID"] == datastore_emulator.project
    assert datastore_emulator.host.startswith("127.0.0.1:")
    with urllib.request.urlopen("http://%s/" % datastore_emulator.host) as response:
        assert response.read().strip() == b"Ok"


def test_ndb_context_talks_to_the_emulator(ndb_context, clean_datastore):
    from google.cloud import ndb

    class PluginProbe(ndb.Model):
        value = ndb.IntegerProperty()

    key = PluginProbe(value=7).put()
    assert key.get().value == 7
    assert PluginProbe.query().count() == 1


def test_existing_emulator_is_reused_and_left_running(pytester, datastore_emulator, monkeypatch):
    """An inner session with DATASTORE_EMULATOR_HOST set adopts it and never stops it."""
    pytester.makepyfile(
        test_inner="""
        import os
        def test_uses_outer(datastore_emulator):
            assert datastore_emulator.host == os.environ["OUTER_HOST"]
            assert not datastore_emulator.owned
        """
    )
    monkeypatch.setenv("OUTER_HOST", datastore_emulator.host)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*reusing %s*" % datastore_emulator.host])
    assert datastore_emulator.healthy()


def test_wipe_fixture_isolates_tests(pytester, datastore_emulator):
    pytester.makepyfile(
        test_isolation="""
        from google.cloud import ndb

        class Note(ndb.Model):
            text = ndb.StringProperty()

        def test_first_writes(ndb_context, clean_datastore):
            Note(text="left behind").put()
            assert Note.query().count() == 1

        def test_second_sees_nothing(ndb_context, clean_datastore):
            assert Note.query().count() == 0

        def test_without_wipe_sees_leftovers(ndb_context):
            Note(text="no wipe").put()
            assert Note.query().count() == 1

        def test_wipe_again(ndb_context, clean_datastore):
            assert Note.query().count() == 0
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


@pytest.mark.emulator  # the inner session starts one
def test_emulator_starts_once_per_session_and_leaves_no_process(pytester, tmp_path):
    """Three tests share one emulator; after pytest exits no emulator process remains."""
    record = tmp_path / "hosts.txt"
    pytester.makepyfile(
        test_once="""
        import os
        RECORD = %r
        def _note(emulator):
            with open(RECORD, "a") as handle:
                handle.write("%%s %%s\\n" %% (emulator.host, emulator.owned))
        def test_a(datastore_emulator): _note(datastore_emulator)
        def test_b(datastore_emulator): _note(datastore_emulator)
        def test_c(datastore_emulator, clean_datastore): _note(datastore_emulator)
        """ % str(record)
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(pytester.path)],
        env=_env_without_emulator(), cwd=str(pytester.path), capture_output=True, text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = record.read_text().split()
    hosts = set(lines[0::2])
    assert len(hosts) == 1 and lines[1::2] == ["True"] * 3
    port = hosts.pop().split(":")[1]
    assert _wait_gone("--port=%s" % port), "emulator still running after pytest exited"


@pytest.mark.emulator  # the inner session starts one
@pytest.mark.parametrize("how", ["keyboard-interrupt", "sigkill"])
def test_interrupted_run_leaves_no_emulator(pytester, tmp_path, how):
    """Ctrl-C (teardown runs) and SIGKILL (no teardown at all) both leave nothing behind."""
    record = tmp_path / "host.txt"
    ending = {
        "keyboard-interrupt": "raise KeyboardInterrupt",
        "sigkill": "os.kill(os.getpid(), signal.SIGKILL)",
    }[how]
    pytester.makepyfile(
        test_interrupt=textwrap.dedent(
            """
            import os, signal
            def test_dies(datastore_emulator):
                with open(%r, "w") as handle:
                    handle.write(datastore_emulator.host)
                %s
            """ % (str(record), ending)
        )
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(pytester.path)],
        env=_env_without_emulator(), cwd=str(pytester.path), capture_output=True, text=True,
        timeout=180,
    )
    assert proc.returncode != 0
    port = record.read_text().split(":")[1]
    assert _wait_gone("--port=%s" % port), "emulator orphaned after %s" % how


def _fake_tree(tmp_path, gcloud=True, component=True, java=False):
    """A PATH directory holding only the tools the case asks for."""
    sdk = tmp_path / "sdk"
    bindir = sdk / "bin"
    bindir.mkdir(parents=True)
    if gcloud:
        (bindir / "gcloud").write_text("#!/bin/sh\nexit 1\n")
        (bindir / "gcloud").chmod(0o755)
    if component:
        comp = sdk / "platform" / "cloud-datastore-emulator"
        comp.mkdir(parents=True)
        (comp / "cloud_datastore_emulator").write_text("")
    if java:
        (bindir / "java").write_text("#!/bin/sh\nexit 1\n")
        (bindir / "java").chmod(0o755)
    return str(bindir)


@pytest.mark.parametrize(
    "layout, expected",
    [
        (dict(gcloud=False), "`gcloud` was not found"),
        (dict(component=False, java=True), "no datastore emulator component"),
        (dict(java=False), "`java` was not found"),
    ],
)
def test_missing_pieces_are_named(tmp_path, layout, expected):
    path = _fake_tree(tmp_path, **layout)
    with pytest.raises(EmulatorNotInstalled) as info:
        check_installed(path=path)
    assert expected in str(info.value)
    assert "apt-get install" in str(info.value)


def test_missing_gcloud_gives_one_clear_message(pytester):
    """A whole session with gcloud off PATH stops with the install hint."""
    pytester.makepyfile(
        test_needs="""
        def test_a(datastore_emulator): pass
        def test_b(datastore_emulator): pass
        """
    )
    env = _env_without_emulator()
    env["PATH"] = os.path.dirname(sys.executable)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(pytester.path)],
        env=env, cwd=str(pytester.path), capture_output=True, text=True, timeout=120,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "apt-get install google-cloud-cli google-cloud-cli-datastore-emulator" in output
    assert output.count("`gcloud` was not found") == 1


def test_reset_drops_everything(datastore_emulator, ndb_client):
    from google.cloud import ndb

    class ResetProbe(ndb.Model):
        pass

    with ndb_client.context(cache_policy=False):
        ResetProbe().put()
        ResetProbe(namespace="other").put()
        datastore_emulator.reset()
        assert ResetProbe.query().count() == 0
        assert ResetProbe.query(namespace="other").count() == 0


def test_tests_using_the_emulator_fixtures_are_marked_emulator(pytester):
    """``pytest -m "not emulator"`` selects the tests that need no emulator (nothing is started to collect)."""
    pytester.makepyfile(textwrap.dedent("""
        import pytest

        @pytest.fixture
        def wiped(clean_datastore):
            return clean_datastore

        def test_pure():
            pass

        def test_direct(datastore_emulator):
            pass

        def test_through_a_fixture(wiped):
            pass

        def test_ndb(ndb_context):
            pass
    """))
    marked = pytester.runpytest("-m", "emulator", "--collect-only", "-q", "-p", "no:cacheprovider")
    marked.stdout.fnmatch_lines(["*test_direct*", "*test_through_a_fixture*", "*test_ndb*", "*3/4 tests collected*"])
    pure = pytester.runpytest("-m", "not emulator", "--collect-only", "-q", "-p", "no:cacheprovider")
    pure.stdout.fnmatch_lines(["*test_pure*", "*1/4 tests collected*"])


def test_tests_of_modules_using_the_testbed_are_marked_emulator(pytester):
    """A legacy unittest suite on the testbed stand-in reaches the emulator without pytest fixtures."""
    pytester.makepyfile(test_legacy=textwrap.dedent("""
        import unittest

        from compat.testing import testbed

        class LegacyTest(unittest.TestCase):
            def test_something(self):
                pass
    """), test_other="def test_pure():\n    pass\n")
    marked = pytester.runpytest("-m", "emulator", "--collect-only", "-q", "-p", "no:cacheprovider")
    marked.stdout.fnmatch_lines(["*test_legacy.py::LegacyTest::test_something*", "*1/2 tests collected*"])

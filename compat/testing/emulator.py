"""Start, probe, reset and stop the Cloud Datastore emulator.

This is the piece users' own test suites, our demo and our benchmarks share:
``Emulator.start()`` runs ``gcloud beta emulators datastore start`` on a free
loopback port, waits for the health endpoint, and ``stop()`` removes the whole
process group (gcloud, its shell wrapper and the java server). An emulator
that was already running (``DATASTORE_EMULATOR_HOST`` set) is adopted and never
stopped.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

DEFAULT_PROJECT = "compat-test"
DEFAULT_START_TIMEOUT = 60.0
INSTALL_HINT = (
    "Install it with: apt-get install google-cloud-cli google-cloud-cli-datastore-emulator "
    "default-jre-headless (see docs/testing.md), or point DATASTORE_EMULATOR_HOST at a "
    "running emulator."
)


class EmulatorError(RuntimeError):
    """The emulator could not be started or did not become healthy."""


class EmulatorNotInstalled(EmulatorError):
    """gcloud, its datastore emulator component, or Java is missing."""


def _sdk_root(gcloud_path):
    """The Cloud SDK root of a gcloud executable (``.../bin/gcloud`` -> ``...``)."""
    return os.path.dirname(os.path.dirname(os.path.realpath(gcloud_path)))


def check_installed(path=None):
    """Raise EmulatorNotInstalled naming what is missing; return the gcloud path.

    ``path`` is the PATH to search (defaults to the environment's).
    """
    gcloud = shutil.which("gcloud", path=path)
    if gcloud is None:
        raise EmulatorNotInstalled(
            "The Cloud Datastore emulator is not available: `gcloud` was not found on PATH. "
            + INSTALL_HINT
        )
    component = os.path.join(
        _sdk_root(gcloud), "platform", "cloud-datastore-emulator", "cloud_datastore_emulator"
    )
    if not os.path.exists(component):
        raise EmulatorNotInstalled(
            "The Cloud Datastore emulator is not available: gcloud at %s has no "
            "datastore emulator component (%s is missing). Install it with: "
            "apt-get install google-cloud-cli-datastore-emulator "
            "(or `gcloud components install cloud-datastore-emulator`)." % (gcloud, component)
        )
    if shutil.which("java", path=path) is None:
        raise EmulatorNotInstalled(
            "The Cloud Datastore emulator is not available: `java` was not found on PATH "
            "(the emulator is a Java program). Install it with: apt-get install "
            "default-jre-headless."
        )
    return gcloud


def free_port(host="127.0.0.1"):
    """A TCP port on ``host`` that nothing listens on right now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class Emulator:
    """A Cloud Datastore emulator, either started by us or adopted from the environment.

    Attributes:
        host: ``"127.0.0.1:PORT"``, the value for ``DATASTORE_EMULATOR_HOST``.
        project: the project id the emulator serves.
        owned: True when this object started the process and will stop it.
    """

    def __init__(self, host, project, process=None, log_path=None):
        self.host = host
        self.project = project
        self._process = process
        self.log_path = log_path

    @property
    def owned(self):
        return self._process is not None

    @property
    def url(self):
        return "http://%s" % self.host

    # -- lifecycle -------------------------------------------------------------------

    @classmethod
    def from_environment(cls, environ=None):
        """Adopt the emulator named by ``DATASTORE_EMULATOR_HOST``, or return None."""
        environ = os.environ if environ is None else environ
        host = environ.get("DATASTORE_EMULATOR_HOST")
        if not host:
            return None
        project = (
            environ.get("DATASTORE_PROJECT_ID")
            or environ.get("DATASTORE_DATASET")
            or environ.get("GOOGLE_CLOUD_PROJECT")
            or DEFAULT_PROJECT
        )
        return cls(host, project)

    @classmethod
    def start(cls, project=DEFAULT_PROJECT, port=None, timeout=DEFAULT_START_TIMEOUT, extra_args=()):
        """Start a fresh in-memory emulator and wait until it answers its health check."""
        gcloud = check_installed()
        port = port or free_port()
        host = "127.0.0.1:%d" % port
        log_fd, log_path = tempfile.mkstemp(prefix="datastore-emulator-", suffix=".log")
        command = [
            gcloud, "beta", "emulators", "datastore", "start",
            "--no-store-on-disk", "--consistency=1.0",
            "--host-port=%s" % host, "--project=%s" % project,
        ] + list(extra_args)
        env = dict(os.environ)
        env.pop("DATASTORE_EMULATOR_HOST", None)
        env.setdefault("CLOUDSDK_CORE_DISABLE_PROMPTS", "1")
        process = subprocess.Popen(
            [sys.executable, "-m", "compat.testing._reaper", "--"] + command,
            stdin=subprocess.PIPE,
            stdout=log_fd,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
        os.close(log_fd)
        emulator = cls(host, project, process=process, log_path=log_path)
        try:
            emulator.wait_healthy(timeout)
        except BaseException:
            emulator.stop()
            raise
        return emulator

    def wait_healthy(self, timeout=DEFAULT_START_TIMEOUT):
        """Poll ``GET /`` until it answers ``Ok``; raise EmulatorError with the log tail."""
        deadline = time.monotonic() + timeout
        while True:
            if self._process is not None and self._process.poll() is not None:
                raise EmulatorError(
                    "The datastore emulator exited with status %s before becoming healthy.\n%s"
                    % (self._process.returncode, self.log_tail())
                )
            if self.healthy():
                return
            if time.monotonic() > deadline:
                raise EmulatorError(
                    "The datastore emulator at %s did not answer its health check within %.0f s.\n%s"
                    % (self.host, timeout, self.log_tail())
                )
            time.sleep(0.1)

    def healthy(self):
        """True when ``GET /`` answers ``Ok``."""
        try:
            with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                return response.read().strip() == b"Ok"
        except (OSError, urllib.error.URLError):
            return False

    def reset(self):
        """Drop every entity in every namespace (``POST /reset``)."""
        request = urllib.request.Request(self.url + "/reset", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200:
                raise EmulatorError("POST /reset answered %s" % response.status)

    def configure(self, consistency=None, seed=0, auto_ids=None):
        """Change the running emulator's job and id policies (``PATCH /v1/config``).

        ``consistency``: ``1.0`` (or ``"strong"``) applies every write at once;
        a fraction ``p`` leaves ``1 - p`` of the writes unapplied to global
        (non-ancestor) queries until their entity group is read, as legacy's
        ``PseudoRandomHRConsistencyPolicy(probability=p)`` did, with ``seed``.
        ``auto_ids``: ``"sequential"`` (1, 2, 3 ... after each reset, legacy
        testbed's default) or ``"scattered"`` (production-like ids).
        The settings survive ``reset()``.
        """
        config = {}
        if consistency is not None:
            if consistency == "strong" or consistency == 1.0:
                config["jobPolicy"] = {"forceStrongConsistency": True}
            else:
                if not 0.0 <= float(consistency) <= 1.0:
                    raise ValueError("consistency must be between 0 and 1, got %r" % (consistency,))
                config["jobPolicy"] = {"probabilityJobPolicy": {
                    "randomSeed": seed or 0, "unappliedJobPercentage": 100.0 * (1.0 - float(consistency))}}
        if auto_ids is not None:
            if auto_ids.lower() not in ("sequential", "scattered"):
                raise ValueError("auto_ids must be 'sequential' or 'scattered', got %r" % (auto_ids,))
            config["idAllocationPolicy"] = {"policy": auto_ids.upper()}
        if not config:
            return
        request = urllib.request.Request(
            self.url + "/v1/config", data=json.dumps(config).encode("utf-8"), method="PATCH",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200:
                raise EmulatorError("PATCH /v1/config answered %s" % response.status)

    def log_tail(self, lines=40):
        """The last lines of the emulator's own log, for error messages."""
        if not self.log_path or not os.path.exists(self.log_path):
            return "(no emulator log)"
        with open(self.log_path, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
        tail = text.splitlines()[-lines:]
        return "--- emulator log (last %d lines) ---\n%s" % (len(tail), "\n".join(tail))

    def stop(self):
        """Stop the emulator's whole process group (only if we started it)."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin:
                process.stdin.close()  # the reaper sees EOF and kills its group
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, 9)
            except ProcessLookupError:
                pass
            process.wait()
        finally:
            if self.log_path and os.path.exists(self.log_path):
                os.unlink(self.log_path)

    # -- environment -----------------------------------------------------------------

    def environ(self):
        """The environment variables clients need to reach this emulator."""
        return {
            "DATASTORE_EMULATOR_HOST": self.host,
            "DATASTORE_PROJECT_ID": self.project,
            "DATASTORE_DATASET": self.project,  # what google-cloud-ndb/-datastore read
        }

    @contextlib.contextmanager
    def exported(self):
        """Export ``environ()`` into ``os.environ`` for the duration of the block."""
        saved = {name: os.environ.get(name) for name in self.environ()}
        os.environ.update(self.environ())
        try:
            yield self
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def __repr__(self):
        return "<Emulator %s project=%s%s>" % (self.host, self.project, " owned" if self.owned else "")


@contextlib.contextmanager
def running_emulator(project=DEFAULT_PROJECT, timeout=DEFAULT_START_TIMEOUT):
    """Use the emulator from the environment, or start one for the block and stop it after."""
    emulator = Emulator.from_environment()
    if emulator is not None:
        with emulator.exported():
            yield emulator
        return
    emulator = Emulator.start(project=project, timeout=timeout)
    try:
        with emulator.exported():
            yield emulator
    finally:
        emulator.stop()

"""The legacy ``google.appengine.ext.testbed`` on the Cloud Datastore emulator.

``compat.install()`` makes ``from google.appengine.ext import testbed`` resolve
here, and ``db2ndb`` points converted code's testbed imports here too, so a
legacy test suite runs unchanged on the shim and, after conversion, on
google-cloud-ndb::

    self.testbed = testbed.Testbed()
    self.testbed.activate()
    self.testbed.init_datastore_v3_stub()     # a clean emulator for this test
    self.testbed.init_memcache_stub()         # an empty in-process memcache
    ...
    self.testbed.deactivate()

* ``activate()`` saves ``os.environ`` and sets legacy's default request
  environment (``setup_env``); ``deactivate()`` restores both, the namespace,
  and leaves the datastore context.
* ``init_datastore_v3_stub()`` wipes the emulator (``POST /reset``, a few
  milliseconds), applies the ``consistency_policy`` and ``auto_id_policy`` to
  it, and enters a google-cloud-ndb context (in-context cache off, as legacy
  ``db`` had none) for the test, so compat code and converted ndb code both
  run without a context of their own. The emulator is the pytest plugin's
  session emulator (or, outside pytest, the one in ``DATASTORE_EMULATOR_HOST``
  or one started on first use).
* ``init_memcache_stub()`` empties ``compat.memcache``.
* The other ``init_*_stub()`` calls (taskqueue, mail, urlfetch, user, ...)
  are accepted and register a stand-in whose methods raise
  NotImplementedError naming the service: those services are not emulated.
"""

import os

from compat.testing import _current
from compat.testing import datastore_stub_util

DEFAULT_ENVIRONMENT = {
    "APPLICATION_ID": "testbed-test",
    "GAE_APPLICATION": "testbed-test",
    "AUTH_DOMAIN": "gmail.com",
    "HTTP_HOST": "testbed.example.com",
    "CURRENT_MODULE_ID": "default",
    "CURRENT_VERSION_ID": "testbed-version",
    "REQUEST_ID_HASH": "testbed-request-id-hash",
    "REQUEST_LOG_ID": "7357B3D7091D",
    "SERVER_NAME": "testbed.example.com",
    "SERVER_SOFTWARE": "Development/1.0 (testbed)",
    "SERVER_PORT": "80",
    "USER_EMAIL": "",
    "USER_ID": "",
}
DEFAULT_APP_ID = DEFAULT_ENVIRONMENT["APPLICATION_ID"]
DEFAULT_AUTH_DOMAIN = DEFAULT_ENVIRONMENT["AUTH_DOMAIN"]
DEFAULT_SERVER_NAME = DEFAULT_ENVIRONMENT["SERVER_NAME"]
DEFAULT_SERVER_SOFTWARE = DEFAULT_ENVIRONMENT["SERVER_SOFTWARE"]
DEFAULT_SERVER_PORT = DEFAULT_ENVIRONMENT["SERVER_PORT"]

APP_IDENTITY_SERVICE_NAME = "app_identity_service"
BLOBSTORE_SERVICE_NAME = "blobstore"
CAPABILITY_SERVICE_NAME = "capability_service"
CHANNEL_SERVICE_NAME = "channel"
DATASTORE_SERVICE_NAME = "datastore_v3"
FILES_SERVICE_NAME = "file"
IMAGES_SERVICE_NAME = "images"
MAIL_SERVICE_NAME = "mail"
MEMCACHE_SERVICE_NAME = "memcache"
SEARCH_SERVICE_NAME = "search"
TASKQUEUE_SERVICE_NAME = "taskqueue"
URLFETCH_SERVICE_NAME = "urlfetch"
USER_SERVICE_NAME = "user"
XMPP_SERVICE_NAME = "xmpp"
MODULES_SERVICE_NAME = "modules"

INIT_STUB_METHOD_NAMES = {
    APP_IDENTITY_SERVICE_NAME: "init_app_identity_stub",
    BLOBSTORE_SERVICE_NAME: "init_blobstore_stub",
    CAPABILITY_SERVICE_NAME: "init_capability_stub",
    CHANNEL_SERVICE_NAME: "init_channel_stub",
    DATASTORE_SERVICE_NAME: "init_datastore_v3_stub",
    FILES_SERVICE_NAME: "init_files_stub",
    IMAGES_SERVICE_NAME: "init_images_stub",
    MAIL_SERVICE_NAME: "init_mail_stub",
    MEMCACHE_SERVICE_NAME: "init_memcache_stub",
    MODULES_SERVICE_NAME: "init_modules_stub",
    SEARCH_SERVICE_NAME: "init_search_stub",
    TASKQUEUE_SERVICE_NAME: "init_taskqueue_stub",
    URLFETCH_SERVICE_NAME: "init_urlfetch_stub",
    USER_SERVICE_NAME: "init_user_stub",
    XMPP_SERVICE_NAME: "init_xmpp_stub",
}
SUPPORTED_SERVICES = sorted(INIT_STUB_METHOD_NAMES)

AUTO_ID_POLICY_SEQUENTIAL = datastore_stub_util.SEQUENTIAL
AUTO_ID_POLICY_SCATTERED = datastore_stub_util.SCATTERED

_EMULATOR_VARIABLES = ("DATASTORE_EMULATOR_HOST", "DATASTORE_PROJECT_ID", "DATASTORE_DATASET")
_ACTIVE: list = []  # testbeds activated and not yet deactivated, oldest first


class Error(Exception):
    """Base testbed error type."""


class NotActivatedError(Error):
    """The testbed instance is not activated."""


class StubNotSupportedError(Error):
    """An unsupported service stub was asked for."""


class UnemulatedStub:
    """What ``get_stub()`` returns for a service compat does not emulate (taskqueue, mail, ...).

    Initialising it is harmless; using any of its methods raises
    NotImplementedError naming the service, so a test that inspects, say, the
    sent mail fails with a clear message instead of passing vacuously.
    """

    def __init__(self, service_name):
        self.service_name = service_name

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotImplementedError(
            "compat's testbed does not emulate the %r service (stub method %s): only the datastore "
            "(the emulator) and memcache (compat.memcache) are backed; see docs/verify.md"
            % (self.service_name, name)
        )


class MemcacheStub:
    """``get_stub(MEMCACHE_SERVICE_NAME)``: the in-process memcache behind ``compat.memcache``."""

    def Clear(self):
        """Empty the cache."""
        from compat import memcache

        memcache.reset()


class DatastoreStub:
    """``get_stub(DATASTORE_SERVICE_NAME)``: the emulator behind this test.

    Attributes:
        emulator: the :class:`~compat.testing.emulator.Emulator`.
    """

    def __init__(self, emulator):
        self.emulator = emulator

    def Clear(self):
        """Wipe every entity (``POST /reset``)."""
        self.emulator.reset()

    def SetConsistencyPolicy(self, policy):
        """Apply a consistency policy to the emulator from now on."""
        _apply_policy(self.emulator, policy)

    def SetAutoIdPolicy(self, auto_id_policy):
        """``SEQUENTIAL`` (1, 2, 3 ...) or ``SCATTERED`` ids from now on."""
        self.emulator.configure(auto_ids=auto_id_policy)


def _apply_policy(emulator, policy):
    if policy is None:
        emulator.configure(consistency=1.0)
        return
    probability_of = getattr(policy, "emulator_probability", None)
    probability = probability_of() if probability_of is not None else None
    if probability is None:
        raise TypeError(
            "The Cloud Datastore emulator cannot follow the consistency policy %s: use "
            "PseudoRandomHRConsistencyPolicy(probability=...) or MasterSlaveConsistencyPolicy()"
            % type(policy).__name__
        )
    seed = getattr(policy, "random_seed", 0)
    if not isinstance(seed, int):
        seed = hash(seed) & 0x7FFFFFFF
    emulator.configure(consistency=probability, seed=seed)
    if isinstance(policy, datastore_stub_util.PseudoRandomHRConsistencyPolicy):
        listener = lambda changed: _apply_policy(emulator, changed)  # noqa: E731 - follows SetProbability
        policy._listeners[:] = [listener]


class _DatastoreSession:
    """The emulator state and the ndb context one ``init_datastore_v3_stub()`` set up."""

    def __init__(self, emulator, consistency_policy, auto_id_policy):
        from compat import _context

        self.emulator = emulator
        emulator.reset()
        self.configured = consistency_policy is not None or auto_id_policy != AUTO_ID_POLICY_SEQUENTIAL
        if consistency_policy is not None:
            _apply_policy(emulator, consistency_policy)
        if auto_id_policy != AUTO_ID_POLICY_SEQUENTIAL:
            emulator.configure(auto_ids=auto_id_policy)
        self.context = _context.new_context()
        self._use = self.context.use()
        self._use.__enter__()

    def close(self):
        try:
            try:
                self.context.eventloop.run()
            finally:
                self._use.__exit__(None, None, None)
        finally:
            if self.configured:
                self.emulator.configure(consistency=1.0, auto_ids=AUTO_ID_POLICY_SEQUENTIAL)


class Testbed:
    """The legacy ``testbed.Testbed``: activate, init the stubs, deactivate (see the module doc)."""

    def __init__(self):
        self._activated = False
        self._enabled_stubs = {}
        self._orig_env = None
        self._namespace_token = None
        self._datastore = None

    def activate(self, use_datastore_emulator=False):
        """Save the environment and set legacy's defaults (``use_datastore_emulator`` is accepted: always so)."""
        from compat import namespace_manager

        self._orig_env = dict(os.environ)
        self._namespace_token = namespace_manager._CURRENT.set("")
        self._activated = True
        self.setup_env()
        _ACTIVE.append(self)

    def deactivate(self):
        """Leave the stubs and restore the environment; NotActivatedError if not active."""
        if not self._activated:
            raise NotActivatedError("The testbed is not activated.")
        try:
            for service_name in list(self._enabled_stubs):
                self._disable_stub(service_name)
        finally:
            # the emulator may have been started (and exported) during the test: keep it reachable
            kept = {name: os.environ[name] for name in _EMULATOR_VARIABLES if name in os.environ}
            os.environ.clear()
            os.environ.update(self._orig_env)
            os.environ.update(kept)
            self._restore_namespace()
            self._activated = False
            if self in _ACTIVE:
                _ACTIVE.remove(self)

    def _restore_namespace(self):
        from compat import namespace_manager

        token, self._namespace_token = self._namespace_token, None
        if token is not None:
            try:
                namespace_manager._CURRENT.reset(token)
            except ValueError:  # set in another context: fall back to the default
                namespace_manager._CURRENT.set("")

    def setup_env(self, overwrite=False, **kwargs):
        """Set legacy's default request environment plus ``kwargs`` (upper-cased) in ``os.environ``.

        ``app_id=`` sets ``APPLICATION_ID``/``GAE_APPLICATION``. Existing
        variables are kept unless ``overwrite=True`` (then only ``kwargs`` are written).
        """
        specified = {key.upper(): str(value) for key, value in kwargs.items()}
        app_id = specified.pop("APP_ID", None)
        if app_id:
            specified.setdefault("APPLICATION_ID", app_id)
            specified.setdefault("GAE_APPLICATION", app_id)
        merged = dict(specified)
        if not overwrite:
            for key, value in DEFAULT_ENVIRONMENT.items():
                merged.setdefault(key, value)
        for key, value in merged.items():
            if overwrite or key not in os.environ:
                os.environ[key] = value

    def setup_wsgi_env(self, **kwargs):
        """Accepted for compatibility: compat keeps no request context beyond ``os.environ``."""

    # -- stubs ---------------------------------------------------------------------------

    def _check_active(self):
        if not self._activated:
            raise NotActivatedError("The testbed is not activated.")

    def _register_stub(self, service_name, stub):
        self._disable_stub(service_name)
        self._enabled_stubs[service_name] = stub

    def _disable_stub(self, service_name):
        self._check_active()
        self._enabled_stubs.pop(service_name, None)
        if service_name == DATASTORE_SERVICE_NAME and self._datastore is not None:
            session, self._datastore = self._datastore, None
            session.close()

    def get_stub(self, service_name):
        """The stub registered for ``service_name``, or None; StubNotSupportedError for unknown names."""
        self._check_active()
        if service_name not in SUPPORTED_SERVICES:
            raise StubNotSupportedError('The "%s" service is not supported by testbed' % service_name)
        return self._enabled_stubs.get(service_name)

    def init_datastore_v3_stub(self, enable=True, datastore_file=None, use_sqlite=False,
                               auto_id_policy=AUTO_ID_POLICY_SEQUENTIAL, **stub_kw_args):
        """A clean emulator for the test, with the consistency and id policies asked for.

        ``datastore_file``, ``use_sqlite``, ``require_indexes``, ``root_path``
        and ``save_changes`` are accepted and ignored (the emulator keeps its
        data in memory and needs no index definitions).
        """
        if not enable:
            self._disable_stub(DATASTORE_SERVICE_NAME)
            return
        self._disable_stub(DATASTORE_SERVICE_NAME)
        emulator = _current.current()
        self._datastore = _DatastoreSession(emulator, stub_kw_args.get("consistency_policy"), auto_id_policy)
        self._enabled_stubs[DATASTORE_SERVICE_NAME] = DatastoreStub(emulator)

    def init_memcache_stub(self, enable=True):
        """An empty in-process memcache (``compat.memcache``)."""
        if not enable:
            self._disable_stub(MEMCACHE_SERVICE_NAME)
            return
        from compat import memcache

        memcache.reset()
        self._register_stub(MEMCACHE_SERVICE_NAME, MemcacheStub())

    def _init_unemulated(self, service_name, enable):
        if not enable:
            self._disable_stub(service_name)
            return
        self._register_stub(service_name, UnemulatedStub(service_name))

    def init_app_identity_stub(self, enable=True):
        """Accepted; the app identity service is not emulated."""
        self._init_unemulated(APP_IDENTITY_SERVICE_NAME, enable)

    def init_blobstore_stub(self, enable=True):
        """Accepted; the blobstore is not emulated."""
        self._init_unemulated(BLOBSTORE_SERVICE_NAME, enable)

    def init_capability_stub(self, enable=True):
        """Accepted; capabilities come from compat.capabilities (the datastore's read-only state)."""
        self._init_unemulated(CAPABILITY_SERVICE_NAME, enable)

    def init_channel_stub(self, enable=True):
        """Accepted; the channel service is not emulated."""
        self._init_unemulated(CHANNEL_SERVICE_NAME, enable)

    def init_files_stub(self, enable=True):
        """Accepted; the Files API is not emulated."""
        self._init_unemulated(FILES_SERVICE_NAME, enable)

    def init_images_stub(self, enable=True, **stub_kwargs):
        """Accepted; the images service is not emulated."""
        self._init_unemulated(IMAGES_SERVICE_NAME, enable)

    def init_mail_stub(self, enable=True, **stub_kw_args):
        """Accepted; mail is not emulated."""
        self._init_unemulated(MAIL_SERVICE_NAME, enable)

    def init_modules_stub(self, enable=True):
        """Accepted; the modules service is not emulated."""
        self._init_unemulated(MODULES_SERVICE_NAME, enable)

    def init_search_stub(self, enable=True, **stub_kw_args):
        """Accepted; search is not emulated."""
        self._init_unemulated(SEARCH_SERVICE_NAME, enable)

    def init_taskqueue_stub(self, enable=True, **stub_kw_args):
        """Accepted; task queues are not emulated."""
        self._init_unemulated(TASKQUEUE_SERVICE_NAME, enable)

    def init_urlfetch_stub(self, enable=True, urlmatchers=None):
        """Accepted; urlfetch is not emulated."""
        self._init_unemulated(URLFETCH_SERVICE_NAME, enable)

    def init_user_stub(self, enable=True, **stub_kw_args):
        """Accepted; ``users.get_current_user()`` reads ``USER_EMAIL``/``USER_ID`` (``setup_env``)."""
        self._init_unemulated(USER_SERVICE_NAME, enable)

    def init_xmpp_stub(self, enable=True):
        """Accepted; XMPP is not emulated."""
        self._init_unemulated(XMPP_SERVICE_NAME, enable)

    def _init_stub(self, service_name, *args, **kwargs):
        self._check_active()
        method_name = INIT_STUB_METHOD_NAMES.get(service_name)
        if method_name is None:
            raise StubNotSupportedError('The "%s" service is not supported by testbed' % service_name)
        getattr(self, method_name)(*args, **kwargs)

    def init_all_stubs(self, enable=True):
        """Every stub above."""
        for service_name in SUPPORTED_SERVICES:
            self._init_stub(service_name, enable)


def deactivate_leftovers():
    """Deactivate every testbed still active (a test that forgot ``tearDown``); called after each test."""
    while _ACTIVE:
        _ACTIVE[-1].deactivate()

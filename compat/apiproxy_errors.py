"""The legacy ``google.appengine.runtime.apiproxy_errors`` classes.

``compat.install()`` makes this module importable under its legacy name, so
``from google.appengine.runtime.apiproxy_errors import CapabilityDisabledError``
keeps working. :class:`CapabilityDisabledError` is what writes raise while the
datastore is read-only (see :mod:`compat.capabilities`).
"""

from __future__ import annotations

from typing import Any


class Error(Exception):
    """Base APIProxy error type."""


class RPCFailedError(Error):
    """The RPC to the backend failed."""


class CallNotFoundError(Error):
    """The requested API method does not exist."""


class ArgumentError(Error):
    """The arguments of an API call could not be parsed."""


class DeadlineExceededError(Error):
    """The API call took too long to respond."""


class CancelledError(Error):
    """The API call was cancelled."""


class ApplicationError(Error):
    """An application-level error with a numeric code and detail."""

    def __init__(self, application_error: int, error_detail: str = "") -> None:
        self.application_error = application_error
        self.error_detail = error_detail
        Error.__init__(self, application_error)

    def __str__(self) -> str:
        return "ApplicationError: %d %s" % (self.application_error, self.error_detail)


class OverQuotaError(Error):
    """The call was blocked for lack of quota (RESOURCE_EXHAUSTED)."""


class RequestTooLargeError(Error):
    """The request was too large."""


class ResponseTooLargeError(Error):
    """The response was too large."""


class CapabilityDisabledError(Error):
    """The API call is temporarily disabled: the datastore is read-only (maintenance)."""

    # set by compat.capabilities on the errors it raises (WriteMonitor.disabled_error)
    admin_message: str
    retry_after: float
    reasons: tuple[str, ...]


class FeatureNotEnabledError(Error):
    """The application must enable a feature to use this call."""


class InterruptedError(Error):  # noqa: A001 - legacy name
    """A wait was interrupted by an exception from another callback."""

    def __init__(self, exception: BaseException, rpc: Any) -> None:
        self.args = (
            "The Wait() request was interrupted by an exception from another callback:",
            exception,
        )
        self.__rpc = rpc
        self.__exception = exception

    @property
    def rpc(self) -> Any:
        return self.__rpc

    @property
    def exception(self) -> BaseException:
        return self.__exception


class RpcAuthorityError(Error):
    """RPC authority could not be loaded from the environment."""

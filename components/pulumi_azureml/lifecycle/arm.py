"""A minimal Azure Resource Manager client for the lifecycle hooks: one request, and waiting for
long-running operations to finish.

Credentials follow azure-native's: a service principal from ``ARM_CLIENT_ID``,
``ARM_CLIENT_SECRET`` and ``ARM_TENANT_ID`` when set, else ``DefaultAzureCredential`` (Azure CLI
login, ``AZURE_*`` variables, managed or workload identity). ``PULUMI_AZUREML_ARM_ENDPOINT``
points at another cloud's Resource Manager. The transport is injectable, so tests run offline.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

PUBLIC_ENDPOINT = "https://management.azure.com"
DONE = {"succeeded", "failed", "canceled", "cancelled"}


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: Any
    """Parsed JSON, or None."""


class Transport(Protocol):
    def __call__(self, method: str, url: str, headers: Mapping[str, str]) -> Response: ...


class ArmError(Exception):
    """Resource Manager answered with an error: the status, code and message."""


def urllib_transport(method: str, url: str, headers: Mapping[str, str]) -> Response:
    request = urllib.request.Request(url, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return Response(reply.status, dict(reply.headers), _json(reply.read()))
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), _json(error.read()))


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def default_token() -> str:
    """A Resource Manager token from the credentials azure-native would use."""
    from azure.identity import ClientSecretCredential, DefaultAzureCredential

    scope = f"{endpoint()}/.default"
    env = os.environ
    if env.get("ARM_CLIENT_ID") and env.get("ARM_CLIENT_SECRET") and env.get("ARM_TENANT_ID"):
        credential: Any = ClientSecretCredential(env["ARM_TENANT_ID"], env["ARM_CLIENT_ID"], env["ARM_CLIENT_SECRET"])
    else:
        credential = DefaultAzureCredential()
    return str(credential.get_token(scope).token)


def endpoint() -> str:
    return os.environ.get("PULUMI_AZUREML_ARM_ENDPOINT", PUBLIC_ENDPOINT).rstrip("/")


@dataclass
class ArmClient:
    """Requests to Resource Manager, and waits for what they start."""

    transport: Transport = urllib_transport
    token: Callable[[], str] = default_token
    sleep: Callable[[float], None] = time.sleep
    timeout_seconds: float = 1800
    calls: list[tuple[str, str]] = field(default_factory=list)
    """(method, URL) of every request, for logs and tests."""

    def request(self, method: str, path_or_url: str, params: Mapping[str, str] | None = None) -> Response:
        url = path_or_url if path_or_url.startswith("https://") else f"{endpoint()}{path_or_url}"
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        self.calls.append((method, url))
        return self.transport(method, url, {"Authorization": f"Bearer {self.token()}", "Accept": "application/json"})

    def call(self, method: str, path: str, params: Mapping[str, str]) -> Response:
        """One call, then wait for the operation it started; 404 counts as done (already gone)."""
        reply = self.request(method, path, params)
        if reply.status == 404:
            return reply
        _raise_for(reply, f"{method} {path}")
        if reply.status == 202:
            self._wait(reply, f"{method} {path}")
        return reply

    def wait_until_gone(self, path: str, api_version: str) -> None:
        """Poll the resource until Resource Manager says 404."""
        deadline = time.monotonic() + self.timeout_seconds
        while self.request("GET", path, {"api-version": api_version}).status != 404:
            if time.monotonic() > deadline:
                raise ArmError(f"{path} still exists after {self.timeout_seconds:.0f} s")
            self.sleep(10)

    def _wait(self, first: Response, what: str) -> None:
        headers = {k.lower(): v for k, v in first.headers.items()}
        monitor = headers.get("azure-asyncoperation") or headers.get("location")
        if not monitor:
            return
        deadline = time.monotonic() + self.timeout_seconds
        while True:
            self.sleep(float(headers.get("retry-after", "10") or 10))
            reply = self.request("GET", monitor)
            _raise_for(reply, what)
            status = str((reply.body or {}).get("status", "")).lower() if isinstance(reply.body, dict) else ""
            if status in DONE:
                if status != "succeeded":
                    raise ArmError(f"{what}: operation {status}: {_error_text(reply.body)}")
                return
            if reply.status in (200, 204) and not status:
                return
            if time.monotonic() > deadline:
                raise ArmError(f"{what}: not finished after {self.timeout_seconds:.0f} s")
            headers = {k.lower(): v for k, v in reply.headers.items()}


def _error_text(body: Any) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")
    return json.dumps(body)[:300] if body is not None else ""


def _raise_for(reply: Response, what: str) -> None:
    if reply.status >= 400:
        raise ArmError(f"{what}: HTTP {reply.status} {_error_text(reply.body)}")

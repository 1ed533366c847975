"""Hand-off to downstream code: put a stack's outputs where azure-ai-ml looks for them.

``pulumi-azureml connect --stack dev`` reads the stack outputs (``pulumi stack output --json
--show-secrets``, or a file holding what that printed), checks them, and writes two files::

    .azureml/config.json   {"subscription_id", "resource_group", "workspace_name"}: what
                           MLClient.from_config() reads
    .azureml/bundle.json   every output, sorted keys: datastore URIs, MLflow URI, compute names,
                           the registry, online endpoints, connections...

Then, from Python::

    ml_client = MLClient.from_config(DefaultAzureCredential())  # finds .azureml/config.json
    ml_client = MLClient.from_config(DefaultAzureCredential(), path="<out-dir>/config.json")

This module needs neither Pulumi's SDK nor azure-ai-ml: only the standard library (and the
Pulumi-free checks of ``core``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .core.arm import is_guid, parse_resource_id
from .core.files import WriteError, ensure_directory, read_regular, write_together
from .core.input_error import InputError
from .core.naming import RESOURCE_GROUP_RULE, WORKSPACE_RULE, NameRule, NamingError, validate_name

DEFAULT_OUT_DIR = Path(".azureml")
"""Where ``MLClient.from_config()`` looks first. Verified in azure-ai-ml 1.35.2,
``MLClient.from_config`` (azure/ai/ml/_ml_client.py): a ``path`` that is a file is read as is;
otherwise (default: the current directory) it tries ``.azureml/``, then ``aml_config/``, then the
directory itself, each for ``config.json`` then ``project.json``, each from the start directory up
through 20 parents (``traverse_up_path_and_find_file``, azure/ai/ml/_file_utils/file_utils.py).
So ``from_config()`` without ``path`` finds this directory from the project root or below it, and
an ``.azureml/`` up the tree wins over a ``config.json`` in a directory passed as ``path``: pass
the file itself when writing elsewhere with ``--out-dir``."""

CONFIG_FILE = "config.json"
BUNDLE_FILE = "bundle.json"

REQUIRED_KEYS = ("subscription_id", "resource_group_name", "workspace_name")
"""The outputs azure-ai-ml needs to build an ``MLClient``; everything else is optional."""

STRING_KEYS = (
    "environment",
    "location",
    "workspace_arm_id",
    "workspace_id",
    "discovery_url",
    "mlflow_tracking_uri",
    "storage_account_name",
    "storage_blob_endpoint",
    "key_vault_uri",
    "container_registry_login_server",
    "application_insights_id",
    "workspace_principal_id",
    "default_datastore",
    "registry_name",
    "registry_location",
    "registry_arm_id",
    "registry_resource_group_name",
    "registry_subscription_id",
    "registry_discovery_url",
    "registry_mlflow_uri",
)
STRING_LIST_KEYS = ("compute_clusters", "compute_instances", "kubernetes_computes", "attached_computes")
DATASTORE_KINDS = ("AzureBlob", "AzureFile", "AzureDataLakeGen2", "AzureDataLakeGen1")
DATASTORE_KEYS = ("name", "kind", "account_name", "container", "uri", "long_uri", "default")
ENDPOINT_KEYS = ("name", "scoring_uri", "auth_mode", "public_network_access", "compute")
# OnlineEndpoint authMode and publicNetworkAccess (EndpointAuthMode, PublicNetworkAccessType in
# pulumi_azure_native.machinelearningservices, generated from the 2025-12-01 REST spec).
ENDPOINT_AUTH_MODES = ("Key", "AMLToken", "AADToken")
PUBLIC_NETWORK_ACCESS = ("Enabled", "Disabled")
CONNECTION_KEYS = ("name", "category", "target")
REGISTRY_TYPE = "Microsoft.MachineLearningServices/registries"
# The registryName path parameter of the registry REST operations (e.g. Registry Model Containers -
# Create Or Update, 2025-04-01): ^[a-zA-Z0-9][a-zA-Z0-9\-_]{2,32}$. It goes into azureml://registries/ ids.
_REGISTRY_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}")
# Azure ML always has this datastore; `default_datastore` falls back to it.
SERVICE_DEFAULT_DATASTORE = "workspaceblobstore"
# `pulumi stack output --json` without --show-secrets prints secrets as this string.
SECRET_PLACEHOLDER = "[secret]"
# azure-ai-ml's LONG_URI_REGEX_FORMAT (azure/ai/ml/constants/_common.py), up to `paths/`.
_LONG_URI = re.compile(
    r"azureml://subscriptions/([^/]+)/resource[gG]roups/([^/]+)/workspaces/([^/]+)/datastores/([^/]+)/paths/"
)


MAX_OUTPUTS_BYTES = 16 * 1024 * 1024
"""Outputs files over this size are refused (a stack's outputs are a few kilobytes)."""


class ConnectError(InputError):
    """The outputs cannot be read or are malformed: one line for the user, exit status 2.

    Parallels ``pulumi_azureml.plan.PlanError`` without importing the plan engine (and Pulumi's
    SDK), so ``connect`` starts fast and works where only the outputs file is available.
    """


def pulumi_command(stack: str) -> list[str]:
    """The command whose stdout ``--outputs`` expects (without the resolved executable)."""
    return ["pulumi", "stack", "output", "--json", "--show-secrets", "--stack", stack]


def read_outputs(stack: str, *, outputs_file: Path | None = None, cwd: Path = Path(".")) -> dict[str, Any]:
    """The stack's outputs, validated: from ``outputs_file`` if given, else from the Pulumi CLI in ``cwd``."""
    if outputs_file is not None:
        try:
            text = read_regular(outputs_file, MAX_OUTPUTS_BYTES).decode("utf-8")
        except ValueError as error:
            if isinstance(error, UnicodeDecodeError):
                raise ConnectError(f"{outputs_file}: not UTF-8 (byte {error.start})") from None
            raise ConnectError(f"{outputs_file}: cannot read: {error}; not a stack's outputs") from None
        except OSError as error:
            raise ConnectError(f"{outputs_file}: cannot read: {error.strerror or type(error).__name__}") from None
        source = str(outputs_file)
    else:
        text = _run_pulumi(stack, cwd)
        source = f"`pulumi stack output --stack {stack}`"
    outputs = parse_outputs(text, source)
    validate_outputs(outputs, source)
    return outputs


def _run_pulumi(stack: str, cwd: Path) -> str:
    executable = shutil.which("pulumi")
    if executable is None:
        raise ConnectError(
            "the Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/install/) or pass "
            f"--outputs FILE with what `{' '.join(pulumi_command(stack))}` printed"
        )
    if not cwd.is_dir():
        raise ConnectError(f"--cwd {cwd}: not a directory")
    try:
        # stdin closed: a secrets passphrase prompt fails (PULUMI_CONFIG_PASSPHRASE unset) instead of hanging.
        done = subprocess.run(
            [executable, *pulumi_command(stack)[1:]],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise ConnectError(f"cannot run {executable}: {error.strerror or error}") from None
    if done.returncode != 0:
        first = next((line.strip() for line in done.stderr.splitlines() if line.strip()), "no error message")
        raise ConnectError(f"`pulumi stack output --stack {stack}` failed (exit {done.returncode}): {first}")
    return done.stdout


def parse_outputs(text: str, source: str) -> dict[str, Any]:
    """The JSON object ``pulumi stack output --json`` prints; ``source`` names it in errors."""
    try:
        outputs = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConnectError(
            f"{source}: not JSON ({error.msg} at line {error.lineno} column {error.colno}); expected what "
            "`pulumi stack output --json --show-secrets` prints"
        ) from None
    except (ValueError, RecursionError) as error:
        # A number of thousands of digits, or nesting deeper than the JSON parser goes.
        raise ConnectError(f"{source}: not a stack's outputs: {str(error).splitlines()[0][:120]}") from None
    if not isinstance(outputs, dict):
        raise ConnectError(f"{source}: expected a JSON object of output name -> value, got {_json_type(outputs)}")
    return outputs


def validate_outputs(outputs: Mapping[str, Any], source: str) -> None:
    """Check the keys downstream code relies on; unknown outputs are kept and not checked."""

    def fail(key: str, problem: str) -> ConnectError:
        return ConnectError(f"{source}: {key}: {problem}")

    for key in REQUIRED_KEYS:
        if key not in outputs:
            raise fail(key, "missing (azure-ai-ml needs subscription_id, resource_group_name and workspace_name)")
        value = outputs[key]
        if not isinstance(value, str) or not value.strip():
            raise fail(key, f"expected a non-empty string, got {_describe(value)}")
        if value == SECRET_PLACEHOLDER:
            raise fail(key, f"is {SECRET_PLACEHOLDER!r}: the outputs were printed without --show-secrets")
        # These go into files and, through azure-ai-ml, into ARM request paths: only what Azure allows.
        problem = _REQUIRED_RULES[key](value)
        if problem:
            raise fail(key, f"{value[:120]!r} {problem}")
    for key in STRING_KEYS:
        if key in outputs and outputs[key] is not None and not isinstance(outputs[key], str):
            raise fail(key, f"expected a string, got {_describe(outputs[key])}")
    for key in STRING_LIST_KEYS:
        if key in outputs and not _is_string_list(outputs[key]):
            raise fail(key, f"expected a list of strings, got {_describe(outputs[key])}")
    if "datastores" in outputs:
        _validate_datastores(outputs, fail)
    _validate_registry(outputs, fail)
    if "online_endpoints" in outputs:
        _validate_online_endpoints(outputs, fail)
    if "connections" in outputs:
        _validate_connections(outputs, fail)
    for key, value in outputs.items():
        where = _lone_surrogate(value)
        if where is not None:
            raise fail(f"{key}{where}", "holds a lone surrogate (JSON's \\ud800 alone): not text, cannot be written")


def _lone_surrogate(value: Any, where: str = "") -> str | None:
    """The path to the first string with a lone surrogate in ``value``, or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for name, item in items:
        found = _lone_surrogate(item, f"{where}[{name!r}]" if isinstance(name, str) else f"{where}[{name}]")
        if found is not None:
            return found
    return None


def _validate_datastores(outputs: Mapping[str, Any], fail: Callable[[str, str], ConnectError]) -> None:
    stores = outputs["datastores"]
    if not isinstance(stores, list):
        raise fail("datastores", f"expected a list of objects, got {_describe(stores)}")
    sub, rg, ws = (outputs[key] for key in REQUIRED_KEYS)
    names: list[str] = []
    for index, store in enumerate(stores):
        at = f"datastores[{index}]"
        if not isinstance(store, dict):
            raise fail(at, f"expected an object, got {_describe(store)}")
        missing = [key for key in DATASTORE_KEYS if key not in store]
        if missing:
            raise fail(at, f"missing {', '.join(missing)} (each datastore has {', '.join(DATASTORE_KEYS)})")
        name = store["name"]
        if not isinstance(name, str) or not name:
            raise fail(f"{at}.name", f"expected a non-empty string, got {_describe(name)}")
        if name in names:
            raise fail(f"{at}.name", f"{name!r} appears twice")
        names.append(name)
        if store["kind"] not in DATASTORE_KINDS:
            raise fail(f"{at}.kind", f"expected one of {', '.join(DATASTORE_KINDS)}, got {_describe(store['kind'])}")
        if store["account_name"] is not None and not isinstance(store["account_name"], str):
            raise fail(f"{at}.account_name", f"expected a string or null, got {_describe(store['account_name'])}")
        if not isinstance(store["container"], str) or not store["container"]:
            raise fail(f"{at}.container", f"expected a non-empty string, got {_describe(store['container'])}")
        if not isinstance(store["default"], bool):
            raise fail(f"{at}.default", f"expected true or false, got {_describe(store['default'])}")
        # The URIs are what data assets point at: a mismatch would register assets against the
        # wrong datastore or workspace (e.g. a bundle stitched together from two stacks).
        short = f"azureml://datastores/{name}/paths/"
        if store["uri"] != short:
            raise fail(f"{at}.uri", f"expected {short!r}, got {_describe(store['uri'])}")
        long_uri = store["long_uri"]
        match = _LONG_URI.fullmatch(long_uri) if isinstance(long_uri, str) else None
        if match is None:
            raise fail(
                f"{at}.long_uri",
                "expected 'azureml://subscriptions/<sub>/resourcegroups/<rg>/workspaces/<ws>/datastores/"
                f"<name>/paths/', got {_describe(long_uri)}",
            )
        if match.groups() != (sub, rg, ws, name):
            raise fail(
                f"{at}.long_uri",
                f"{long_uri!r} does not name this workspace and datastore "
                f"(subscription {sub}, resource group {rg}, workspace {ws}, datastore {name})",
            )
    if sum(1 for store in stores if store["default"]) > 1:
        raise fail("datastores", "more than one datastore has default: true")
    default = outputs.get("default_datastore")
    if isinstance(default, str) and names and default not in (*names, SERVICE_DEFAULT_DATASTORE):
        raise fail("default_datastore", f"{default!r} is not one of the datastores ({', '.join(names)})")


def _validate_registry(outputs: Mapping[str, Any], fail: Callable[[str, str], ConnectError]) -> None:
    """The registry's name, group and subscription go into ARM paths and ``azureml://registries/`` ids."""
    checks: dict[str, Callable[[str], str | None]] = {
        "registry_subscription_id": _guid_problem,
        "registry_resource_group_name": _name_problem(RESOURCE_GROUP_RULE),
        "registry_name": _registry_name_problem,
    }
    for key, problem_of in checks.items():
        value = outputs.get(key)
        if not isinstance(value, str):
            continue  # absent or null; a wrong type was refused above
        if value == SECRET_PLACEHOLDER:
            raise fail(key, f"is {SECRET_PLACEHOLDER!r}: the outputs were printed without --show-secrets")
        problem = problem_of(value)
        if problem:
            raise fail(key, f"{value[:120]!r} {problem}")
    arm_id = outputs.get("registry_arm_id")
    if not isinstance(arm_id, str):
        return
    try:
        rid = parse_resource_id(arm_id, REGISTRY_TYPE)
    except ValueError as error:
        raise fail("registry_arm_id", f"{arm_id[:160]!r} {error}") from None
    # A bundle stitched from two stacks would copy models into one registry and deploy from another.
    # ARM treats these names case-insensitively, and may return the id in another case.
    for key, part in (
        ("registry_subscription_id", rid.subscription_id),
        ("registry_resource_group_name", rid.resource_group),
        ("registry_name", rid.name),
    ):
        value = outputs.get(key)
        if isinstance(value, str) and value.lower() != part.lower():
            raise fail("registry_arm_id", f"{arm_id!r} does not name {key} {value!r}")


def _registry_name_problem(value: str) -> str | None:
    if _REGISTRY_NAME.fullmatch(value):
        return None
    return "is not a registry name: 3-33 letters, digits, '-' or '_', starting with a letter or digit"


def _entries(
    outputs: Mapping[str, Any], key: str, keys: tuple[str, ...], what: str, fail: Callable[[str, str], ConnectError]
) -> list[dict[str, Any]]:
    """``outputs[key]``: a list of objects with every one of ``keys`` and unique non-empty names."""
    entries = outputs[key]
    if not isinstance(entries, list):
        raise fail(key, f"expected a list of objects, got {_describe(entries)}")
    names: list[str] = []
    for index, entry in enumerate(entries):
        at = f"{key}[{index}]"
        if not isinstance(entry, dict):
            raise fail(at, f"expected an object, got {_describe(entry)}")
        missing = [name for name in keys if name not in entry]
        if missing:
            raise fail(at, f"missing {', '.join(missing)} (each {what} has {', '.join(keys)})")
        name = entry["name"]
        if not isinstance(name, str) or not name:
            raise fail(f"{at}.name", f"expected a non-empty string, got {_describe(name)}")
        if name in names:
            raise fail(f"{at}.name", f"{name!r} appears twice")
        names.append(name)
    return entries


def _validate_online_endpoints(outputs: Mapping[str, Any], fail: Callable[[str, str], ConnectError]) -> None:
    for index, endpoint in enumerate(_entries(outputs, "online_endpoints", ENDPOINT_KEYS, "endpoint", fail)):
        at = f"online_endpoints[{index}]"
        if not isinstance(endpoint["scoring_uri"], str) or not endpoint["scoring_uri"]:
            raise fail(f"{at}.scoring_uri", f"expected a non-empty string, got {_describe(endpoint['scoring_uri'])}")
        if endpoint["auth_mode"] not in ENDPOINT_AUTH_MODES:
            allowed = ", ".join(ENDPOINT_AUTH_MODES)
            raise fail(f"{at}.auth_mode", f"expected one of {allowed}, got {_describe(endpoint['auth_mode'])}")
        compute = endpoint["compute"]
        if compute is not None and (not isinstance(compute, str) or not compute):
            raise fail(f"{at}.compute", f"expected a non-empty string or null, got {_describe(compute)}")
        # A Kubernetes endpoint (compute set) has none: it is reached through the cluster's router
        # (inference/endpoint.py exports null for it).
        access = endpoint["public_network_access"]
        if access not in PUBLIC_NETWORK_ACCESS and not (access is None and compute is not None):
            allowed = ", ".join(PUBLIC_NETWORK_ACCESS)
            rule = f"one of {allowed}" + (" or null (Kubernetes compute)" if compute is not None else "")
            raise fail(f"{at}.public_network_access", f"expected {rule}, got {_describe(access)}")


def _validate_connections(outputs: Mapping[str, Any], fail: Callable[[str, str], ConnectError]) -> None:
    for index, connection in enumerate(_entries(outputs, "connections", CONNECTION_KEYS, "connection", fail)):
        at = f"connections[{index}]"
        if not isinstance(connection["category"], str) or not connection["category"]:
            raise fail(f"{at}.category", f"expected a non-empty string, got {_describe(connection['category'])}")
        if not isinstance(connection["target"], str):
            raise fail(f"{at}.target", f"expected a string, got {_describe(connection['target'])}")


def _guid_problem(value: str) -> str | None:
    return None if is_guid(value) else "is not a subscription id (a GUID)"


def _name_problem(rule: NameRule) -> Callable[[str], str | None]:
    def problem(value: str) -> str | None:
        try:
            validate_name(rule, value)
        except NamingError as err:
            return f"is not a {rule.service} name: {err.rule}"
        return None

    return problem


_REQUIRED_RULES: dict[str, Callable[[str], str | None]] = {
    "subscription_id": _guid_problem,
    "resource_group_name": _name_problem(RESOURCE_GROUP_RULE),
    "workspace_name": _name_problem(WORKSPACE_RULE),
}


def azureml_config(outputs: Mapping[str, Any]) -> dict[str, str]:
    """The ``config.json`` ``MLClient.from_config`` reads.

    Keys per ``MLClient._get_workspace_info`` (azure/ai/ml/_ml_client.py): ``subscription_id``,
    ``resource_group`` (not ``resource_group_name``) and ``workspace_name``.
    """
    return {
        "subscription_id": outputs["subscription_id"],
        "resource_group": outputs["resource_group_name"],
        "workspace_name": outputs["workspace_name"],
    }


def write_connection_files(outputs: Mapping[str, Any], out_dir: Path) -> list[Path]:
    """Write ``config.json`` and ``bundle.json`` into ``out_dir`` (created if needed), mode 0600.

    The outputs are checked first, so a bad bundle never replaces a good one; the two files are
    written together or not at all (:func:`~pulumi_azureml.core.files.write_together`).
    """
    validate_outputs(outputs, "outputs")
    try:
        # 0700 only applies when connect creates the directory; an existing one keeps its mode.
        ensure_directory(out_dir, mode=0o700)
        # --show-secrets puts secret outputs in clear text: only the owner may read the files.
        return write_together(
            {
                out_dir / CONFIG_FILE: _json(azureml_config(outputs)),
                out_dir / BUNDLE_FILE: _json(dict(outputs)),
            },
            mode=0o600,
        )
    except WriteError as error:
        raise ConnectError(str(error)) from None


def _json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _is_string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _describe(value: object) -> str:
    if value is None or isinstance(value, dict | list):
        return _json_type(value)
    return f"{_json_type(value)} ({json.dumps(value)[:60]})"

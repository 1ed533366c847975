""" "Will it work" rules: what Azure would refuse, or what leaves the platform's users without access.

Security rules mirror what Azure Policy, PSRule and Checkov check; these mirror what Azure does,
each with the Microsoft document or issue thread that shows it. They are mandatory in every
environment: a platform that cannot work is not a matter of posture. Each judges a resource by its
type and inputs and the stack's other resources (and what they depend on: a grant to a compute's
identity depends on that compute).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ...core import vmsizes
from ...core.rolenames import BuiltInRole
from ..model import MANDATORY_ALL, Resource, Rule, get, gh, is_known, learn
from .links import STORAGE_PATH, WORKSPACE_PATH, has_private_endpoint
from .types import (
    COMPUTE,
    DATASTORE,
    ONLINE_ENDPOINT,
    OUTBOUND_RULE,
    PRIVATE_ENDPOINT,
    REGISTRY,
    STORAGE_ACCOUNT,
    WORKSPACE,
)

ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
STORAGE_BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
BLOB_READ = {
    BuiltInRole.STORAGE_BLOB_DATA_READER.value,
    BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR.value,
    STORAGE_BLOB_DATA_OWNER,
}
BLOB_WRITE = {BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR.value, STORAGE_BLOB_DATA_OWNER}
FILE_READ = {
    BuiltInRole.STORAGE_FILE_DATA_PRIVILEGED_READER.value,
    BuiltInRole.STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR.value,
}
FILE_WRITE = {BuiltInRole.STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR.value}
SERVICE_MADE = {
    BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR.value,
    BuiltInRole.STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR.value,
}


def _text(value: Any) -> str:
    return value.lower() if isinstance(value, str) and is_known(value) else ""


def role_of(r: Resource) -> str:
    return _text(r.inputs.get("roleDefinitionId")).rstrip("/").rsplit("/", 1)[-1]


def _assignments(stack: Sequence[Resource]) -> list[Resource]:
    return [r for r in stack if r.type == ROLE_ASSIGNMENT]


def _workspace_of(r: Resource, stack: Sequence[Resource]) -> Resource | None:
    """The workspace in the stack that ``r`` (a compute, datastore or rule) hangs off."""
    name, group = r.inputs.get("workspaceName"), r.inputs.get("resourceGroupName")
    for other in stack:
        same = other.inputs.get("workspaceName") == name and other.inputs.get("resourceGroupName") == group
        if other.type == WORKSPACE and same:
            return other
    return None


def _account_name(storage_id: Any) -> str:
    text = _text(storage_id)
    marker = STORAGE_PATH.lower()
    return text.split(marker, 1)[1].split("/", 1)[0] if marker in text else ""


def _covers(scope: str, account: str, container: str | None) -> bool:
    """Whether an assignment at ``scope`` reaches the account (or the container in it)."""
    base = f"{STORAGE_PATH.lower()}{account}"
    if scope.endswith(base):
        return True
    return container is not None and scope.endswith(f"{base}/blobservices/default/containers/{container.lower()}")


def _has_role(
    stack: Sequence[Resource], roles: set[str], account: str, container: str | None = None, **who: str
) -> bool:
    """A role assignment in the stack gives one of ``roles`` on the account to the principal:
    ``principal`` (its id) or ``depends_on`` (the URN its principal comes from)."""
    for ra in _assignments(stack):
        if role_of(ra) not in roles or not _covers(_text(ra.inputs.get("scope")), account, container):
            continue
        if "principal" in who and _text(ra.inputs.get("principalId")) == who["principal"].lower():
            return True
        if "depends_on" in who and who["depends_on"] in ra.dependencies:
            return True
    return False


def _unknown(*values: Any) -> bool:
    return any(not is_known(v) or not isinstance(v, str) or not v for v in values)


# -- RUN-001 -------------------------------------------------------------------------------------


def _retired_size(r: Resource, _: Sequence[Resource]) -> str | None:
    size = get(r.inputs, "properties.properties.vmSize")
    news = vmsizes.notice(size) if isinstance(size, str) else None
    if news is not None and news.status == "retired":
        return news.message()
    return None


# -- RUN-002 -------------------------------------------------------------------------------------


def _identity_datastore(r: Resource) -> tuple[str, str] | None:
    """(account, container) of an identity-based Blob or Gen2 datastore."""
    props = r.inputs.get("properties")
    if not isinstance(props, Mapping) or get(props, "credentials.credentialsType") != "None":
        return None
    if props.get("datastoreType") not in ("AzureBlob", "AzureDataLakeGen2"):
        return None
    account, container = props.get("accountName"), props.get("containerName") or props.get("filesystem")
    if _unknown(account, container):
        return None
    return str(account).lower(), str(container)


def _judged_identity(compute: Resource, stack: Sequence[Resource]) -> bool:
    """A compute whose identity's grants this rule can see: a system identity (the grant's
    principal comes from the compute), or user-assigned ones granted from the compute's outputs."""
    kind = str(get(compute.inputs, "identity.type") or "")
    if "SystemAssigned" in kind:
        return True
    return "UserAssigned" in kind and any(compute.urn in ra.dependencies for ra in _assignments(stack))


def _datastore_readers(r: Resource, stack: Sequence[Resource]) -> str | None:
    found = _identity_datastore(r)
    workspace = _workspace_of(r, stack)
    if found is None or workspace is None:
        return None
    account, container = found
    blind = [
        c.name
        for c in stack
        if c.type == COMPUTE
        and _workspace_of(c, stack) is workspace
        and _judged_identity(c, stack)
        and not _has_role(stack, BLOB_READ, account, container, depends_on=c.urn)
    ]
    if blind:
        return (
            f"identity datastore {r.inputs.get('name')!r}: the identity of {', '.join(blind)} has no data role on "
            f"{account}/{container}, so jobs there cannot read it"
        )
    return None


# -- RUN-003 -------------------------------------------------------------------------------------


def _identity_storage(workspace: Resource) -> str:
    """The default storage's account name when the workspace reaches it by identity, else ''."""
    if workspace.inputs.get("systemDatastoresAuthMode") != "Identity":
        return ""
    return _account_name(workspace.inputs.get("storageAccount"))


def _workspace_at(scope: Any, stack: Sequence[Resource]) -> Resource | None:
    text = _text(scope)
    for other in stack:
        name = other.inputs.get("workspaceName")
        if other.type == WORKSPACE and isinstance(name, str) and text.endswith(f"{WORKSPACE_PATH}{name}".lower()):
            return other
    return None


def _missing_storage_roles(principal: str, account: str, stack: Sequence[Resource], write: bool) -> list[str]:
    needs = [
        ("Storage Blob Data " + ("Contributor" if write else "Reader"), BLOB_WRITE if write else BLOB_READ),
        ("Storage File Data Privileged " + ("Contributor" if write else "Reader"), FILE_WRITE if write else FILE_READ),
    ]
    return [name for name, roles in needs if not _has_role(stack, roles, account, principal=principal)]


def _people_storage(r: Resource, stack: Sequence[Resource]) -> str | None:
    if r.type == COMPUTE:
        return _instance_user_storage(r, stack)
    role, kind = role_of(r), r.inputs.get("principalType")
    teams = {BuiltInRole.AZUREML_DATA_SCIENTIST.value: True, BuiltInRole.READER.value: False}
    if role not in teams or kind not in ("User", "Group"):
        return None
    workspace = _workspace_at(r.inputs.get("scope"), stack)
    account = _identity_storage(workspace) if workspace is not None else ""
    principal = _text(r.inputs.get("principalId"))
    if not account or not principal:
        return None
    missing = _missing_storage_roles(principal, account, stack, write=teams[role])
    if missing:
        return (
            f"{kind} {principal} has a workspace role but not {' or '.join(missing)} on the default storage "
            f"{account}: in identity mode the studio, notebooks and data browsing fail for them"
        )
    return None


def _instance_user_storage(r: Resource, stack: Sequence[Resource]) -> str | None:
    user = get(r.inputs, "properties.properties.personalComputeInstanceSettings.assignedUser.objectId")
    workspace = _workspace_of(r, stack)
    account = _identity_storage(workspace) if workspace is not None else ""
    if not isinstance(user, str) or not is_known(user) or not account:
        return None
    if _has_role(stack, FILE_WRITE, account, principal=user):
        return None
    return (
        f"the instance's user {user} has no Storage File Data Privileged Contributor on the default storage "
        f"{account}: their notebooks and files on the instance fail in identity mode"
    )


# -- RUN-004 -------------------------------------------------------------------------------------


def _image_builds(r: Resource, stack: Sequence[Resource]) -> str | None:
    registry_id = _text(r.inputs.get("containerRegistry"))
    if not registry_id or r.inputs.get("imageBuildCompute"):
        return None
    for other in stack:
        name = other.inputs.get("registryName")
        ours = other.type == REGISTRY and isinstance(name, str) and registry_id.endswith(f"/registries/{name.lower()}")
        if ours and other.inputs.get("publicNetworkAccess") == "Disabled":
            return (
                f"the registry {name} is private and no imageBuildCompute is set: environment images cannot "
                "be built (the default build cannot reach a registry behind a network)"
            )
    return None


# -- RUN-005 -------------------------------------------------------------------------------------


def _endpoints(stack: Sequence[Resource], workspace: Resource | None) -> Iterable[tuple[str, str, Resource]]:
    """(target resource id, subresource, resource) of every private endpoint and endpoint rule."""
    for other in stack:
        if other.type == OUTBOUND_RULE and (workspace is None or _workspace_of(other, stack) is workspace):
            destination = get(other.inputs, "properties.destination") or {}
            if isinstance(destination, Mapping):
                yield _text(destination.get("serviceResourceId")), str(destination.get("subresourceTarget")), other
        elif other.type == PRIVATE_ENDPOINT and workspace is None:
            for conn in other.inputs.get("privateLinkServiceConnections") or []:
                if isinstance(conn, Mapping):
                    for group in conn.get("groupIds") or []:
                        yield _text(conn.get("privateLinkServiceId")), str(group), other


def _gen2_blob(r: Resource, stack: Sequence[Resource]) -> str | None:
    workspace = _workspace_of(r, stack) if r.type == OUTBOUND_RULE else None
    mine = [(target, sub) for target, sub, owner in _endpoints(stack, workspace) if owner is r]
    for target, sub in mine:
        if sub != "dfs" or not target:
            continue
        if not any(t == target and s == "blob" for t, s, _ in _endpoints(stack, workspace)):
            return (
                f"a dfs private endpoint to {target.rsplit('/', 1)[-1]} without a blob one: Data Lake Gen2 "
                "redirects some operations to the blob endpoint, which then fails"
            )
    return None


# -- RUN-006 -------------------------------------------------------------------------------------


def _ancestors(urn: str, by_urn: Mapping[str, Resource]) -> set[str]:
    seen: set[str] = set()
    todo = [urn]
    while todo:
        current = by_urn.get(todo.pop())
        for dep in current.dependencies if current is not None else ():
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def _rule_order(r: Resource, stack: Sequence[Resource]) -> str | None:
    workspace = _workspace_of(r, stack)
    if workspace is None:
        return None
    if workspace.inputs.get("managedNetwork", {}).get("outboundRules"):
        return "the workspace also sets managedNetwork.outboundRules: two owners of one rule set overwrite each other"
    by_urn = {x.urn: x for x in stack}
    mine = _ancestors(r.urn, by_urn)
    racing = [
        other.inputs.get("ruleName")
        for other in stack
        if other.type == OUTBOUND_RULE
        and other.urn != r.urn
        and _workspace_of(other, stack) is workspace
        and other.urn not in mine
        and r.urn not in _ancestors(other.urn, by_urn)
    ]
    if racing:
        return (
            f"outbound rule {r.inputs.get('ruleName')!r} can be applied at the same time as {racing}: the service "
            "applies rule changes one at a time and concurrent ones get lost (chain them with depends_on)"
        )
    return None


# -- RUN-007 -------------------------------------------------------------------------------------


def _assignment_key(r: Resource) -> tuple[str, str, str] | None:
    scope, principal, role = _text(r.inputs.get("scope")), _text(r.inputs.get("principalId")), role_of(r)
    return (scope, principal, role) if scope and principal and role else None


def _declared_twice(r: Resource, stack: Sequence[Resource]) -> str | None:
    key = _assignment_key(r)
    earlier = next((o for o in _assignments(stack) if o is not r and _assignment_key(o) == key), None) if key else None
    if earlier is not None and stack.index(earlier) < stack.index(r):
        return f"the same role, principal and scope as {earlier.name}: Azure refuses the second (RoleAssignmentExists)"
    for workspace in (w for w in stack if w.type == WORKSPACE and w.urn in r.dependencies):
        storage = _text(workspace.inputs.get("storageAccount"))
        system = "SystemAssigned" in str(get(workspace.inputs, "identity.type") or "")
        if system and storage and _text(r.inputs.get("scope")) == storage and role_of(r) in SERVICE_MADE:
            return (
                "a data role of the workspace's system identity on its default storage: Azure ML assigns it itself, "
                "so this one fails with RoleAssignmentExists"
            )
    return None


# -- RUN-008 -------------------------------------------------------------------------------------


def _studio_storage(r: Resource, stack: Sequence[Resource]) -> str | None:
    if r.inputs.get("publicNetworkAccess") != "Enabled":
        return None
    account = _account_name(r.inputs.get("storageAccount"))
    for other in stack:
        if other.type != STORAGE_ACCOUNT or _text(other.inputs.get("accountName")) != account or not account:
            continue
        closed = other.inputs.get("publicNetworkAccess") == "Disabled" or (
            get(other.inputs, "networkRuleSet.defaultAction") == "Deny"
        )
        if closed and not has_private_endpoint(f"{STORAGE_PATH}{other.inputs.get('accountName')}", stack):
            return (
                f"the workspace is public but its default storage {account} admits no client: the studio in a "
                "browser talks to that storage directly, so notebooks, uploads and data previews fail"
            )
    return None


# -- RUN-012 -------------------------------------------------------------------------------------

ML_REGISTRY_PATH = "/providers/microsoft.machinelearningservices/registries/"
USER_ASSIGNED_IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"


def _registry_users(workspace: Resource, stack: Sequence[Resource]) -> list[str]:
    """Names of the Azure ML registries the workspace's identity, computes or endpoints are granted."""
    found: list[str] = []
    # The workspace, what is placed on it, and its user-assigned identity (whose grants depend on it).
    placed = {o.urn for o in stack if o.type in (COMPUTE, ONLINE_ENDPOINT) and _workspace_of(o, stack) is workspace}
    identities = {o.urn for o in stack if o.type == USER_ASSIGNED_IDENTITY and o.urn in workspace.dependencies}
    owners = placed | identities | {workspace.urn}
    for ra in _assignments(stack):
        scope = _text(ra.inputs.get("scope"))
        if ML_REGISTRY_PATH in scope and owners.intersection(ra.dependencies):
            name = scope.split(ML_REGISTRY_PATH, 1)[1].split("/", 1)[0]
            if name not in found:
                found.append(name)
    return found


def _registry_outbound(r: Resource, stack: Sequence[Resource]) -> str | None:
    if get(r.inputs, "managedNetwork.isolationMode") != "AllowOnlyApprovedOutbound":
        return None
    registries = _registry_users(r, stack)
    if not registries:
        return None
    tags: set[str] = set()
    for rule in stack:
        if rule.type != OUTBOUND_RULE or _workspace_of(rule, stack) is not r:
            continue
        destination = get(rule.inputs, "properties.destination") or {}
        if not isinstance(destination, Mapping):
            continue
        if str(destination.get("subresourceTarget")) == "amlregistry":
            return None  # a private endpoint to the registry (its storage and ACR are RUN-005's kind of concern)
        tag = destination.get("serviceTag")
        if isinstance(tag, str):
            tags.add(tag.split(".", 1)[0].lower())
    missing = [t for t in ("Storage", "AzureContainerRegistry") if t.lower() not in tags]
    if not missing:
        return None
    return (
        f"uses the Azure ML registry {', '.join(registries)} but its managed network allows only approved outbound "
        f"and has no {' or '.join(f'{t}.<region>' for t in missing)} rule nor a private endpoint rule to the "
        "registry (amlregistry): jobs and deployments cannot download its models or pull its environment images"
    )


def _rule(rule_id: str, title: str, types: tuple[str, ...], sources: Any, fix: str, check: Any) -> Rule:
    return Rule(
        id=rule_id,
        title=title,
        types=types,
        sources=tuple(sources),
        fix=fix,
        check=check,
        levels=dict(MANDATORY_ALL),
        needs_stack=True,
        family="works",
    )


RULES: tuple[Rule, ...] = (
    _rule(
        "RUN-001",
        "Compute VM size is not retired",
        (COMPUTE,),
        (learn("azure-compute-docs sizes/retirement/retired-sizes-list.md"), learn("ncv3-retirement.md")),
        "computeClusters[].vmSize / computeInstances[].vmSize: a current size (the error names the successor)",
        _retired_size,
    ),
    _rule(
        "RUN-002",
        "Every compute identity can read the identity datastores",
        (DATASTORE,),
        (learn("how-to-identity-based-service-authentication.md"), learn("how-to-disable-local-auth-storage.md")),
        "computeClusters[].datastoreAccess (default: all datastores), or grant_read/grant_write(compute)",
        _datastore_readers,
    ),
    _rule(
        "RUN-003",
        "People and instance users hold the storage roles identity mode needs",
        (ROLE_ASSIGNMENT, COMPUTE),
        (learn("how-to-disable-local-auth-storage.md"), learn("how-to-assign-roles.md")),
        "access.dataScientists / access.readers (they get the storage roles), computeInstances[].userAccess: true",
        _people_storage,
    ),
    _rule(
        "RUN-004",
        "A private registry has an image-build compute",
        (WORKSPACE,),
        (learn("how-to-managed-network.md (Configure image builds)"), learn("how-to-secure-workspace-vnet.md")),
        "workspace.imageBuildCompute (created as image-builder when the registry is private)",
        _image_builds,
    ),
    _rule(
        "RUN-005",
        "A Data Lake Gen2 private endpoint has a blob endpoint too",
        (OUTBOUND_RULE, PRIVATE_ENDPOINT),
        (learn("storage-private-endpoints.md"),),
        "AzureDataLakeGen2 datastores add the blob rule themselves; add a blob endpoint next to your dfs one",
        _gen2_blob,
    ),
    _rule(
        "RUN-006",
        "Managed-network outbound rules have one owner and apply one at a time",
        (OUTBOUND_RULE,),
        (gh("Azure/terraform-provider-azapi#453"), gh("Azure/azure-sdk-for-python#32643")),
        "declare rules on the workspace's placement (they chain); never set workspace.overrides.managed_network rules",
        _rule_order,
    ),
    _rule(
        "RUN-007",
        "No role assignment is declared twice or made by Azure ML itself",
        (ROLE_ASSIGNMENT,),
        (gh("hashicorp/terraform-provider-azurerm#17421"), learn("how-to-identity-based-service-authentication.md")),
        "identity.assignRoles leaves the system identity's roles to Azure ML; grant_read/grant_write keep one "
        "grant per principal, role and scope",
        _declared_twice,
    ),
    _rule(
        "RUN-008",
        "A public studio can reach its default storage",
        (WORKSPACE,),
        (learn("how-to-managed-network.md (studio)"), learn("how-to-enable-studio-virtual-network.md")),
        "storage.publicNetworkAccess: Enabled (keys off, RBAC only), or a storage private endpoint in the "
        "users' network",
        _studio_storage,
    ),
    _rule(
        "RUN-012",
        "A workspace allowing only approved outbound can reach the registries it uses",
        (WORKSPACE,),
        (
            learn("how-to-registry-network-isolation.md (public registry, secure workspace)"),
            learn("how-to-managed-network.md (List of required rules)"),
        ),
        "registry.outboundRegions (default: the stack's location; use_registry adds registry-st-<region> and "
        "registry-acr-<region>), or a PrivateEndpoint outbound rule to the registry (subresourceTarget amlregistry)",
        _registry_outbound,
    ),
)

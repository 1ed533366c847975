"""Azure built-in role definitions by name (pulumi-free: the policy rules read them too).

Role definition GUIDs are the same in every public-cloud tenant; see
https://learn.microsoft.com/azure/role-based-access-control/built-in-roles.
"""

from __future__ import annotations

from enum import StrEnum


class BuiltInRole(StrEnum):
    """Built-in roles by name; the value is the role definition GUID."""

    CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
    READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
    STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
    STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR = "69566ab7-960f-475b-8e7c-b3118f30c6bd"
    STORAGE_ACCOUNT_CONTRIBUTOR = "17d1049b-9a84-46fb-8f53-869881c3d3ab"
    """Manages a storage account (and can list its keys): what Learn asks for an AKS compute of an HBI workspace."""
    STORAGE_FILE_DATA_PRIVILEGED_READER = "b8eda974-7b85-4f76-af95-65846b26df6d"
    KEY_VAULT_ADMINISTRATOR = "00482a5a-887f-4fb3-b363-3b7fe8e74483"
    KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
    ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
    ACR_PUSH = "8311e382-0749-4cb8-b61a-304f252e45ec"
    AZURE_AI_ENTERPRISE_NETWORK_CONNECTION_APPROVER = "b556d68e-0be0-4f35-a333-ad7ee1ce17ea"
    AZUREML_DATA_SCIENTIST = "f6c7c914-8db3-469d-8ca1-694a8f32e121"
    AZUREML_COMPUTE_OPERATOR = "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815"
    AZUREML_REGISTRY_USER = "1823dd4f-9b8c-4ab6-ab4e-7397a3684615"
    """Reads, writes and deletes assets in an Azure ML registry (built-in-roles, "AzureML Registry User")."""
    COGNITIVE_SERVICES_OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
    """Calls an Azure OpenAI account's models (built-in-roles, "Cognitive Services OpenAI User")."""
    COGNITIVE_SERVICES_USER = "a97b65f3-24c7-4388-baec-2e87135dc908"
    """Uses an AI Services account's data plane; it can also list the account's keys."""
    NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
    KUBERNETES_EXTENSION_CONTRIBUTOR = "85cb6faf-e071-4c9b-8136-154b5a04f717"
    AKS_CLUSTER_ADMIN = "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8"
    """Azure Kubernetes Service Cluster Admin Role (lists the cluster's admin credential)."""

    @property
    def slug(self) -> str:
        """Stable kebab-case token used in Pulumi resource names (never change it: URNs depend on it)."""
        return self.name.lower().replace("_", "-")

"""Datastores: Blob, Files, Data Lake Gen2 and Gen1, identity-first, with the grants that make access work."""

from .args import (
    KINDS,
    SUPPORTED_CREDENTIALS,
    CredentialMode,
    DatastoreArgs,
    DatastoreCredentials,
    DatastoreGrant,
    DatastoreKind,
    DatastoreSettings,
)
from .component import (
    DATASTORE_CLASSES,
    GEN1_RETIRED,
    AzureBlobDatastore,
    AzureDataLakeGen1Datastore,
    AzureDataLakeGen2Datastore,
    AzureFileDatastore,
    Datastore,
    outbound_rule_name,
)

__all__ = [
    "DATASTORE_CLASSES",
    "GEN1_RETIRED",
    "KINDS",
    "SUPPORTED_CREDENTIALS",
    "AzureBlobDatastore",
    "AzureDataLakeGen1Datastore",
    "AzureDataLakeGen2Datastore",
    "AzureFileDatastore",
    "CredentialMode",
    "Datastore",
    "DatastoreArgs",
    "DatastoreCredentials",
    "DatastoreGrant",
    "DatastoreKind",
    "DatastoreSettings",
    "outbound_rule_name",
]

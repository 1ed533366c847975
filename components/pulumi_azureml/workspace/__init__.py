"""The workspace platform: MachineLearningWorkspace, its arguments, and what it passes on to the
computes and datastores placed on it."""

from .args import (
    IsolationMode,
    MachineLearningWorkspaceArgs,
    ServerlessComputeOptions,
    SystemDatastoresAuthMode,
    WorkspaceOptions,
)
from .component import COMPONENT_TYPE, MachineLearningWorkspace
from .placement import PlacementArgs, WorkspacePlacement

__all__ = [
    "COMPONENT_TYPE",
    "IsolationMode",
    "MachineLearningWorkspace",
    "MachineLearningWorkspaceArgs",
    "PlacementArgs",
    "ServerlessComputeOptions",
    "SystemDatastoresAuthMode",
    "WorkspaceOptions",
    "WorkspacePlacement",
]

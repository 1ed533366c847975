"""The azureml-platform program: one Azure ML workspace platform per stack.

`pulumi up` runs this file; `pulumi-azureml plan` runs it unchanged under mocks.
"""

import pulumi

from pulumi_azureml.config import load_stack_config
from pulumi_azureml.workspace import MachineLearningWorkspace

# Validates every key first: bad config stops here, before any resource is registered.
settings = load_stack_config()

platform = MachineLearningWorkspace("platform", settings.workspace_args)

pulumi.export("environment", settings.environment)
for key, value in platform.connection_bundle().items():
    if value is not None:
        pulumi.export(key, value)

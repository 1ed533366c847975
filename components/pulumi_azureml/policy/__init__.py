"""Policy rules for Azure ML platforms, as plain functions over a resource's type and inputs.

The same rules run in two places:

- ``pulumi-azureml check --stack <name>`` runs them over the offline plan
  (:func:`pulumi_azureml.policy.check.evaluate`), exit 1 on a mandatory violation;
- the CrossGuard pack in ``policies/`` wraps them (:mod:`pulumi_azureml.policy.crossguard`) for
  ``pulumi preview --policy-pack policies``.

Each :class:`~pulumi_azureml.policy.model.Rule` has an id of ours, the Azure Policy, PSRule and
Checkov rules it mirrors, a fix naming our config key, and a level per environment (advisory in
dev, mandatory in staging and prod unless the rule says otherwise); stack config can change a
rule's level with a reason (``<project>:policy``).
"""

from .catalog import BY_ID, RULES
from .model import Finding, Level, Resource, Rule, Source

__all__ = ["BY_ID", "RULES", "Finding", "Level", "Resource", "Rule", "Source"]

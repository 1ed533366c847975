"""The CrossGuard policy pack: ``pulumi preview --policy-pack policies``.

The policies are the rules of :mod:`pulumi_azureml.policy` (the functions ``pulumi-azureml check``
runs). Creating the pack starts the analyzer the Pulumi engine talks to, so it happens only here.
Levels per stack come from ``--policy-pack-config``: see README "Policy rules".
"""

from pulumi_policy import EnforcementLevel, PolicyPack

from pulumi_azureml.policy.crossguard import PACK_NAME, build_policies

PolicyPack(name=PACK_NAME, enforcement_level=EnforcementLevel.MANDATORY, policies=build_policies())

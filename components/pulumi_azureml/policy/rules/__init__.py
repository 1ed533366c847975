"""The rules, one module per kind of resource; :data:`pulumi_azureml.policy.catalog.RULES` lists them all."""

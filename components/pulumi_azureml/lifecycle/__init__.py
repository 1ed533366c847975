"""What `pulumi up` and `pulumi destroy` do besides the provider's own calls: Pulumi resource hooks.

Hooks run in the program during a deployment (``pulumi up``; ``pulumi destroy --run-program`` for
delete hooks); the offline plan records which hooks each resource has and never calls Azure.
"""

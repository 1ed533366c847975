"""What every concern builds on: names, ARM ids, errors, roles, the settings base and field types.

Nothing here imports a component, the stack layer, the plan engine or the policy rules.
"""

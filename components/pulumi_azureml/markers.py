"""How plans show values nobody may or can see yet; shared by the plan engine and the policy rules."""

SECRET = "[secret]"
"""A Pulumi secret's value."""
UNKNOWN = "[unknown]"
"""A value only Azure computes (known after apply)."""

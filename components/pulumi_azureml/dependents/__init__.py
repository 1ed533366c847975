"""The workspace's dependents: storage, key vault, monitoring, registry, identity and resource logs."""

"""Typed outbound rules as the SDK's arguments (kept apart from the models: they import no SDK)."""

from __future__ import annotations

import pulumi_azure_native.machinelearningservices as ml

from .outbound import FqdnRule, PrivateEndpointRule, ServiceTagRule


def outbound_rule_args(
    rule: FqdnRule | ServiceTagRule | PrivateEndpointRule,
) -> ml.FqdnOutboundRuleArgs | ml.ServiceTagOutboundRuleArgs | ml.PrivateEndpointOutboundRuleArgs:
    if isinstance(rule, FqdnRule):
        return ml.FqdnOutboundRuleArgs(type="FQDN", category="UserDefined", destination=rule.destination)
    if isinstance(rule, ServiceTagRule):
        return ml.ServiceTagOutboundRuleArgs(
            type="ServiceTag",
            category="UserDefined",
            destination=ml.ServiceTagDestinationArgs(
                service_tag=rule.service_tag, protocol=rule.protocol, port_ranges=rule.port_ranges, action="Allow"
            ),
        )
    return ml.PrivateEndpointOutboundRuleArgs(
        type="PrivateEndpoint",
        category="UserDefined",
        destination=ml.PrivateEndpointDestinationArgs(
            service_resource_id=rule.service_resource_id,
            subresource_target=rule.subresource_target,
            spark_enabled=rule.spark_enabled,
        ),
    )

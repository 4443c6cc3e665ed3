package dev.sts.role.domain;

import java.util.List;

/**
 * What the requester of SimulatePrincipalPolicy supplied, untrusted and unchecked:
 * {@link PolicySimulator} bounds and validates every field before it parses any. Empty strings
 * stand for absent optional values, as in the proto.
 *
 * @param policyInputList extra identity-based policies, evaluated as if attached to the role
 * @param permissionsBoundaryPolicyInputList at most one boundary that replaces the role's own
 * @param actionNames the actions to evaluate
 * @param resourceArns the resources to evaluate; {@code "*"} when empty
 * @param resourcePolicy a resource-based policy attached to every simulated resource, or empty
 * @param resourceOwner the account that owns resources whose ARN names none (S3), or empty
 * @param callerArn the simulated caller, or empty for the role itself
 * @param contextEntries condition-key values
 * @param pageSize results per page; 0 for the default
 * @param pageToken the previous page's next-page token, or empty for the first page
 */
public record SimulationRequest(List<String> policyInputList, List<String> permissionsBoundaryPolicyInputList,
        List<String> actionNames, List<String> resourceArns, String resourcePolicy, String resourceOwner,
        String callerArn, List<ContextEntry> contextEntries, int pageSize, String pageToken) {

    public SimulationRequest {
        policyInputList = policyInputList == null ? List.of() : List.copyOf(policyInputList);
        permissionsBoundaryPolicyInputList = permissionsBoundaryPolicyInputList == null ? List.of()
                : List.copyOf(permissionsBoundaryPolicyInputList);
        actionNames = actionNames == null ? List.of() : List.copyOf(actionNames);
        resourceArns = resourceArns == null ? List.of() : List.copyOf(resourceArns);
        resourcePolicy = resourcePolicy == null ? "" : resourcePolicy;
        resourceOwner = resourceOwner == null ? "" : resourceOwner;
        callerArn = callerArn == null ? "" : callerArn;
        contextEntries = contextEntries == null ? List.of() : List.copyOf(contextEntries);
        pageToken = pageToken == null ? "" : pageToken;
    }

    /**
     * One condition key with its values, as AWS's {@code ContextEntry}.
     *
     * @param key e.g. {@code aws:SourceIp}; case-insensitive
     * @param values the values; exactly one for a single-valued type
     * @param type AWS's {@code ContextKeyType} ({@code string}, {@code ipList}, ...), or empty
     */
    public record ContextEntry(String key, List<String> values, String type) {
        public ContextEntry {
            key = key == null ? "" : key;
            values = values == null ? List.of() : List.copyOf(values);
            type = type == null ? "" : type;
        }
    }
}

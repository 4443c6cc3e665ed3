package dev.sts.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything an evaluation needs, immutable.
 *
 * @param kind                an ordinary authorization or an {@code sts:AssumeRole*} trust decision
 * @param principal           the caller (parsed once by the builder)
 * @param action              e.g. {@code s3:GetObject} (matched case-insensitively)
 * @param resource            the resource ARN (matched case-sensitively); for ASSUME_ROLE the role ARN
 * @param resourceAccount     the account that owns the resource (S3 ARNs carry none); null means
 *                            the account in the resource ARN, or else the caller's own account
 * @param context             the request context (condition keys)
 * @param identityPolicies    the caller's identity-based policies (user/group/role, managed and inline)
 * @param sessionPolicies     session policies of the caller's session (inline and managed); empty if none
 * @param permissionsBoundary the caller's permissions boundary, or null
 * @param resourcePolicy      the resource's policy, or for ASSUME_ROLE the role's trust policy; or null
 */
public record EvaluationRequest(RequestKind kind, RequestPrincipal principal, String action, String resource,
                                String resourceAccount, RequestContext context, List<Policy> identityPolicies,
                                List<Policy> sessionPolicies, Policy permissionsBoundary, Policy resourcePolicy) {

    public EvaluationRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        context = context == null ? RequestContext.empty() : context;
        identityPolicies = identityPolicies == null ? List.of() : List.copyOf(identityPolicies);
        sessionPolicies = sessionPolicies == null ? List.of() : List.copyOf(sessionPolicies);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private RequestKind kind = RequestKind.AUTHORIZATION;
        private String principal;
        private String action;
        private String resource;
        private String resourceAccount;
        private RequestContext context = RequestContext.empty();
        private final List<Policy> identityPolicies = new ArrayList<>();
        private final List<Policy> sessionPolicies = new ArrayList<>();
        private Policy permissionsBoundary;
        private Policy resourcePolicy;

        private Builder() {
        }

        public Builder kind(RequestKind kind) {
            this.kind = kind;
            return this;
        }

        /** A user/role/session/federated-user ARN, a service principal, a provider, or "anonymous". */
        public Builder principal(String principal) {
            this.principal = principal;
            return this;
        }

        public Builder action(String action) {
            this.action = action;
            return this;
        }

        public Builder resource(String resource) {
            this.resource = resource;
            return this;
        }

        public Builder resourceAccount(String resourceAccount) {
            this.resourceAccount = resourceAccount;
            return this;
        }

        public Builder context(RequestContext context) {
            this.context = context;
            return this;
        }

        public Builder identityPolicy(Policy p) {
            identityPolicies.add(p);
            return this;
        }

        public Builder identityPolicies(List<Policy> ps) {
            identityPolicies.addAll(ps);
            return this;
        }

        public Builder sessionPolicy(Policy p) {
            sessionPolicies.add(p);
            return this;
        }

        public Builder sessionPolicies(List<Policy> ps) {
            sessionPolicies.addAll(ps);
            return this;
        }

        public Builder permissionsBoundary(Policy p) {
            this.permissionsBoundary = p;
            return this;
        }

        /** The resource policy; for ASSUME_ROLE, the role's trust policy. */
        public Builder resourcePolicy(Policy p) {
            this.resourcePolicy = p;
            return this;
        }

        public EvaluationRequest build() {
            String principalArn = context.getSingle("aws:PrincipalArn").orElse(null);
            return new EvaluationRequest(kind, RequestPrincipal.parse(principal, principalArn), action, resource,
                    resourceAccount, context, identityPolicies, sessionPolicies, permissionsBoundary, resourcePolicy);
        }
    }
}

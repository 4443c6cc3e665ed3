package dev.sts.role.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The role whose policies a simulation evaluates, as the caller loaded it from the store. These
 * documents passed validation when they were stored, so a failure to parse one is a defect of this
 * service, never the requester's fault.
 *
 * @param arn the role's ARN; the simulated caller unless the request names another
 * @param accountId the account that owns the role
 * @param policies the role's inline policies and the default documents of its attached managed
 *     policies
 * @param permissionsBoundary the boundary's ARN and default document, or {@code null} when the role
 *     has none. A boundary whose managed policy no longer exists must be passed as a document that
 *     allows nothing, never as "no boundary" (fail closed).
 */
public record SimulatedRole(String arn, String accountId, List<AttachedPolicy> policies, Boundary permissionsBoundary) {

    public SimulatedRole {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(accountId, "accountId");
        policies = List.copyOf(policies);
        Set<String> ids = new HashSet<>();
        for (AttachedPolicy p : policies) {
            if (!ids.add(p.kind() + " " + p.name())) {
                throw new IllegalArgumentException("the role lists policy " + p.name() + " twice");
            }
        }
    }

    /** The role's name: the last element of its ARN. */
    public String roleName() {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    /**
     * An identity policy of the role.
     *
     * @param kind inline or attached managed policy
     * @param name the inline policy's name, or the managed policy's ARN
     * @param document the policy document (for a managed policy: its default version)
     */
    public record AttachedPolicy(Kind kind, String name, String document) {
        public enum Kind { INLINE, MANAGED }

        public AttachedPolicy {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(document, "document");
        }

        public static AttachedPolicy inline(String policyName, String document) {
            return new AttachedPolicy(Kind.INLINE, policyName, document);
        }

        public static AttachedPolicy managed(String policyArn, String document) {
            return new AttachedPolicy(Kind.MANAGED, policyArn, document);
        }
    }

    /** The role's permissions boundary: a managed policy's ARN and its default document. */
    public record Boundary(String policyArn, String document) {
        public Boundary {
            Objects.requireNonNull(policyArn, "policyArn");
            Objects.requireNonNull(document, "document");
        }
    }
}

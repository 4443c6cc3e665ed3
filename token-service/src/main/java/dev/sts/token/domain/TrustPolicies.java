package dev.sts.token.domain;

import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyType;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed trust policies, so that AssumeRole parses a role's trust policy once per document rather
 * than on every call ({@link Policy} is immutable and thread-safe). Keyed by role ARN and the
 * document itself: a changed trust policy is a new key, so an entry can never answer for a
 * document other than the one it was parsed from. Bounded: when it holds {@code capacity}
 * entries it starts again empty (roles whose policy changed leave stale entries behind; clearing
 * drops them, and the cost is one parse per role afterwards).
 */
final class TrustPolicies {
    /** A parse result: the policy, or why the document does not parse. */
    record Parsed(Policy policy, MalformedPolicyException error) {
    }

    private record Key(String roleArn, String document) {
    }

    private final ConcurrentHashMap<Key, Parsed> parsed = new ConcurrentHashMap<>();
    private final int capacity;

    TrustPolicies(int capacity) {
        this.capacity = capacity;
    }

    Parsed of(RoleView role) {
        Key key = new Key(role.arn(), role.trustPolicy());
        Parsed p = parsed.get(key);
        if (p != null) {
            return p;
        }
        if (parsed.size() >= capacity) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(key, k -> parse(k.roleArn(), k.document()));
    }

    private static Parsed parse(String roleArn, String document) {
        try {
            return new Parsed(Policy.parse(document, PolicyType.TRUST, "trust:" + roleArn), null);
        } catch (MalformedPolicyException e) {
            return new Parsed(null, e);
        }
    }

    int size() {
        return parsed.size();
    }
}

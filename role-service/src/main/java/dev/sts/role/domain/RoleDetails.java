package dev.sts.role.domain;

import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A role with everything that decides what its sessions may do: the role (trust policy, boundary,
 * tags), its inline policies by name and the ARNs of its attached managed policies. One revision
 * (the role's) guards all of it.
 *
 * @param inlinePolicies documents by policy name, in name order
 * @param attachedPolicyArns in ARN order
 */
public record RoleDetails(Role role, SortedMap<String, String> inlinePolicies, SortedSet<String> attachedPolicyArns) {

    public RoleDetails {
        inlinePolicies = Collections.unmodifiableSortedMap(new TreeMap<>(inlinePolicies));
        attachedPolicyArns = Collections.unmodifiableSortedSet(new TreeSet<>(attachedPolicyArns));
    }

    /** A role that has just been created: no inline or attached policies yet. */
    public static RoleDetails of(Role role) {
        return new RoleDetails(role, new TreeMap<>(), new TreeSet<>());
    }

    public RoleDetails withRole(Role newRole) {
        return new RoleDetails(newRole, inlinePolicies, attachedPolicyArns);
    }

    public RoleDetails withInlinePolicy(String name, String document) {
        TreeMap<String, String> m = new TreeMap<>(inlinePolicies);
        m.put(name, document);
        return new RoleDetails(role, m, attachedPolicyArns);
    }

    public RoleDetails withoutInlinePolicy(String name) {
        TreeMap<String, String> m = new TreeMap<>(inlinePolicies);
        m.remove(name);
        return new RoleDetails(role, m, attachedPolicyArns);
    }

    public RoleDetails withAttached(String policyArn) {
        TreeSet<String> s = new TreeSet<>(attachedPolicyArns);
        s.add(policyArn);
        return new RoleDetails(role, inlinePolicies, s);
    }

    public RoleDetails withoutAttached(String policyArn) {
        TreeSet<String> s = new TreeSet<>(attachedPolicyArns);
        s.remove(policyArn);
        return new RoleDetails(role, inlinePolicies, s);
    }
}

package dev.sts.role.domain;

import dev.sts.kit.error.StsException;
import java.util.List;

/**
 * The bounds on a SimulatePrincipalPolicy request, checked before anything in it is parsed: every
 * list's count first, then every string's raw length, so the work one request can cause is known
 * before any of it is done. A value outside a bound is {@code ValidationError} on its field, as AWS
 * answers a parameter that breaks its constraints.
 *
 * <p>Where the IAM API reference gives a constraint (SimulatePrincipalPolicy,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html) it is
 * AWS's. AWS publishes no maximum count for PolicyInputList, ActionNames, ResourceArns or
 * ContextEntries; the counts marked "this service" are this service's, chosen so that one page of
 * results costs at most {@link #PAGE_SIZE_MAX} evaluations against a bounded set of policies.
 */
public final class SimulationBounds {
    /** AWS policyDocumentType: 1-131,072 characters, whitespace included. */
    public static final int POLICY_DOCUMENT_MAX_CHARS = 131_072;
    /** AWS ActionNameType: 3-128 characters. */
    public static final int ACTION_NAME_MIN_CHARS = 3;
    public static final int ACTION_NAME_MAX_CHARS = 128;
    /** AWS ResourceNameType (ResourceArns members, ResourceOwner, CallerArn): 1-2,048 characters. */
    public static final int RESOURCE_NAME_MAX_CHARS = 2_048;
    /** AWS ContextKeyNameType: 5-256 characters. */
    public static final int CONTEXT_KEY_MIN_CHARS = 5;
    public static final int CONTEXT_KEY_MAX_CHARS = 256;
    /** AWS MaxItems: 1-1,000; 100 when absent. */
    public static final int PAGE_SIZE_DEFAULT = 100;
    public static final int PAGE_SIZE_MAX = 1_000;
    /** AWS markerType: 1-320 characters. */
    public static final int PAGE_TOKEN_MAX_CHARS = 320;
    /** AWS: "You can input only one permissions boundary when you pass a policy to this operation." */
    public static final int BOUNDARY_INPUTS_MAX = 1;
    /** This service: as many extra policies as a role may have managed policies attached at most. */
    public static final int POLICY_INPUTS_MAX = 20;
    /** This service. */
    public static final int ACTION_NAMES_MAX = 1_000;
    /** This service. */
    public static final int RESOURCE_ARNS_MAX = 1_000;
    /** This service. */
    public static final int CONTEXT_ENTRIES_MAX = 100;
    /** This service: values of one context entry (aws:TagKeys of a request carries at most 50). */
    public static final int CONTEXT_VALUES_MAX = 100;
    /** This service: one context value (ARNs are at most 2,048 characters, S3 keys 1,024 bytes). */
    public static final int CONTEXT_VALUE_MAX_CHARS = 4_096;

    private SimulationBounds() {
    }

    /** Counts, then raw lengths; nothing is parsed here. */
    static void check(SimulationRequest r) {
        count("policy_input_list", r.policyInputList(), POLICY_INPUTS_MAX);
        count("permissions_boundary_policy_input_list", r.permissionsBoundaryPolicyInputList(), BOUNDARY_INPUTS_MAX);
        if (r.actionNames().isEmpty()) {
            throw StsException.invalid("action_names", "action_names is required: at least one action to simulate");
        }
        count("action_names", r.actionNames(), ACTION_NAMES_MAX);
        count("resource_arns", r.resourceArns(), RESOURCE_ARNS_MAX);
        count("context_entries", r.contextEntries(), CONTEXT_ENTRIES_MAX);
        for (int i = 0; i < r.contextEntries().size(); i++) {
            count("context_entries[" + i + "].values", r.contextEntries().get(i).values(), CONTEXT_VALUES_MAX);
        }
        if (r.pageSize() < 0 || r.pageSize() > PAGE_SIZE_MAX) {
            throw StsException.invalid("page_size", "page_size must be between 1 and " + PAGE_SIZE_MAX
                    + " (0 for the default of " + PAGE_SIZE_DEFAULT + ")");
        }

        documents("policy_input_list", r.policyInputList());
        documents("permissions_boundary_policy_input_list", r.permissionsBoundaryPolicyInputList());
        if (!r.resourcePolicy().isEmpty()) {
            document("resource_policy", r.resourcePolicy());
        }
        for (int i = 0; i < r.actionNames().size(); i++) {
            length("action_names[" + i + "]", r.actionNames().get(i), ACTION_NAME_MIN_CHARS, ACTION_NAME_MAX_CHARS);
        }
        for (int i = 0; i < r.resourceArns().size(); i++) {
            length("resource_arns[" + i + "]", r.resourceArns().get(i), 1, RESOURCE_NAME_MAX_CHARS);
        }
        length("resource_owner", r.resourceOwner(), 0, RESOURCE_NAME_MAX_CHARS);
        length("caller_arn", r.callerArn(), 0, RESOURCE_NAME_MAX_CHARS);
        for (int i = 0; i < r.contextEntries().size(); i++) {
            SimulationRequest.ContextEntry e = r.contextEntries().get(i);
            length("context_entries[" + i + "].key", e.key(), CONTEXT_KEY_MIN_CHARS, CONTEXT_KEY_MAX_CHARS);
            for (int j = 0; j < e.values().size(); j++) {
                length("context_entries[" + i + "].values[" + j + "]", e.values().get(j), 0, CONTEXT_VALUE_MAX_CHARS);
            }
        }
        // the page token's length is checked with its content: any token this service did not
        // issue is InvalidInput (SimulationPageToken)
    }

    private static void count(String field, List<?> list, int max) {
        if (list.size() > max) {
            throw StsException.invalid(field, field + " has " + list.size() + " members; at most " + max
                    + " are allowed");
        }
    }

    private static void length(String field, String value, int min, int max) {
        if (value.length() < min || value.length() > max) {
            throw StsException.invalid(field, field + " must be " + (min == 0 ? "at most " + max
                    : min + "-" + max) + " characters long");
        }
    }

    private static void documents(String field, List<String> documents) {
        for (int i = 0; i < documents.size(); i++) {
            document(field + "[" + i + "]", documents.get(i));
        }
    }

    /**
     * A policy document's length and alphabet, AWS's policyDocumentType: 1-131,072 characters of
     * tab, line feed, carriage return and U+0020-U+00FF.
     */
    private static void document(String field, String document) {
        length(field, document, 1, POLICY_DOCUMENT_MAX_CHARS);
        for (int i = 0; i < document.length(); i++) {
            char c = document.charAt(i);
            if (c > '\u00FF' || (c < ' ' && c != '\t' && c != '\n' && c != '\r')) {
                throw StsException.invalid(field, field + " may contain only tab, line feed, carriage return and"
                        + " the characters U+0020 to U+00FF; found U+" + String.format("%04X", (int) c)
                        + " at offset " + i);
            }
        }
    }
}

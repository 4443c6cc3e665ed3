package dev.sts.role.api.iam;

import dev.sts.kit.aws.AwsQueryXml.Body;
import dev.sts.proto.v1.*;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The {@code <Action>Result} element of each IAM Query response, written from the
 * {@code sts.v1} response the operation returned, in the shapes of the IAM API reference's data
 * types (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Types.html): {@code Role},
 * {@code Policy}, {@code PolicyVersion}, {@code AttachedPolicy}, {@code EvaluationResult}, lists as
 * {@code <member>} elements, paged lists with {@code IsTruncated} and {@code Marker}.
 *
 * <p>Policy documents are URL-encoded as IAM returns them: "The policy document returned in this
 * structure is URL-encoded compliant with RFC 3986" (API_Role, API_PolicyVersion,
 * API_GetRolePolicy); the AWS CLI decodes them for display, an SDK caller decodes them itself.
 */
final class IamResults {
    private static final DateTimeFormatter ISO_8601 = DateTimeFormatter.ISO_INSTANT;

    private IamResults() {
    }

    static void createRole(CreateRoleResponse r, Body x) {
        role(x, r.getRole());
    }

    static void getRole(GetRoleResponse r, Body x) {
        role(x, r.getRole());
    }

    static void listRoles(ListRolesResponse r, Body x) {
        x.element("Roles", list -> r.getRolesList().forEach(role -> list.element("member", m -> roleFields(m, role))));
        page(x, r.getNextPageToken());
    }

    /** UpdateRole's result is empty in IAM (API_UpdateRole: "Response Elements: none"). */
    static void updateRole(UpdateRoleResponse r, Body x) {
    }

    static void getRolePolicy(GetRolePolicyResponse r, Body x) {
        x.text("RoleName", r.getRoleName());
        x.text("PolicyName", r.getPolicyName());
        x.text("PolicyDocument", urlEncode(r.getPolicyDocument()));
    }

    static void listRolePolicies(ListRolePoliciesResponse r, Body x) {
        x.element("PolicyNames", list -> r.getPolicyNamesList().forEach(n -> list.text("member", n)));
        page(x, r.getNextPageToken());
    }

    static void listAttachedRolePolicies(ListAttachedRolePoliciesResponse r, Body x) {
        x.element("AttachedPolicies", list -> r.getAttachedPoliciesList().forEach(a -> list.element("member",
                m -> m.text("PolicyName", a.getPolicyName()).text("PolicyArn", a.getPolicyArn()))));
        page(x, r.getNextPageToken());
    }

    static void createPolicy(CreatePolicyResponse r, Body x) {
        policy(x, r.getPolicy());
    }

    static void getPolicy(GetPolicyResponse r, Body x) {
        policy(x, r.getPolicy());
    }

    static void listPolicies(ListPoliciesResponse r, Body x) {
        x.element("Policies", list -> r.getPoliciesList().forEach(p -> list.element("member", m -> policyFields(m, p))));
        page(x, r.getNextPageToken());
    }

    static void createPolicyVersion(CreatePolicyVersionResponse r, Body x) {
        version(x, "PolicyVersion", r.getPolicyVersion());
    }

    static void getPolicyVersion(GetPolicyVersionResponse r, Body x) {
        version(x, "PolicyVersion", r.getPolicyVersion());
    }

    static void listPolicyVersions(ListPolicyVersionsResponse r, Body x) {
        x.element("Versions", list -> r.getVersionsList().forEach(v -> version(list, "member", v)));
        page(x, r.getNextPageToken());
    }

    static void simulatePrincipalPolicy(SimulatePrincipalPolicyResponse r, Body x) {
        x.element("EvaluationResults", list -> r.getEvaluationResultsList().forEach(e -> list.element("member", m -> m
                .text("EvalActionName", e.getEvalActionName())
                .text("EvalResourceName", e.getEvalResourceName())
                .text("EvalDecision", decision(e.getEvalDecision()))
                .element("MatchedStatements", statements -> e.getMatchedStatementsList().forEach(s -> statements
                        .element("member", st -> st.text("SourcePolicyId", s.getSourcePolicyId())
                                .text("SourcePolicyType", sourcePolicyType(s)))))
                .element("MissingContextValues", missing -> e.getMissingContextValuesList()
                        .forEach(v -> missing.text("member", v))))));
        page(x, r.getNextPageToken());
    }

    /**
     * IAM's EvalDecision values: "allowed", "explicitDeny", "implicitDeny"
     * (API_EvaluationResult).
     */
    static String decision(Decision d) {
        return switch (d) {
            case DECISION_ALLOW -> "allowed";
            case DECISION_EXPLICIT_DENY -> "explicitDeny";
            default -> "implicitDeny";
        };
    }

    /**
     * IAM's PolicySourceType for a matched statement: "role" (an inline policy of the role),
     * "aws-managed", "user-managed", "resource", or "none" for a policy given in the request
     * (API_Statement: user | group | role | aws-managed | user-managed | resource | none).
     */
    static String sourcePolicyType(StatementRef s) {
        String id = s.getSourcePolicyId();
        if (s.getSourcePolicyType().equals("RESOURCE")) {
            return "resource";
        }
        if (id.startsWith("inline:")) {
            return "role";
        }
        String arn = id.startsWith("boundary:") ? id.substring("boundary:".length()) : id;
        if (arn.startsWith("arn:")) {
            return arn.contains(":iam::aws:policy/") ? "aws-managed" : "user-managed";
        }
        return "none";
    }

    private static void role(Body x, Role role) {
        x.element("Role", m -> roleFields(m, role));
    }

    private static void roleFields(Body x, Role r) {
        x.text("Path", r.getPath());
        x.text("RoleName", r.getRoleName());
        x.text("RoleId", r.getRoleId());
        x.text("Arn", r.getArn());
        x.text("CreateDate", date(r.getCreateDate()));
        x.text("AssumeRolePolicyDocument", urlEncode(r.getAssumeRolePolicyDocument()));
        if (!r.getDescription().isEmpty()) {
            x.text("Description", r.getDescription());
        }
        x.text("MaxSessionDuration", Integer.toString(r.getMaxSessionDuration()));
        if (r.hasPermissionsBoundary()) {
            x.element("PermissionsBoundary", b -> b
                    .text("PermissionsBoundaryType", r.getPermissionsBoundary().getPermissionsBoundaryType())
                    .text("PermissionsBoundaryArn", r.getPermissionsBoundary().getPermissionsBoundaryArn()));
        }
        tags(x, r.getTagsList());
    }

    private static void policy(Body x, ManagedPolicy p) {
        x.element("Policy", m -> policyFields(m, p));
    }

    private static void policyFields(Body x, ManagedPolicy p) {
        x.text("PolicyName", p.getPolicyName());
        x.text("PolicyId", p.getPolicyId());
        x.text("Arn", p.getArn());
        x.text("Path", p.getPath());
        x.text("DefaultVersionId", p.getDefaultVersionId());
        x.text("AttachmentCount", Integer.toString(p.getAttachmentCount()));
        x.text("PermissionsBoundaryUsageCount", Integer.toString(p.getPermissionsBoundaryUsageCount()));
        x.text("IsAttachable", Boolean.toString(p.getIsAttachable()));
        if (!p.getDescription().isEmpty()) {
            x.text("Description", p.getDescription());
        }
        x.text("CreateDate", date(p.getCreateDate()));
        x.text("UpdateDate", date(p.getUpdateDate()));
        tags(x, p.getTagsList());
    }

    private static void version(Body x, String element, PolicyVersion v) {
        x.element(element, m -> m
                .text("Document", v.getDocument().isEmpty() ? null : urlEncode(v.getDocument()))
                .text("VersionId", v.getVersionId())
                .text("IsDefaultVersion", Boolean.toString(v.getIsDefaultVersion()))
                .text("CreateDate", date(v.getCreateDate())));
    }

    private static void tags(Body x, List<Tag> tags) {
        if (tags.isEmpty()) {
            return;
        }
        x.element("Tags", list -> tags.forEach(t -> list.element("member",
                m -> m.text("Key", t.getKey()).text("Value", t.getValue()))));
    }

    /**
     * IAM's paging: {@code IsTruncated}, and {@code Marker} only when there is a next page
     * ("Use this parameter only when paginating results and only after you receive a response
     * indicating that the results are truncated", CommonParameters / API_ListRoles).
     */
    private static void page(Body x, String nextPageToken) {
        boolean truncated = !nextPageToken.isEmpty();
        x.text("IsTruncated", Boolean.toString(truncated));
        if (truncated) {
            x.text("Marker", nextPageToken);
        }
    }

    /** ISO 8601 in UTC, to the millisecond, as IAM writes its dates. */
    static String date(com.google.protobuf.Timestamp t) {
        return ISO_8601.format(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * RFC 3986 percent-encoding of the UTF-8 bytes: every byte but the unreserved characters
     * ({@code A-Z a-z 0-9 - . _ ~}) as {@code %XX}, so a space is {@code %20} (never {@code +}).
     */
    static String urlEncode(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}

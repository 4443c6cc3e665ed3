package dev.sts.role.api.iam;

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

    static void createRole(CreateRoleResponse r, IamXml x) {
        role(x, r.getRole());
    }

    static void getRole(GetRoleResponse r, IamXml x) {
        role(x, r.getRole());
    }

    static void listRoles(ListRolesResponse r, IamXml x) {
        x.start("Roles");
        r.getRolesList().forEach(role -> {
            x.start("member");
            roleFields(x, role);
            x.end();
        });
        x.end();
        page(x, r.getNextPageToken());
    }

    /** UpdateRole's result is empty in IAM (API_UpdateRole: "Response Elements: none"). */
    static void updateRole(UpdateRoleResponse r, IamXml x) {
    }

    static void getRolePolicy(GetRolePolicyResponse r, IamXml x) {
        x.element("RoleName", r.getRoleName());
        x.element("PolicyName", r.getPolicyName());
        x.element("PolicyDocument", urlEncode(r.getPolicyDocument()));
    }

    static void listRolePolicies(ListRolePoliciesResponse r, IamXml x) {
        x.start("PolicyNames");
        r.getPolicyNamesList().forEach(n -> x.element("member", n));
        x.end();
        page(x, r.getNextPageToken());
    }

    static void listAttachedRolePolicies(ListAttachedRolePoliciesResponse r, IamXml x) {
        x.start("AttachedPolicies");
        r.getAttachedPoliciesList().forEach(a -> {
            x.start("member");
            x.element("PolicyName", a.getPolicyName());
            x.element("PolicyArn", a.getPolicyArn());
            x.end();
        });
        x.end();
        page(x, r.getNextPageToken());
    }

    static void createPolicy(CreatePolicyResponse r, IamXml x) {
        policy(x, r.getPolicy());
    }

    static void getPolicy(GetPolicyResponse r, IamXml x) {
        policy(x, r.getPolicy());
    }

    static void listPolicies(ListPoliciesResponse r, IamXml x) {
        x.start("Policies");
        r.getPoliciesList().forEach(p -> {
            x.start("member");
            policyFields(x, p);
            x.end();
        });
        x.end();
        page(x, r.getNextPageToken());
    }

    static void createPolicyVersion(CreatePolicyVersionResponse r, IamXml x) {
        version(x, "PolicyVersion", r.getPolicyVersion());
    }

    static void getPolicyVersion(GetPolicyVersionResponse r, IamXml x) {
        version(x, "PolicyVersion", r.getPolicyVersion());
    }

    static void listPolicyVersions(ListPolicyVersionsResponse r, IamXml x) {
        x.start("Versions");
        r.getVersionsList().forEach(v -> version(x, "member", v));
        x.end();
        page(x, r.getNextPageToken());
    }

    static void simulatePrincipalPolicy(SimulatePrincipalPolicyResponse r, IamXml x) {
        x.start("EvaluationResults");
        for (EvaluationResult e : r.getEvaluationResultsList()) {
            x.start("member");
            x.element("EvalActionName", e.getEvalActionName());
            x.element("EvalResourceName", e.getEvalResourceName());
            x.element("EvalDecision", decision(e.getEvalDecision()));
            x.start("MatchedStatements");
            for (StatementRef s : e.getMatchedStatementsList()) {
                x.start("member");
                x.element("SourcePolicyId", s.getSourcePolicyId());
                x.element("SourcePolicyType", sourcePolicyType(s));
                x.end();
            }
            x.end();
            x.start("MissingContextValues");
            e.getMissingContextValuesList().forEach(v -> x.element("member", v));
            x.end();
            x.end();
        }
        x.end();
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

    private static void role(IamXml x, Role role) {
        x.start("Role");
        roleFields(x, role);
        x.end();
    }

    private static void roleFields(IamXml x, Role r) {
        x.element("Path", r.getPath());
        x.element("RoleName", r.getRoleName());
        x.element("RoleId", r.getRoleId());
        x.element("Arn", r.getArn());
        x.element("CreateDate", date(r.getCreateDate()));
        x.element("AssumeRolePolicyDocument", urlEncode(r.getAssumeRolePolicyDocument()));
        if (!r.getDescription().isEmpty()) {
            x.element("Description", r.getDescription());
        }
        x.element("MaxSessionDuration", Integer.toString(r.getMaxSessionDuration()));
        if (r.hasPermissionsBoundary()) {
            x.start("PermissionsBoundary");
            x.element("PermissionsBoundaryType", r.getPermissionsBoundary().getPermissionsBoundaryType());
            x.element("PermissionsBoundaryArn", r.getPermissionsBoundary().getPermissionsBoundaryArn());
            x.end();
        }
        tags(x, r.getTagsList());
    }

    private static void policy(IamXml x, ManagedPolicy p) {
        x.start("Policy");
        policyFields(x, p);
        x.end();
    }

    private static void policyFields(IamXml x, ManagedPolicy p) {
        x.element("PolicyName", p.getPolicyName());
        x.element("PolicyId", p.getPolicyId());
        x.element("Arn", p.getArn());
        x.element("Path", p.getPath());
        x.element("DefaultVersionId", p.getDefaultVersionId());
        x.element("AttachmentCount", Integer.toString(p.getAttachmentCount()));
        x.element("PermissionsBoundaryUsageCount", Integer.toString(p.getPermissionsBoundaryUsageCount()));
        x.element("IsAttachable", Boolean.toString(p.getIsAttachable()));
        if (!p.getDescription().isEmpty()) {
            x.element("Description", p.getDescription());
        }
        x.element("CreateDate", date(p.getCreateDate()));
        x.element("UpdateDate", date(p.getUpdateDate()));
        tags(x, p.getTagsList());
    }

    private static void version(IamXml x, String element, PolicyVersion v) {
        x.start(element);
        if (!v.getDocument().isEmpty()) {
            x.element("Document", urlEncode(v.getDocument()));
        }
        x.element("VersionId", v.getVersionId());
        x.element("IsDefaultVersion", Boolean.toString(v.getIsDefaultVersion()));
        x.element("CreateDate", date(v.getCreateDate()));
        x.end();
    }

    private static void tags(IamXml x, List<Tag> tags) {
        if (tags.isEmpty()) {
            return;
        }
        x.start("Tags");
        for (Tag t : tags) {
            x.start("member");
            x.element("Key", t.getKey());
            x.element("Value", t.getValue());
            x.end();
        }
        x.end();
    }

    /**
     * IAM's paging: {@code IsTruncated}, and {@code Marker} only when there is a next page
     * ("Use this parameter only when paginating results and only after you receive a response
     * indicating that the results are truncated", CommonParameters / API_ListRoles).
     */
    private static void page(IamXml x, String nextPageToken) {
        boolean truncated = !nextPageToken.isEmpty();
        x.element("IsTruncated", Boolean.toString(truncated));
        if (truncated) {
            x.element("Marker", nextPageToken);
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

package dev.sts.audit.domain;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditResource;
import dev.sts.proto.v1.UserIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The CloudTrail fields of a record that are derived rather than stored: its user name, whether
 * the call was read-only, and the resources a lookup lists. One definition serves both the
 * CloudTrail answer and the lookup filters on those fields, so an event is found by exactly the
 * value it shows.
 */
public final class CloudTrailFields {
    /**
     * STS calls that change nothing. CloudTrail records STS's credential calls with
     * {@code "readOnly": true}: they return credentials and create no resource.
     */
    private static final Set<String> STS_READ_ONLY = Set.of("AssumeRole", "AssumeRoleWithWebIdentity",
            "AssumeRoleWithSAML", "GetCallerIdentity", "GetSessionToken", "GetFederationToken",
            "DecodeAuthorizationMessage", "GetAccessKeyInfo");

    /** One entry of LookupEvents' {@code Resources}: CloudTrail's {@code ResourceType} and {@code ResourceName}. */
    public record Resource(String type, String name) {
    }

    private CloudTrailFields() {
    }

    /**
     * LookupEvents' {@code Username}: the name of the identity that made the call. An assumed role
     * shows its session name, an IAM user its user name (without path), an account's root user
     * "root", a role principal its role name and a web identity caller the subject of its token;
     * an AWS service has none (empty).
     */
    public static String username(AuditRecord r) {
        UserIdentity u = r.getUserIdentity();
        String arn = u.getArn();
        return switch (u.getType()) {
            case "Root" -> "root";
            case "AssumedRole", "IAMUser", "Role" -> arn.isEmpty() ? "" : arn.substring(arn.lastIndexOf('/') + 1);
            case "WebIdentityUser" -> webIdentitySubject(r);
            default -> "";
        };
    }

    /**
     * The subject of a web identity caller, as AssumeRoleWithWebIdentity's response elements name
     * it ({@code subjectFromWebIdentityToken}); empty when the token was never verified.
     */
    public static String webIdentitySubject(AuditRecord r) {
        return string(r.getResponseElements(), "subjectFromWebIdentityToken");
    }

    /** The web identity provider (the token's issuer without scheme) of an AssumeRoleWithWebIdentity, or empty. */
    public static String webIdentityProvider(AuditRecord r) {
        return string(r.getResponseElements(), "provider");
    }

    /**
     * CloudTrail's {@code readOnly}: STS's credential calls are read-only; IAM's Get, List and
     * Simulate calls are; every change (and sts's RevokeSessions) is not.
     */
    public static boolean readOnly(AuditRecord r) {
        String name = r.getEventName();
        if (AuditRecords.STS.equals(r.getEventSource())) {
            return STS_READ_ONLY.contains(name);
        }
        return name.startsWith("Get") || name.startsWith("List") || name.startsWith("Simulate");
    }

    /**
     * LookupEvents' {@code Resources}: every resource of the record by ARN, and for issued
     * credentials, as CloudTrail lists them for AssumeRole, the access key
     * ({@code AWS::IAM::AccessKey}) and the assumed-role session ({@code AWS::STS::AssumedRole},
     * named by its assumed-role id {@code <RoleId>:<session name>}).
     */
    public static List<Resource> resources(AuditRecord r) {
        List<Resource> out = new ArrayList<>();
        for (AuditResource res : r.getResourcesList()) {
            out.add(new Resource(res.getType(), res.getArn()));
        }
        Value credentials = r.getResponseElements().getFieldsOrDefault("credentials", Value.getDefaultInstance());
        String key = string(credentials.getStructValue(), "accessKeyId");
        if (!key.isEmpty()) {
            out.add(new Resource("AWS::IAM::AccessKey", key));
        }
        Value user = r.getResponseElements().getFieldsOrDefault("assumedRoleUser", Value.getDefaultInstance());
        String assumedRoleId = string(user.getStructValue(), "assumedRoleId");
        if (!assumedRoleId.isEmpty()) {
            out.add(new Resource("AWS::STS::AssumedRole", assumedRoleId));
        }
        return out;
    }

    private static String string(Struct s, String field) {
        Value v = s.getFieldsOrDefault(field, Value.getDefaultInstance());
        return v.getKindCase() == Value.KindCase.STRING_VALUE ? v.getStringValue() : "";
    }
}

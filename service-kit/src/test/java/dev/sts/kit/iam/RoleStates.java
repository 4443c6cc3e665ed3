package dev.sts.kit.iam;

import com.google.protobuf.Timestamp;
import dev.sts.proto.v1.InlinePolicy;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Records of the permission-state topic for tests (shared through the kit's test-jar). */
public final class RoleStates {
    public static final String ACCOUNT = "000000000000";
    public static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:root\"},\"Action\":\"sts:AssumeRole\"}]}";

    private RoleStates() {
    }

    /** "team-a/App" -> arn:aws:iam::000000000000:role/team-a/App. */
    public static String roleArn(String pathAndName) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + pathAndName;
    }

    public static String policyArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":policy/" + name;
    }

    /** A role at revision 1 with no permission policies; its RoleId is derived from its ARN. */
    public static RoleState.Builder role(String pathAndName) {
        String name = pathAndName.substring(pathAndName.lastIndexOf('/') + 1);
        String path = pathAndName.contains("/") ? "/" + pathAndName.substring(0, pathAndName.lastIndexOf('/') + 1) : "/";
        String arn = roleArn(pathAndName);
        return RoleState.newBuilder().setArn(arn).setRoleId(roleId(arn)).setRoleName(name).setPath(path)
                .setAccountId(ACCOUNT).setRevision(1).setAssumeRolePolicyDocument(TRUST).setMaxSessionDuration(3600)
                .setUpdatedAt(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000));
    }

    /** "AROA" and 17 characters derived from the ARN: stable per ARN, as a test needs. */
    public static String roleId(String arn) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
            return "AROA" + HexFormat.of().formatHex(h).substring(0, 17).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static InlinePolicy inline(String name, String document) {
        return InlinePolicy.newBuilder().setPolicyName(name).setPolicyDocument(document).build();
    }

    /** A customer-managed policy of this account. */
    public static ManagedPolicyState policy(String name, long revision, String document) {
        return ManagedPolicyState.newBuilder().setArn(policyArn(name)).setPolicyId("ANPA" + name.toUpperCase(Locale.ROOT))
                .setPolicyName(name).setPath("/").setAccountId(ACCOUNT).setRevision(revision)
                .setDefaultVersionId("v" + revision).setDefaultDocument(document)
                .setUpdatedAt(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000)).build();
    }

    /** {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":action,"Resource":resource}]}. */
    public static String allow(String action, String resource) {
        return document("Allow", action, resource);
    }

    public static String deny(String action, String resource) {
        return document("Deny", action, resource);
    }

    private static String document(String effect, String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Action\":\"" + action
                + "\",\"Resource\":\"" + resource + "\"}]}";
    }
}

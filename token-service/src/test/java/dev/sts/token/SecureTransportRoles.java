package dev.sts.token;

import dev.sts.kit.iam.PermissionView;
import dev.sts.token.domain.RoleView;

/**
 * Roles whose trust policies depend on {@code aws:SecureTransport} ("whether the request was sent
 * using TLS", IAM User Guide, AWS global condition context keys), in the two usual shapes: an Allow
 * that requires TLS, and the "deny unless TLS" statement beside an unconditional Allow.
 */
final class SecureTransportRoles {
    /** EC2 (the tests' bearer ec2.amazonaws.com) may assume it only over TLS. */
    static final String TLS_ONLY_EC2 = "arn:aws:iam::000000000000:role/TlsOnlyEc2Role";
    /** The IAM user developer may assume it; a Deny statement refuses every request not over TLS. */
    static final String DENY_INSECURE = "arn:aws:iam::000000000000:role/DenyInsecureRole";

    private SecureTransportRoles() {
    }

    static void publishAndAwait(String bootstrapServers, PermissionView view) throws Exception {
        if (view.role(TLS_ONLY_EC2).isEmpty() || view.role(DENY_INSECURE).isEmpty()) {
            TestRoleDirectory.publish(bootstrapServers,
                    TestRoleDirectory.state(new RoleView(TLS_ONLY_EC2, "AROATLSONLYEC2EXAMP0", "TlsOnlyEc2Role",
                            "000000000000", """
                            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                             "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole",
                             "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}""", 3600)),
                    TestRoleDirectory.state(new RoleView(DENY_INSECURE, "AROADENYINSECUREEXA0", "DenyInsecureRole",
                            "000000000000", """
                            {"Version":"2012-10-17","Statement":[
                             {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/developer"},
                              "Action":"sts:AssumeRole"},
                             {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"sts:AssumeRole",
                              "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""", 3600)));
        }
        TestRoleDirectory.awaitInView(view, TLS_ONLY_EC2, 1);
        TestRoleDirectory.awaitInView(view, DENY_INSECURE, 1);
    }
}

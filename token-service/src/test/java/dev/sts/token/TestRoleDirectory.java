package dev.sts.token;

import dev.sts.token.domain.RoleDirectory;
import dev.sts.token.domain.RoleView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.Optional;

/**
 * Stands in for role-service in token-service's own tests (the end-to-end test in system-tests
 * uses the real one): fixed roles, so these tests exercise trust evaluation, minting and event
 * publication against the real PostgreSQL and Kafka.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestRoleDirectory implements RoleDirectory {
    static final String ACCOUNT = "000000000000";
    static final String S3_ACCESS = "arn:aws:iam::" + ACCOUNT + ":role/S3AccessRole";
    static final String CHAINED = "arn:aws:iam::" + ACCOUNT + ":role/ChainTarget";
    static final String EXTERNAL = "arn:aws:iam::" + ACCOUNT + ":role/VendorRole";

    private static final Map<String, RoleView> ROLES = Map.of(
            "s3accessrole", new RoleView(S3_ACCESS, "AROAS3ACCESSEXAMPLE0", "S3AccessRole", ACCOUNT, """
                    {"Version":"2012-10-17","Statement":[{"Sid":"TrustEc2","Effect":"Allow",
                     "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""", 3600),
            "chaintarget", new RoleView(CHAINED, "AROACHAINTARGETEXAM0", "ChainTarget", ACCOUNT, """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"AWS":"arn:aws:iam::000000000000:role/S3AccessRole"},"Action":"sts:AssumeRole"}]}""", 43200),
            "vendorrole", new RoleView(EXTERNAL, "AROAVENDORROLEEXAMP0", "VendorRole", ACCOUNT, """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole",
                     "Condition":{"StringEquals":{"sts:ExternalId":"Unique-ID-1234"}}}]}""", 3600));

    @Override
    public Uni<Optional<RoleView>> find(String roleName) {
        return Uni.createFrom().item(Optional.ofNullable(ROLES.get(roleName.toLowerCase(java.util.Locale.ROOT))));
    }
}

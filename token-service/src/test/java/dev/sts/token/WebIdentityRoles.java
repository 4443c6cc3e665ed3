package dev.sts.token;

import dev.sts.token.domain.RoleDirectory;
import dev.sts.token.domain.RoleView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Roles that trust the OIDC providers of {@link OidcIssuerResource}, written as IRSA trust policies
 * are; enabled only by {@link WebIdentityTest}'s profile, so other tests keep their directory.
 */
@Alternative
@ApplicationScoped
public class WebIdentityRoles implements RoleDirectory {
    static final String ACCOUNT = "000000000000";
    static final String PROVIDER = "127.0.0.1/test-issuer";
    static final String PROVIDER_ARN = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/" + PROVIDER;
    static final String IRSA = "arn:aws:iam::" + ACCOUNT + ":role/IrsaRole";
    static final String MFA = "arn:aws:iam::" + ACCOUNT + ":role/MfaRole";
    static final String STATIC = "arn:aws:iam::" + ACCOUNT + ":role/StaticClusterRole";
    static final String DOWN = "arn:aws:iam::" + ACCOUNT + ":role/DownRole";

    private static final Map<String, RoleView> ROLES = Map.of(
            "irsarole", new RoleView(IRSA, "AROAIRSAROLEEXAMPLE0", "IrsaRole", ACCOUNT, """
                    {"Version":"2012-10-17","Statement":[{"Sid":"IrsaPayments","Effect":"Allow",
                     "Principal":{"Federated":"%s"},"Action":"sts:AssumeRoleWithWebIdentity",
                     "Condition":{"StringEquals":{"%s:sub":"system:serviceaccount:payments:api","%s:aud":"sts"}}}]}"""
                    .formatted(PROVIDER_ARN, PROVIDER, PROVIDER), 3600),
            "mfarole", new RoleView(MFA, "AROAMFAROLEEXAMPLE00", "MfaRole", ACCOUNT, """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"Federated":"%s"},"Action":"sts:AssumeRoleWithWebIdentity",
                     "Condition":{"ForAnyValue:StringEquals":{"%s:amr":"mfa"},"StringEquals":{"aws:FederatedProvider":"%s"}}}]}"""
                    .formatted(PROVIDER_ARN, PROVIDER, PROVIDER_ARN), 3600),
            "staticclusterrole", new RoleView(STATIC, "AROASTATICCLUSTERRO0", "StaticClusterRole", ACCOUNT, """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"Federated":"arn:aws:iam::000000000000:oidc-provider/static.cluster.example"},
                     "Action":"sts:AssumeRoleWithWebIdentity",
                     "Condition":{"StringLike":{"static.cluster.example:sub":"system:serviceaccount:*:builder"}}}]}""", 7200),
            "downrole", new RoleView(DOWN, "AROADOWNROLEEXAMPLE0", "DownRole", ACCOUNT, """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"Federated":"arn:aws:iam::000000000000:oidc-provider/127.0.0.1/down"},
                     "Action":"sts:AssumeRoleWithWebIdentity"}]}""", 3600));

    @Override
    public Uni<Optional<RoleView>> find(String roleName) {
        return Uni.createFrom().item(Optional.ofNullable(ROLES.get(roleName.toLowerCase(Locale.ROOT))));
    }
}

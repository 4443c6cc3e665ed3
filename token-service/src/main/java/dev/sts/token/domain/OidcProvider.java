package dev.sts.token.domain;

import java.util.List;

/**
 * An OIDC identity provider registered in one account, as IAM's {@code oidc-provider} entity.
 *
 * @param id        the issuer URL without its scheme (and port): {@code oidc.eks.<region>.amazonaws.com/id/<ID>};
 *                  IAM names the provider by it and prefixes its condition keys with it ({@code <id>:sub})
 * @param arn       {@code arn:<partition>:iam::<account>:oidc-provider/<id>}, the trust policy's Federated principal
 * @param accountId the account it is registered in
 * @param issuer    the exact {@code iss} of its tokens
 * @param clientIds the accepted audiences
 */
public record OidcProvider(String id, String arn, String accountId, String issuer, List<String> clientIds) {
    public OidcProvider {
        clientIds = List.copyOf(clientIds);
    }
}

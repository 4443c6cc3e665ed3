package dev.sts.token.domain;

import java.time.Instant;
import java.util.List;

/**
 * What a verified web identity token says, and nothing it did not prove: its signature, issuer,
 * audience and times were checked before this exists. Never holds the token itself.
 *
 * @param subject           the {@code sub} claim (AWS: SubjectFromWebIdentityToken)
 * @param audience          the token audience that is one of the provider's client ids (AWS: Audience)
 * @param otherAudiences    the token's other {@code aud} values
 * @param amr               the {@code amr} claim (authentication methods), possibly empty
 * @param sourceIdentity    the {@code https://aws.amazon.com/source_identity} claim, or null
 * @param tags              session tags from the {@code https://aws.amazon.com/tags} claim
 * @param transitiveTagKeys the transitive keys named by that claim
 */
public record WebIdentity(OidcProvider provider, String subject, String audience, List<String> otherAudiences,
        List<String> amr, String sourceIdentity, List<SessionTag> tags, List<String> transitiveTagKeys,
        Instant issuedAt, Instant expiresAt) {
    public WebIdentity {
        otherAudiences = List.copyOf(otherAudiences);
        amr = List.copyOf(amr);
        tags = List.copyOf(tags);
        transitiveTagKeys = List.copyOf(transitiveTagKeys);
    }

    /** CloudTrail's principalId of a WebIdentityUser: {@code <provider>:<audience>:<subject>}. */
    public String principalId() {
        return provider.id() + ":" + audience + ":" + subject;
    }
}

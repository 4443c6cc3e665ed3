package dev.sts.token;

import static dev.sts.token.AssumeRoleLimitsTest.invalid;
import static dev.sts.token.AssumeRoleLimitsTest.tag;
import static dev.sts.token.TokenServiceTest.assume;
import static dev.sts.token.TokenServiceTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.AssumeRoleResponse;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.kit.testing.TestChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Role chaining: inherited transitive tags cannot be overridden, whatever the letter case
 * (defect 3), and a session's session policy limits which roles it may assume (defect 4).
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokens"))
class ChainingTest {
    static final String ONLY_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    static final String MAY_CHAIN = """
            {"Version":"2012-10-17","Statement":[{"Sid":"Chain","Effect":"Allow","Action":"sts:AssumeRole",
             "Resource":"%s"}]}""".formatted(TestRoleDirectory.CHAINED);
    static final String MAY_CHAIN_WITH_TAGS_AND_IDENTITY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Resource":"%s"}]}"""
            .formatted(TestRoleDirectory.CHAINED);

    static ManagedChannel channel;
    static TokenServiceGrpc.TokenServiceBlockingStub anonymous;
    static TokenServiceGrpc.TokenServiceBlockingStub ec2;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        anonymous = TokenServiceGrpc.newBlockingStub(channel);
        ec2 = anonymous.withCallCredentials(new BearerCredentials("test-ec2-token"));
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    static TokenServiceGrpc.TokenServiceBlockingStub as(AssumeRoleResponse r) {
        return anonymous.withCallCredentials(new BearerCredentials(r.getCredentials().getSessionToken()));
    }

    static JWTClaimsSet claims(AssumeRoleResponse r) throws Exception {
        return SignedJWT.parse(r.getCredentials().getSessionToken()).getJWTClaimsSet();
    }

    @Test
    void anInheritedTransitiveTagCannotBeOverriddenByChangingTheKeysCase() throws Exception {
        var first = as(ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "hop1")
                .addTags(tag("Team", "blue")).addTransitiveTagKeys("Team").build()));

        invalid(() -> first.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").addTags(tag("team", "red")).build()),
                "ValidationError", "tags");
        // AWS: "If you pass a session tag with the same key as an inherited tag, the operation fails."
        invalid(() -> first.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").addTags(tag("Team", "blue")).build()),
                "ValidationError", "tags");
        invalid(() -> first.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").addTags(tag("TEAM", "blue")).build()),
                "ValidationError", "tags");

        AssumeRoleResponse second = first.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2")
                .addTags(tag("project", "x")).addTransitiveTagKeys("PROJECT").build());
        JWTClaimsSet c = claims(second);
        assertThat(c.getJSONObjectClaim("session_tags")).containsOnly(Map.entry("Team", "blue"), Map.entry("project", "x"));
        assertThat(c.getStringListClaim("transitive_tag_keys")).containsExactlyInAnyOrder("Team", "project");
    }

    @Test
    void keysOfOneRequestThatDifferOnlyInCaseAreRefused() throws Exception {
        invalid(() -> ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "dup")
                .addTags(tag("Team", "blue")).addTags(tag("team", "red")).build()), "ValidationError", "tags");
        // Transitive keys name session tags ignoring case; the session records the tag's own spelling once.
        AssumeRoleResponse r = ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "dup")
                .addTags(tag("Team", "blue")).addTransitiveTagKeys("team").addTransitiveTagKeys("TEAM").build());
        assertThat(claims(r).getStringListClaim("transitive_tag_keys")).containsExactly("Team");
        var next = as(r);
        invalid(() -> next.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").addTags(tag("tEAm", "red")).build()),
                "ValidationError", "tags");
        JWTClaimsSet chained = claims(next.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").build()));
        assertThat(chained.getJSONObjectClaim("session_tags").keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)))
                .doesNotHaveDuplicates();
    }

    @Test
    void aSessionPolicyThatDoesNotAllowAssumeRoleStopsRoleChaining() {
        String session = "narrow-" + UUID.randomUUID().toString().substring(0, 8);
        var narrowed = as(ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, session).setPolicy(ONLY_S3).build()));
        var refused = expect(() -> narrowed.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");

        // Uniform to the caller: the same answer as a trust policy that does not name it.
        var plain = as(ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, session).build()));
        var untrusted = expect(() -> plain.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "hop2").build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(refused.getStatus().getDescription().replace("ChainTarget", "S3AccessRole"))
                .isEqualTo(untrusted.getStatus().getDescription());

        // Audited like every denial, with the real reason.
        var denied = SessionEventLog.matching(e -> e.hasAssumeRoleDenied()
                && e.getAssumeRoleDenied().getRoleArn().equals(TestRoleDirectory.CHAINED)
                && e.getAssumeRoleDenied().getHeader().getActor().getArn().endsWith("/" + session)
                && e.getAssumeRoleDenied().getRoleSessionName().equals("hop2"));
        assertThat(denied).hasSize(1);
        assertThat(denied.get(0).getAssumeRoleDenied().getReason()).contains("session policy");
    }

    @Test
    void aSessionPolicyThatAllowsAssumeRoleOnTheRoleLetsTheSessionChain() throws Exception {
        var allowed = as(ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "wide").setPolicy(MAY_CHAIN).build()));
        AssumeRoleResponse chained = allowed.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").build());
        assertThat(chained.getAssumedRoleUser().getArn()).endsWith(":assumed-role/ChainTarget/hop2");

        // Passing tags needs sts:TagSession and a source identity needs sts:SetSourceIdentity too.
        expect(() -> allowed.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").addTags(tag("k", "v")).build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
        expect(() -> allowed.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").setSourceIdentity("alice").build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
        var wider = as(ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "wider").setPolicy(MAY_CHAIN_WITH_TAGS_AND_IDENTITY).build()));
        assertThat(wider.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").addTags(tag("k", "v")).setSourceIdentity("alice")
                .build()).getSourceIdentity()).isEqualTo("alice");
        // The chained session keeps no session policy of its own unless it is given one.
        assertThat(claims(chained).getClaim("session_policy")).isNull();
    }
}

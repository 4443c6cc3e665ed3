package dev.sts.token;

import static dev.sts.token.AssumeRoleLimitsTest.invalid;
import static dev.sts.token.AssumeRoleLimitsTest.tag;
import static dev.sts.token.TokenServiceTest.assume;
import static dev.sts.token.TokenServiceTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.events.Topics;
import dev.sts.kit.iam.PermissionView;
import dev.sts.kit.iam.RoleStates;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.StsEvent;
import jakarta.inject.Inject;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
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
 * (defect 3), a session's session policy limits which roles it may assume (defect 4), and a
 * session is authorized by its role's own policies and boundary from the permission view, fed by
 * the real broker.
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

    @Inject
    PermissionView view;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void rolesInTheView() throws Exception {
        TestRoleDirectory.publishAndAwait(bootstrapServers, view);
    }

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

    @Test
    void aRoleThatTrustsOnlyTheAccountNeedsTheSessionsOwnPoliciesAndItsBoundary() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String target = RoleStates.roleArn("AccountTrusting-" + suffix);
        RoleState.Builder worker = RoleStates.role("Worker-" + suffix).setAssumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},
                 "Action":"sts:AssumeRole"}]}""");
        // RoleStates.role trusts the account root: the target delegates to the caller's IAM policies.
        TestRoleDirectory.publish(bootstrapServers, worker.build(), RoleStates.role("AccountTrusting-" + suffix).build());
        TestRoleDirectory.awaitInView(view, target, 1);

        var session = as(ec2.assumeRole(assume(worker.getArn(), "w1").build()));
        expect(() -> session.assumeRole(assume(target, "hop").build()), Status.Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(reasonOfDenial(target, "w1")).contains("identity-based");

        // The role is given sts:AssumeRole on the target: the same session may now assume it.
        TestRoleDirectory.publish(bootstrapServers, worker.setRevision(2)
                .addInlinePolicies(RoleStates.inline("chain", RoleStates.allow("sts:AssumeRole", target))).build());
        TestRoleDirectory.awaitInView(view, worker.getArn(), 2);
        assertThat(session.assumeRole(assume(target, "hop").build()).getAssumedRoleUser().getArn())
                .endsWith(":assumed-role/AccountTrusting-" + suffix + "/hop");

        // A boundary that does not allow it takes the permission away again.
        ManagedPolicyState s3Only = RoleStates.policy("S3Only-" + suffix, 1, RoleStates.allow("s3:*", "*"));
        publishPolicy(s3Only);
        TestRoleDirectory.publish(bootstrapServers, worker.setRevision(3).setPermissionsBoundaryArn(s3Only.getArn()).build());
        TestRoleDirectory.awaitInView(view, worker.getArn(), 3);
        expect(() -> session.assumeRole(assume(target, "hop2").build()), Status.Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(reasonOfDenial(target, "w1")).contains("permissions boundary");
    }

    @Test
    void aSessionOfADeletedRoleMayNotChain() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        RoleState worker = RoleStates.role("Gone-" + suffix).setAssumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},
                 "Action":"sts:AssumeRole"}]}""").build();
        RoleState target = RoleStates.role("TrustsGone-" + suffix).setAssumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},
                 "Action":"sts:AssumeRole"}]}""".formatted(worker.getArn())).build();
        TestRoleDirectory.publish(bootstrapServers, worker, target);
        TestRoleDirectory.awaitInView(view, target.getArn(), 1);
        var session = as(ec2.assumeRole(assume(worker.getArn(), "w1").build()));
        assertThat(session.assumeRole(assume(target.getArn(), "hop").build()).hasCredentials()).isTrue();

        publishTombstone(worker.getArn());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> view.role(worker.getArn()).isEmpty());
        expect(() -> session.assumeRole(assume(target.getArn(), "hop").build()), Status.Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(reasonOfDenial(target.getArn(), "w1")).contains("not in the permission view");
    }

    /** The audit reason of the latest denial of the role to a session named {@code sessionName}. */
    static String reasonOfDenial(String roleArn, String sessionName) {
        var denied = SessionEventLog.matching(e -> e.hasAssumeRoleDenied()
                && e.getAssumeRoleDenied().getRoleArn().equals(roleArn)
                && e.getAssumeRoleDenied().getHeader().getActor().getArn().endsWith("/" + sessionName));
        assertThat(denied).isNotEmpty();
        return denied.get(denied.size() - 1).getAssumeRoleDenied().getReason();
    }

    void publishPolicy(ManagedPolicyState policy) throws Exception {
        send(policy.getArn(), StsEvent.newBuilder().setManagedPolicyState(policy).build().toByteArray());
    }

    void publishTombstone(String arn) throws Exception {
        send(arn, null);
    }

    private void send(String key, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.PERMISSION_STATE, key, value)).get();
        }
    }

    @Test
    void managedSessionPoliciesAreCarriedInTheTokenAndLimitWhatTheSessionMayAssume() throws Exception {
        var s3ReadOnly = dev.sts.proto.v1.PolicyDescriptor.newBuilder().setArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        AssumeRoleResponse r = ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "managed").addPolicyArns(s3ReadOnly).build());
        assertThat(claims(r).getStringListClaim("policy_arns")).containsExactly("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        expect(() -> as(r).assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(reasonOfDenial(TestRoleDirectory.CHAINED, "managed")).contains("session policy");

        invalid(() -> ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "managed").addPolicyArns(
                dev.sts.proto.v1.PolicyDescriptor.newBuilder().setArn("arn:aws:iam::000000000000:policy/NoSuchPolicy")).build()),
                "InvalidParameterValue", "policy_arns");
    }
}

package dev.sts.token;

import static dev.sts.token.TokenServiceTest.assume;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.PolicyDescriptor;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.Tag;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.kit.testing.TestChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Defect 1 (producer side): every caller-supplied field is bounded by AWS STS's AssumeRole limits
 * before any event, a denial's included, is built; an out-of-bounds request is answered
 * INVALID_ARGUMENT naming the field, and nothing is published.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokens"))
class AssumeRoleLimitsTest {
    static ManagedChannel channel;
    static TokenServiceGrpc.TokenServiceBlockingStub ec2;
    static TokenServiceGrpc.TokenServiceBlockingStub intruder;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        ec2 = TokenServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-ec2-token"));
        intruder = TokenServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-intruder-token"));
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    /** A syntactically valid role ARN of exactly {@code length} characters whose role does not exist. */
    static String roleArnOfLength(int length) {
        String prefix = "arn:aws:iam::000000000000:role/";
        String name = "/Missing" + UUID.randomUUID().toString().substring(0, 8);
        return prefix + "p".repeat(length - prefix.length() - name.length()) + name;
    }

    @Test
    void an800CharacterArnIsDeniedAndItsEventCarriesTheArnIntact() {
        String arn = roleArnOfLength(800);
        TokenServiceTest.expect(() -> intruder.assumeRole(assume(arn, "long-arn").build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
        var denied = SessionEventLog.matching(e -> e.hasAssumeRoleDenied() && e.getAssumeRoleDenied().getRoleArn().equals(arn));
        assertThat(denied).hasSize(1);
        assertThat(denied.get(0).getAssumeRoleDenied().getRoleArn()).hasSize(800);
        assertThat(denied.get(0).getAssumeRoleDenied().getRequestParameters().getFieldsOrThrow("roleArn").getStringValue())
                .isEqualTo(arn);
    }

    @Test
    void a5000CharacterArnIsAValidationErrorAndPublishesNothing() {
        String arn = roleArnOfLength(5000);
        invalid(() -> intruder.assumeRole(assume(arn, "huge-arn").build()), "ValidationError", "role_arn");
        invalid(() -> ec2.assumeRole(assume(arn, "huge-arn").build()), "ValidationError", "role_arn");
        // The role name is random, so only this test's requests could have produced a match.
        String name = arn.substring(arn.lastIndexOf('/'));
        assertThat(SessionEventLog.matching(e -> e.hasAssumeRoleDenied()
                && e.getAssumeRoleDenied().getRoleArn().endsWith(name))).isEmpty();
    }

    @Test
    void theLimitsOfAwsStsAreEnforcedBeforeTrustIsEvaluated() {
        String role = TestRoleDirectory.S3_ACCESS;
        // Denied callers get the validation error too: validation comes before any decision or event.
        invalid(() -> intruder.assumeRole(assume(role, "s".repeat(65)).build()), "ValidationError", "role_session_name");
        invalid(() -> intruder.assumeRole(assume(role, "ok").setExternalId("e".repeat(1225)).build()), "ValidationError", "external_id");
        invalid(() -> intruder.assumeRole(assume(role, "ok").setSourceIdentity("s".repeat(65)).build()), "ValidationError", "source_identity");
        invalid(() -> intruder.assumeRole(assume(role, "ok").setDurationSeconds(50_000).build()), "ValidationError", "duration_seconds");
        invalid(() -> intruder.assumeRole(assume(role, "ok").setDurationSeconds(899).build()), "ValidationError", "duration_seconds");
        invalid(() -> intruder.assumeRole(withTags(assume(role, "ok"), 51).build()), "ValidationError", "tags");
        invalid(() -> intruder.assumeRole(assume(role, "ok").addTags(tag("k".repeat(129), "v")).build()), "ValidationError", "tags");
        invalid(() -> intruder.assumeRole(assume(role, "ok").addTags(tag("k", "v".repeat(257))).build()), "ValidationError", "tags");
        invalid(() -> intruder.assumeRole(assume(role, "ok").addTags(tag("bad#key", "v")).build()), "ValidationError", "tags");
        invalid(() -> intruder.assumeRole(assume(role, "ok").addTags(tag("k", "bad\u0000value")).build()), "ValidationError", "tags");
        AssumeRoleRequest.Builder manyTransitive = assume(role, "ok").addTags(tag("team", "blue"));
        for (int i = 0; i < 51; i++) {
            manyTransitive.addTransitiveTagKeys("team");
        }
        invalid(() -> intruder.assumeRole(manyTransitive.build()), "ValidationError", "transitive_tag_keys");
        AssumeRoleRequest.Builder manyArns = assume(role, "ok");
        for (int i = 0; i < 11; i++) {
            manyArns.addPolicyArns(PolicyDescriptor.newBuilder().setArn("arn:aws:iam::000000000000:policy/P" + i));
        }
        invalid(() -> intruder.assumeRole(manyArns.build()), "ValidationError", "policy_arns");
        invalid(() -> intruder.assumeRole(assume(role, "ok").addPolicyArns(PolicyDescriptor.newBuilder()
                .setArn("arn:aws:iam::000000000000:policy/" + "p".repeat(2100))).build()), "ValidationError", "policy_arns");
    }

    @Test
    void sessionPolicySizeIsCheckedOnTheRawTextFirstAndAnsweredAsPackedPolicyTooLarge() {
        String role = TestRoleDirectory.S3_ACCESS;
        String statement = "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/key\"}";
        StringBuilder big = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[").append(statement);
        while (big.length() < 2100) {
            big.append(',').append(statement);
        }
        String tooLarge = big.append("]}").toString();
        invalid(() -> ec2.assumeRole(assume(role, "ok").setPolicy(tooLarge).build()), "PackedPolicyTooLarge", "policy");
        // Whitespace does not count towards IAM's 2,048, but the raw text has a hard cap all the same.
        String padded = "{\"Version\":\"2012-10-17\"," + " ".repeat(200_000) + "\"Statement\":[" + statement + "]}";
        invalid(() -> ec2.assumeRole(assume(role, "ok").setPolicy(padded).build()), "PackedPolicyTooLarge", "policy");
        String pretty = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    " + statement + "\n  ]\n}";
        assertThat(ec2.assumeRole(assume(role, "ok").setPolicy(pretty).build()).getPackedPolicySize()).isBetween(1, 100);
    }

    static AssumeRoleRequest.Builder withTags(AssumeRoleRequest.Builder b, int count) {
        for (int i = 0; i < count; i++) {
            b.addTags(tag("k" + i, "v"));
        }
        return b;
    }

    static Tag tag(String key, String value) {
        return Tag.newBuilder().setKey(key).setValue(value).build();
    }

    /** Asserts INVALID_ARGUMENT with the AWS code as ErrorInfo.reason and the field in BadRequest. */
    static void invalid(Runnable call, String reason, String field) {
        StatusRuntimeException e = TokenServiceTest.expect(call, Status.Code.INVALID_ARGUMENT, reason);
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status.getDetailsList().stream().filter(d -> d.is(BadRequest.class)).map(d -> {
            try {
                return d.unpack(BadRequest.class).getFieldViolations(0).getField();
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new AssertionError(x);
            }
        })).as(GrpcErrors.reason(e) + ": " + e.getStatus().getDescription()).containsExactly(field);
    }
}

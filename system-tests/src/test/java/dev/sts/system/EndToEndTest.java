package dev.sts.system;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.sts.system.AuditTrail.awaitOne;
import static dev.sts.system.Calls.expectError;

import dev.sts.cluster.LocalCluster;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.AssumeRoleResponse;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.ChainVerification;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.GetCallerIdentityRequest;
import dev.sts.proto.v1.GetCallerIdentityResponse;
import dev.sts.proto.v1.GetJwksRequest;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.LookupAttributes;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.Role;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.proto.v1.VerifyChainRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed walkthrough ("an IAM role for EC2 to access S3") across the three services running as
 * separate processes, started by the launcher behind {@code ./sts up}, against a real PostgreSQL
 * and a real Kafka broker ({@link SystemCluster}, shared with the other system tests).
 */
@ExtendWith(SystemCluster.Resolver.class)
class EndToEndTest {
    static final String ACCOUNT = "000000000000";
    static final String TRUST_EC2 = """
            {"Version":"2012-10-17","Statement":[{"Sid":"TrustEc2","Effect":"Allow",
             "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    final SystemCluster system;
    final ManagedChannel roles;
    final ManagedChannel tokens;
    final ManagedChannel audit;

    EndToEndTest(SystemCluster system) {
        this.system = system;
        this.roles = system.roles;
        this.tokens = system.tokens;
        this.audit = system.audit;
    }

    BearerCredentials as(String name) {
        return system.as(name);
    }

    @Test
    void ec2AssumesS3AccessRoleAndTheAuditLogShowsWhoAssumedWhatAndWhy() {
        // 1. An administrator creates the role, trusting the EC2 service principal.
        RoleServiceGrpc.RoleServiceBlockingStub admin = RoleServiceGrpc.newBlockingStub(roles).withCallCredentials(as("admin"));
        Role role = admin.createRole(CreateRoleRequest.newBuilder().setRoleName("S3AccessRole")
                .setAssumeRolePolicyDocument(TRUST_EC2).setDescription("Allows EC2 instances to read S3").build()).getRole();
        assertThat(role.getArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/S3AccessRole");

        // 2. The trusted principal assumes it.
        TokenServiceGrpc.TokenServiceBlockingStub ec2 = TokenServiceGrpc.newBlockingStub(tokens).withCallCredentials(as("ec2"));
        AssumeRoleResponse assumed = ec2.assumeRole(AssumeRoleRequest.newBuilder().setRoleArn(role.getArn())
                .setRoleSessionName("i-0abc123").setDurationSeconds(900).build());
        var creds = assumed.getCredentials();
        assertThat(creds.getAccessKeyId()).matches("ASIA[A-Z2-7]{16}");
        assertThat(creds.getSecretAccessKey()).hasSize(40);
        assertThat(creds.getSessionToken().split("\\.")).hasSize(3);
        assertThat(creds.getExpiration().getSeconds()).isBetween(Instant.now().getEpochSecond() + 850,
                Instant.now().getEpochSecond() + 905);
        String sessionArn = "arn:aws:sts::" + ACCOUNT + ":assumed-role/S3AccessRole/i-0abc123";
        assertThat(assumed.getAssumedRoleUser().getArn()).isEqualTo(sessionArn);
        assertThat(assumed.getAssumedRoleUser().getAssumedRoleId()).isEqualTo(role.getRoleId() + ":i-0abc123");

        // 3. The session token says who it is.
        GetCallerIdentityResponse me = TokenServiceGrpc.newBlockingStub(tokens)
                .withCallCredentials(new BearerCredentials(creds.getSessionToken()))
                .getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance());
        assertThat(me.getArn()).isEqualTo(sessionArn);
        assertThat(me.getAccount()).isEqualTo(ACCOUNT);
        assertThat(me.getUserId()).isEqualTo(role.getRoleId() + ":i-0abc123");

        // role-service verifies the same token offline against token-service's JWKS: the session is
        // authenticated (not UNAUTHENTICATED) and, holding no IAM permissions, refused.
        StatusRuntimeException refused = expectError(() -> RoleServiceGrpc.newBlockingStub(roles)
                .withCallCredentials(new BearerCredentials(creds.getSessionToken()))
                .getRole(GetRoleRequest.newBuilder().setRoleName("S3AccessRole").build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused.getStatus().getDescription()).contains(sessionArn);

        // 4. The audit log has the issuance, findable by the access key id, without any secret.
        AuditServiceGrpc.AuditServiceBlockingStub auditor = AuditServiceGrpc.newBlockingStub(audit).withCallCredentials(as("admin"));
        AuditRecord issued = awaitOne(() -> auditor.lookupEvents(LookupEventsRequest.newBuilder()
                .setLookupAttributes(LookupAttributes.newBuilder().setAccessKeyId(creds.getAccessKeyId())).build()).getEventsList());
        assertThat(issued.getEventName()).isEqualTo("AssumeRole");
        assertThat(issued.getEventSource()).isEqualTo("sts.amazonaws.com");
        assertThat(issued.getOutcome()).isEqualTo("Success");
        assertThat(issued.getUserIdentity().getArn()).isEqualTo("ec2.amazonaws.com");
        assertThat(issued.getUserIdentity().getType()).isEqualTo("AWSService");
        assertThat(issued.getResponseElements().getFieldsOrThrow("assumedRoleUser").getStructValue()
                .getFieldsOrThrow("arn").getStringValue()).isEqualTo(sessionArn);
        assertThat(issued.toString()).doesNotContain(creds.getSecretAccessKey()).doesNotContain(creds.getSessionToken());
        assertThat(issued.getRecordHash()).hasSize(64);

        // The role's creation is in the log too, attributed to the administrator.
        AuditRecord created = awaitOne(() -> auditor.lookupEvents(LookupEventsRequest.newBuilder()
                .setLookupAttributes(LookupAttributes.newBuilder().setEventName("CreateRole")
                        .setRoleArn(role.getArn())).build()).getEventsList());
        assertThat(created.getUserIdentity().getArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":root");
        assertThat(created.getEventSource()).isEqualTo("iam.amazonaws.com");
    }

    @Test
    void anUntrustedCallerIsDeniedAndTheDenialIsAudited() {
        RoleServiceGrpc.RoleServiceBlockingStub admin = RoleServiceGrpc.newBlockingStub(roles).withCallCredentials(as("admin"));
        Role role = admin.createRole(CreateRoleRequest.newBuilder().setRoleName("BillingReader")
                .setAssumeRolePolicyDocument(TRUST_EC2).build()).getRole();

        StatusRuntimeException denied = expectError(() -> TokenServiceGrpc.newBlockingStub(tokens)
                .withCallCredentials(as("intruder"))
                .assumeRole(AssumeRoleRequest.newBuilder().setRoleArn(role.getArn()).setRoleSessionName("sneaky").build()));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(GrpcErrors.reason(denied)).isEqualTo("AccessDenied");

        // A role that does not exist is refused the same way: no existence oracle.
        StatusRuntimeException missing = expectError(() -> TokenServiceGrpc.newBlockingStub(tokens)
                .withCallCredentials(as("intruder"))
                .assumeRole(AssumeRoleRequest.newBuilder().setRoleArn("arn:aws:iam::" + ACCOUNT + ":role/NoSuchRole")
                        .setRoleSessionName("sneaky").build()));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(GrpcErrors.reason(missing)).isEqualTo("AccessDenied");

        AuditServiceGrpc.AuditServiceBlockingStub auditor = AuditServiceGrpc.newBlockingStub(audit).withCallCredentials(as("admin"));
        AuditRecord record = awaitOne(() -> auditor.lookupEvents(LookupEventsRequest.newBuilder()
                .setLookupAttributes(LookupAttributes.newBuilder().setRoleArn(role.getArn()).setOutcome("Failure")).build())
                .getEventsList());
        assertThat(record.getUserIdentity().getArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/intruder");
        assertThat(record.getErrorCode()).isEqualTo("AccessDenied");
        assertThat(record.getInternalReason()).startsWith("refused by the role's trust policy: ImplicitDeny");

        // The intruder cannot read the audit log.
        StatusRuntimeException noAudit = expectError(() -> AuditServiceGrpc.newBlockingStub(audit)
                .withCallCredentials(as("intruder")).lookupEvents(LookupEventsRequest.getDefaultInstance()));
        assertThat(noAudit.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void jwksIsServedOverGrpcAndHttpAndEveryChainVerifies() throws Exception {
        var jwks = TokenServiceGrpc.newBlockingStub(tokens).getJwks(GetJwksRequest.getDefaultInstance());
        assertThat(jwks.getKeyIdsList()).isNotEmpty();
        // Ed25519 by default (ADR 019); a public key only
        assertThat(jwks.getJwksJson()).contains("\"kty\":\"OKP\"", "\"crv\":\"Ed25519\"", "\"alg\":\"EdDSA\"")
                .doesNotContain("\"d\":");

        HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + LocalCluster.HOST + ":" + system.cluster.endpoints().tokenPort() + "/.well-known/jwks.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(http.body()).contains(jwks.getKeyIds(0)).doesNotContain("\"d\":");

        // Make sure something is in the log, then check every hash chain.
        RoleServiceGrpc.newBlockingStub(roles).withCallCredentials(as("admin")).createRole(CreateRoleRequest.newBuilder()
                .setRoleName("ChainCheck").setAssumeRolePolicyDocument(TRUST_EC2).build());
        AuditServiceGrpc.AuditServiceBlockingStub auditor = AuditServiceGrpc.newBlockingStub(audit).withCallCredentials(as("admin"));
        awaitOne(() -> auditor.lookupEvents(LookupEventsRequest.newBuilder().setLookupAttributes(LookupAttributes.newBuilder()
                .setRoleArn("arn:aws:iam::" + ACCOUNT + ":role/ChainCheck")).build()).getEventsList());
        List<ChainVerification> chains = auditor.verifyChain(VerifyChainRequest.getDefaultInstance()).getChainsList();
        assertThat(chains).isNotEmpty().allSatisfy(c -> assertThat(c.getIntact()).as(c.getChainId() + ": " + c.getProblem()).isTrue());
    }
}

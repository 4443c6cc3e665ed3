package dev.sts.audit;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.inline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.iam.RoleStates;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.ExportEventsRequest;
import dev.sts.proto.v1.GetEventRequest;
import dev.sts.proto.v1.GetSessionLineageRequest;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.VerifyChainRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may call each AuditService RPC: its {@code audit:*} action on "*", evaluated by the policy
 * engine against the caller's role session through the permission view (fed by the real broker);
 * bootstrap principals may call everything, other static principals nothing.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(SessionTokensResource.class)
class AuditAuthorizationTest {
    static ManagedChannel channel;

    @BeforeAll
    static void connect() throws Exception {
        channel = TestChannels.toApplication();
        PermissionViewFlowTest.connect();
    }

    @AfterAll
    static void close() {
        PermissionViewFlowTest.close();
        channel.shutdownNow();
    }

    /** Each RPC with a request that a permitted caller gets a non-AccessDenied answer to. */
    static Map<String, Consumer<AuditServiceGrpc.AuditServiceBlockingStub>> calls() {
        Instant now = Instant.now();
        Map<String, Consumer<AuditServiceGrpc.AuditServiceBlockingStub>> calls = new LinkedHashMap<>();
        calls.put("audit:LookupEvents", s -> s.lookupEvents(LookupEventsRequest.newBuilder().setPageSize(1).build()));
        calls.put("audit:GetEvent", s -> s.getEvent(GetEventRequest.newBuilder().setEventId(UUID.randomUUID().toString()).build()));
        calls.put("audit:ExportEvents", s -> s.exportEvents(ExportEventsRequest.newBuilder()
                .setStartTime(TrailEvents.ts(now.minusSeconds(1))).setEndTime(TrailEvents.ts(now)).build()).hasNext());
        calls.put("audit:VerifyChain", s -> s.verifyChain(VerifyChainRequest.newBuilder().setChainId("no-such-chain/0").build()));
        calls.put("audit:GetSessionLineage", s -> s.getSessionLineage(
                GetSessionLineageRequest.newBuilder().setSessionId(UUID.randomUUID().toString()).build()));
        return calls;
    }

    /** The AWS error code the call ended with, or "OK". */
    static String outcome(Consumer<AuditServiceGrpc.AuditServiceBlockingStub> call, AuditServiceGrpc.AuditServiceBlockingStub stub) {
        try {
            call.accept(stub);
            return "OK";
        } catch (StatusRuntimeException e) {
            return GrpcErrors.reason(e);
        }
    }

    static AuditServiceGrpc.AuditServiceBlockingStub sessionOf(RoleState role) {
        SessionClaims claims = PermissionViewFlowTest.session(role, "auditor");
        return AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials(SessionTokensResource.sign(claims)));
    }

    @Test
    void aSessionMayCallOnlyTheActionsItsRoleAllows() throws Exception {
        PermissionViewFlowTest.permissionViewCheck();
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        RoleState lookupsOnly = RoleStates.role("LookupsOnly" + tag)
                .addInlinePolicies(inline("Lookups", allow("audit:LookupEvents", "*"))).build();
        RoleState auditor = RoleStates.role("Auditor" + tag)
                .addInlinePolicies(inline("All", allow("audit:*", "*"))).build();
        PermissionViewFlowTest.publish(lookupsOnly.getArn(), lookupsOnly);
        PermissionViewFlowTest.publish(auditor.getArn(), auditor);
        AuditServiceGrpc.AuditServiceBlockingStub looker = sessionOf(lookupsOnly);
        AuditServiceGrpc.AuditServiceBlockingStub full = sessionOf(auditor);
        // the view applies both roles (the two-second bound is PermissionViewFlowTest's subject, not this test's)
        await().atMost(Duration.ofSeconds(30)).until(() -> PermissionViewFlowTest.lookupAllowed(looker)
                && PermissionViewFlowTest.lookupAllowed(full));

        for (Map.Entry<String, Consumer<AuditServiceGrpc.AuditServiceBlockingStub>> c : calls().entrySet()) {
            String expected = c.getKey().equals("audit:LookupEvents") ? "OK" : "AccessDenied";
            assertThat(outcome(c.getValue(), looker)).as(c.getKey() + " by a LookupEvents-only session").isEqualTo(expected);
            assertThat(outcome(c.getValue(), full)).as(c.getKey() + " by an audit:* session").isNotEqualTo("AccessDenied");
        }
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> calls().get("audit:ExportEvents").accept(looker));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused.getStatus().getDescription()).isEqualTo("User: "
                + PermissionViewFlowTest.session(lookupsOnly, "auditor").assumedRoleArn()
                + " is not authorized to perform: audit:ExportEvents on resource: * because no identity-based policy"
                + " allows the audit:ExportEvents action");
    }

    @Test
    void bootstrapPrincipalsMayCallEverythingAndOtherStaticPrincipalsNothing() {
        AuditServiceGrpc.AuditServiceBlockingStub admin = AuditServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredentials(TrailEvents.ADMIN_TOKEN));
        AuditServiceGrpc.AuditServiceBlockingStub intruder = AuditServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredentials("test-intruder-token"));
        AuditServiceGrpc.AuditServiceBlockingStub anonymous = AuditServiceGrpc.newBlockingStub(channel);
        for (Map.Entry<String, Consumer<AuditServiceGrpc.AuditServiceBlockingStub>> c : calls().entrySet()) {
            assertThat(outcome(c.getValue(), admin)).as(c.getKey() + " by a bootstrap principal").isNotEqualTo("AccessDenied");
            assertThat(outcome(c.getValue(), intruder)).as(c.getKey() + " by a non-bootstrap user").isEqualTo("AccessDenied");
            assertThat(outcome(c.getValue(), anonymous)).as(c.getKey() + " without credentials")
                    .isEqualTo("MissingAuthenticationToken");
        }
    }
}

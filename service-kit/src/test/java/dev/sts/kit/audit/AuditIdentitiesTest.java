package dev.sts.kit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.SessionContext;
import dev.sts.proto.v1.SessionIssuer;
import dev.sts.proto.v1.UserIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditIdentitiesTest {

    @Test
    void aSessionCallerCarriesItsSessionContext() {
        Instant issued = Instant.parse("2026-01-02T03:04:05.123456789Z");
        SessionClaims s = new SessionClaims("https://sts.test", "sts", "session-1",
                "arn:aws:sts::000000000000:assumed-role/path/Admin/alice", "arn:aws:iam::000000000000:role/path/Admin",
                "AROAADMINEXAMPLE0000", "alice", "000000000000", "alice@example.com", Map.of(), List.of(),
                "ASIAEXAMPLEEXAMPLE00", issued, issued.plusSeconds(3600), 3, "ec2.amazonaws.com", null);

        UserIdentity id = AuditIdentities.of(CallerIdentity.ofSession(s));

        assertThat(id.getType()).isEqualTo("AssumedRole");
        assertThat(id.getArn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/path/Admin/alice");
        assertThat(id.getPrincipalId()).isEqualTo("AROAADMINEXAMPLE0000:alice");
        assertThat(id.getAccountId()).isEqualTo("000000000000");
        assertThat(id.getAccessKeyId()).isEqualTo("ASIAEXAMPLEEXAMPLE00");
        assertThat(id.getSessionContext()).isEqualTo(SessionContext.newBuilder()
                .setSessionIssuer(SessionIssuer.newBuilder().setType("Role").setPrincipalId("AROAADMINEXAMPLE0000")
                        .setArn("arn:aws:iam::000000000000:role/path/Admin").setAccountId("000000000000")
                        .setUserName("Admin"))
                .setCreationDate(Timestamps.of(issued))
                .setSourceIdentity("alice@example.com")
                .setSessionId("session-1")
                .setChainDepth(3)
                .build());
    }

    @Test
    void aStaticPrincipalHasNoSessionContext() {
        UserIdentity id = AuditIdentities.of(CallerIdentity.ofPrincipal("ec2.amazonaws.com", "000000000000", false));
        assertThat(id.getType()).isEqualTo("AWSService");
        assertThat(id.getArn()).isEqualTo("ec2.amazonaws.com");
        assertThat(id.getAccessKeyId()).isEmpty();
        assertThat(id.hasSessionContext()).isFalse();
    }
}

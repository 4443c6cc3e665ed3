package dev.sts.role.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.proto.v1.StsEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A role change made by a role session records the session, as token-service's events do. */
class RoleEventsTest {

    @Test
    void aChangeMadeByASessionKeepsItsSessionContext() throws Exception {
        Instant issued = Instant.parse("2026-01-02T03:04:05Z");
        SessionClaims session = new SessionClaims("https://sts.test", "sts", "session-1",
                "arn:aws:sts::000000000000:assumed-role/Admin/alice", "arn:aws:iam::000000000000:role/Admin",
                "AROAADMINEXAMPLE0000", "alice", "000000000000", "alice@example.com", Map.of(), List.of(),
                "ASIAEXAMPLEEXAMPLE00", issued, issued.plusSeconds(3600), 2, "arn:aws:iam::000000000000:root", null);
        var event = RoleEvents.roleChanged("CreateRole", "arn:aws:iam::000000000000:role/New", "AROANEW", 1,
                CallerIdentity.ofSession(session), new RequestContext("req-1", null, "10.0.0.1", "test"),
                issued, Map.of());

        var actor = StsEvent.parseFrom(event.payload()).getRoleChanged().getHeader().getActor();
        assertThat(actor.getType()).isEqualTo("AssumedRole");
        assertThat(actor.getArn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/Admin/alice");
        assertThat(actor.getAccessKeyId()).isEqualTo("ASIAEXAMPLEEXAMPLE00");
        assertThat(actor.getSessionContext().getSessionIssuer().getArn()).isEqualTo("arn:aws:iam::000000000000:role/Admin");
        assertThat(actor.getSessionContext().getSessionIssuer().getUserName()).isEqualTo("Admin");
        assertThat(actor.getSessionContext().getSessionId()).isEqualTo("session-1");
        assertThat(actor.getSessionContext().getSourceIdentity()).isEqualTo("alice@example.com");
        assertThat(actor.getSessionContext().getChainDepth()).isEqualTo(2);
        assertThat(actor.getSessionContext().getCreationDate().getSeconds()).isEqualTo(issued.getEpochSecond());
    }
}

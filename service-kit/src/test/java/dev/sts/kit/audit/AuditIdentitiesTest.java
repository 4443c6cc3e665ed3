package dev.sts.kit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditIdentitiesTest {

    @Test
    void aSessionCallerCarriesItsSessionContext() {
        Instant issued = Instant.parse("2026-01-02T03:04:05Z");
        SessionClaims s = new SessionClaims("https://sts.test", "sts", "session-1",
                "arn:aws:sts::000000000000:assumed-role/path/Admin/alice", "arn:aws:iam::000000000000:role/path/Admin",
                "AROAADMINEXAMPLE0000", "alice", "000000000000", "alice@example.com", Map.of(), List.of(),
                "ASIAEXAMPLEEXAMPLE00", issued, issued.plusSeconds(3600), 3, "ec2.amazonaws.com", null);

        AuditIdentity id = AuditIdentities.of(CallerIdentity.ofSession(s));

        assertThat(id.type()).isEqualTo("AssumedRole");
        assertThat(id.arn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/path/Admin/alice");
        assertThat(id.principalId()).isEqualTo("AROAADMINEXAMPLE0000:alice");
        assertThat(id.accessKeyId()).isEqualTo("ASIAEXAMPLEEXAMPLE00");
        assertThat(id.session()).isEqualTo(new AuditIdentity.Session("arn:aws:iam::000000000000:role/path/Admin",
                "AROAADMINEXAMPLE0000", "Admin", "000000000000", "alice", issued, "alice@example.com", "session-1", 3));
    }

    @Test
    void aStaticPrincipalHasNoSessionAndNoNulls() {
        AuditIdentity id = AuditIdentities.of(CallerIdentity.ofPrincipal("ec2.amazonaws.com", "000000000000", false));
        assertThat(id.type()).isEqualTo("AWSService");
        assertThat(id.accessKeyId()).isEmpty();
        assertThat(id.session()).isNull();
    }
}

package dev.sts.token.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.policy.StatementRef;
import dev.sts.proto.v1.StsEvent;
import dev.sts.token.domain.AssumeRoleService;
import dev.sts.token.domain.CallContext;
import dev.sts.token.domain.DecisionLog;
import dev.sts.token.domain.SessionTag;
import dev.sts.token.domain.SignedSession;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * With every caller-supplied value at its largest valid size, no string in a session event is
 * longer than the largest AWS limit (2,048), apart from the session policy itself (bounded by its
 * raw cap) and the denial message that quotes the role ARN.
 */
class SessionEventsTest {
    static final Instant NOW = Instant.parse("2026-05-06T07:08:09Z");
    final SessionEvents events = new SessionEvents(null, null, InstantSource.fixed(NOW));

    static final String ARN = "arn:aws:iam::000000000000:role/" + "p".repeat(2048 - 36) + "/Name";
    static final SessionClaims SESSION = new SessionClaims("https://sts.test", "sts", "session-1",
            "arn:aws:sts::000000000000:assumed-role/Caller/" + "s".repeat(64), "arn:aws:iam::000000000000:role/Caller",
            "AROACALLEREXAMPLE000", "s".repeat(64), "000000000000", "i".repeat(64), Map.of(), List.of(),
            "ASIACALLEREXAMPLE000", NOW, NOW.plusSeconds(3600), 2, "ec2.amazonaws.com", null);

    static AssumeRoleService.Command largest() {
        List<SessionTag> tags = IntStream.range(0, 50)
                .mapToObj(i -> new SessionTag(String.format("%03d", i) + "k".repeat(125), "v".repeat(256))).toList();
        return new AssumeRoleService.Command(ARN, "n".repeat(64), null, List.of(), 43_200, tags,
                tags.stream().map(SessionTag::key).toList(), "e".repeat(1224), "i".repeat(64));
    }

    @Test
    void everyStringOfADenialIsBounded() {
        CallerIdentity caller = CallerIdentity.ofSession(SESSION);
        String message = "User: " + caller.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + ARN;
        StsEvent e = events.assumeRoleDenied(new DecisionLog.Denial(caller, new CallContext("r", "1.2.3.4", "u".repeat(5000)),
                largest(), "AccessDenied", message, "role does not exist: " + ARN, DecisionLog.PolicySource.TRUST,
                List.of(new DecisionLog.Deciding(new StatementRef("trust:" + ARN, 0, null), DecisionLog.PolicySource.TRUST))));

        assertThat(e.getAssumeRoleDenied().getRoleArn()).isEqualTo(ARN).hasSize(2048);
        assertThat(e.getAssumeRoleDenied().getHeader().getUserAgent()).hasSize(CallContext.USER_AGENT_MAX);
        assertThat(e.getAssumeRoleDenied().getHeader().getActor().getSessionContext().getSessionId()).isEqualTo("session-1");
        assertThat(strings(e)).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(2048 + 200));
    }

    @Test
    void everyStringOfAnIssuedSessionIsBounded() {
        var cmd = largest();
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        cmd.tags().forEach(t -> tags.put(t.key(), t.value()));
        SessionClaims issued = new SessionClaims("https://sts.test", "sts", "session-2",
                "arn:aws:sts::000000000000:assumed-role/Name/" + cmd.sessionName(), ARN, "AROANAMEEXAMPLE00000",
                cmd.sessionName(), "000000000000", cmd.sourceIdentity(), tags, cmd.transitiveTagKeys(), "ASIANEWEXAMPLE000000",
                NOW, NOW.plusSeconds(3600), 1, "ec2.amazonaws.com", null);
        StsEvent e = events.sessionIssued(new DecisionLog.Issuance(CallerIdentity.ofPrincipal("ec2.amazonaws.com", "000000000000",
                false), new CallContext("r", "1.2.3.4", "ua"), cmd, new SignedSession("eyJhbGciOi.secret-session-token.sig", "kid", issued), List.of()));

        assertThat(e.getSessionIssued().getSessionTagsCount()).isEqualTo(50);
        assertThat(strings(e)).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(2048));
        assertThat(e.toString()).doesNotContain("secret-session-token");
    }

    /** Every string field, map key and struct value of a message, recursively. */
    static List<String> strings(Message m) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Descriptors.FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            List<?> values = f.getKey().isRepeated() ? (List<?>) f.getValue() : List.of(f.getValue());
            for (Object v : values) {
                if (v instanceof String s) {
                    out.add(s);
                } else if (v instanceof Message child) {
                    out.addAll(strings(child));
                }
            }
        }
        return out;
    }
}

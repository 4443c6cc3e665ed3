package dev.sts.token.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.StsException;
import dev.sts.kit.iam.InMemoryPermissionView;
import dev.sts.token.TestTokenConfig;
import dev.sts.token.config.TokenConfig;
import dev.sts.token.view.ViewRolePermissions;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The domain behind its ports: hand-written fakes and a fixed clock. */
class AssumeRoleServiceTest {
    static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    static final String ROLE = "arn:aws:iam::000000000000:role/Target";
    static final RoleView TARGET = new RoleView(ROLE, "AROATARGETEXAMPLE000", "Target", "000000000000", """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},
             "Action":["sts:AssumeRole","sts:TagSession"]}]}""", 3600);

    final List<Object> log = new ArrayList<>();
    final DecisionLog decisions = new DecisionLog() {
        @Override
        public Uni<Void> issued(Issuance issuance) {
            log.add(issuance);
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> denied(Denial denial) {
            log.add(denial);
            return Uni.createFrom().voidItem();
        }
    };
    final SessionSigner signer = claims -> new SignedSession("token", "kid-1", claims);
    final RoleDirectory roles = name -> Uni.createFrom().item(Optional.of(TARGET).filter(r -> r.roleName().equalsIgnoreCase(name)));
    final InMemoryPermissionView view = new InMemoryPermissionView();
    final AssumeRoleService service = new AssumeRoleService(new RoleLookup(new ViewRolePermissions(view, new dev.sts.kit.auth.SessionEvaluator(view, java.time.InstantSource.system())), roles),
            new AssumeRoleAuthorization(new ViewRolePermissions(view, new dev.sts.kit.auth.SessionEvaluator(view, java.time.InstantSource.system()))),
            signer, decisions,
            stsConfig(), tokenConfig(), InstantSource.fixed(NOW), new SessionSecrets(dev.sts.kit.testing.AwsTestKeys.RING));
    final CallerIdentity ec2 = CallerIdentity.ofPrincipal("ec2.amazonaws.com", "000000000000", false);
    final CallContext call = new CallContext("req-1", "10.0.0.1", "x".repeat(10_000));

    static AssumeRoleService.Command command(String arn, List<SessionTag> tags) {
        return new AssumeRoleService.Command(arn, "session", null, List.of(), 0, tags, List.of(), null, null);
    }

    @Test
    void sessionTimesComeFromTheInjectedClock() {
        var issued = service.assumeRole(ec2, call, command(ROLE, List.of())).await().atMost(Duration.ofSeconds(5));
        assertThat(issued.session().issuedAt()).isEqualTo(NOW);
        assertThat(issued.session().expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(log).singleElement().isInstanceOf(DecisionLog.Issuance.class);
        // The user agent is bounded before it can reach the decision log.
        assertThat(((DecisionLog.Issuance) log.get(0)).call().userAgent()).hasSize(CallContext.USER_AGENT_MAX);
    }

    @Test
    void invalidInputReachesNeitherTheRoleDirectoryNorTheDecisionLog() {
        assertThatThrownBy(() -> service.assumeRole(ec2, call, command("arn:aws:iam::000000000000:role/" + "p".repeat(3000), List.of())))
                .isInstanceOf(StsException.class);
        assertThatThrownBy(() -> service.assumeRole(ec2, call, command(ROLE,
                List.of(new SessionTag("Team", "a"), new SessionTag("TEAM", "b"))))).isInstanceOf(StsException.class);
        assertThat(log).isEmpty();
    }

    @Test
    void aMissingRoleIsADenialOnRecord() {
        assertThatThrownBy(() -> service.assumeRole(ec2, call, command("arn:aws:iam::000000000000:role/Nope", List.of()))
                .await().atMost(Duration.ofSeconds(5))).isInstanceOf(StsException.class);
        assertThat(log).singleElement().isInstanceOfSatisfying(DecisionLog.Denial.class,
                d -> assertThat(d.reason()).startsWith("role does not exist"));
    }

    /** A proxy, so settings added to the shared mapping later do not break this test. */
    static StsConfig stsConfig() {
        StsConfig.Auth auth = (StsConfig.Auth) java.lang.reflect.Proxy.newProxyInstance(StsConfig.class.getClassLoader(),
                new Class<?>[] {StsConfig.Auth.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "audience" -> "sts";
                    default -> method.getReturnType() == Optional.class ? Optional.empty() : null;
                });
        return (StsConfig) java.lang.reflect.Proxy.newProxyInstance(StsConfig.class.getClassLoader(),
                new Class<?>[] {StsConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "auth" -> auth;
                    case "accountId" -> "000000000000";
                    case "partition" -> "aws";
                    default -> method.getReturnType() == Optional.class ? Optional.empty() : null;
                });
    }

    static TokenConfig tokenConfig() {
        return new TestTokenConfig("", Duration.ofDays(7));
    }
}

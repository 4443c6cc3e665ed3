package dev.sts.kit.auth;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.inline;
import static dev.sts.kit.iam.RoleStates.policy;
import static dev.sts.kit.iam.RoleStates.policyArn;
import static dev.sts.kit.iam.RoleStates.role;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.iam.InMemoryPermissionView;
import dev.sts.kit.iam.RoleStates;
import dev.sts.policy.Effect;
import dev.sts.policy.Outcome;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestContext;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.Tag;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What Authorize adds to the session evaluation: supplied context, resource policies, managed session policies. */
class SessionEvaluatorTest {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String ACCOUNT = RoleStates.ACCOUNT;
    static final String OTHER = "111122223333";

    InMemoryPermissionView view;
    SessionEvaluator evaluator;

    @BeforeEach
    void setUp() {
        view = new InMemoryPermissionView();
        evaluator = new SessionEvaluator(view, InstantSource.fixed(NOW));
    }

    static SessionClaims session(RoleState role, Map<String, String> tags) {
        return new SessionClaims("https://sts.test", "sts", "jti-1",
                "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role.getRoleName() + "/s1", role.getArn(),
                role.getRoleId(), "s1", ACCOUNT, null, tags, List.of(), "ASIAEXAMPLEEXAMPLE00", NOW.minusSeconds(60),
                NOW.plusSeconds(900), 1, "arn:aws:iam::" + ACCOUNT + ":root", null);
    }

    SessionEvaluator.Evaluation ask(SessionClaims s, String action, String resource, RequestContext ctx) {
        return evaluator.evaluate(s, new SessionEvaluator.Question(action, resource, ctx, null, null));
    }

    @Test
    void suppliedKeysCountButTheSessionsOwnWinInAnyCase() {
        RoleState r = role("Tagged").addTags(Tag.newBuilder().setKey("team").setValue("blue"))
                .addInlinePolicies(inline("Office", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"FromOffice\","
                        + "\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{"
                        + "\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}},{\"Sid\":\"Admins\",\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:DeleteObject\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{"
                        + "\"aws:PrincipalTag/admin\":\"true\",\"aws:PrincipalArn\":\"" + RoleStates.roleArn("Tagged")
                        + "\"}}},{\"Sid\":\"Blue\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"blue\"}}}]}")).build();
        view.put(r);
        SessionClaims s = session(r, Map.of());

        assertThat(ask(s, "s3:GetObject", "*", RequestContext.of(Map.of("aws:SourceIp", "10.1.2.3"))).outcome())
                .isEqualTo(Outcome.ALLOW);
        assertThat(ask(s, "s3:GetObject", "*", RequestContext.of(Map.of("aws:SourceIp", "192.0.2.1"))).outcome())
                .isEqualTo(Outcome.IMPLICIT_DENY);
        // A principal tag the session does not have cannot be supplied, in any spelling of the key.
        assertThat(ask(s, "s3:DeleteObject", "*", RequestContext.of(Map.of("AWS:principaltag/ADMIN", "true")))
                .outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        // One it has cannot be overridden.
        assertThat(ask(s, "s3:PutObject", "*", RequestContext.of(Map.of("aws:PrincipalTag/team", "red"))).outcome())
                .isEqualTo(Outcome.ALLOW);
        SessionClaims red = session(r, Map.of("team", "red"));
        assertThat(ask(red, "s3:PutObject", "*", RequestContext.of(Map.of("AWS:PRINCIPALTAG/TEAM", "blue")))
                .outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(SessionEvaluator.isDerivedKey("AWS:principalarn")).isTrue();
        assertThat(SessionEvaluator.isDerivedKey("aws:SourceIdentity")).isTrue();
        assertThat(SessionEvaluator.isDerivedKey("aws:SourceIp")).isFalse();
    }

    @Test
    void acrossAccountsBothTheIdentitySideAndTheResourcePolicyMustAllow() {
        String bucket = "arn:aws:s3:::shared-bucket/report.csv";
        RoleState reader = role("Reader").addInlinePolicies(inline("Read", allow("s3:GetObject", "*"))).build();
        RoleState nothing = role("Nothing").build();
        view.put(reader).put(nothing);
        Policy grantsReader = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"CrossRead\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + reader.getArn() + "\"},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::shared-bucket/*\"}]}", PolicyType.RESOURCE, "ResourcePolicy");
        Policy grantsNobody = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::999999999999:root\"},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"*\"}]}", PolicyType.RESOURCE, "ResourcePolicy");

        SessionEvaluator.Evaluation both = evaluator.evaluate(session(reader, Map.of()),
                new SessionEvaluator.Question("s3:GetObject", bucket, null, grantsReader, OTHER));
        assertThat(both.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(both.decidingStatements()).extracting(DecidingStatement::sourcePolicyId)
                .containsExactlyInAnyOrder("inline:Reader/Read", "ResourcePolicy");
        // the resource policy alone does not do it across accounts
        assertThat(evaluator.evaluate(session(nothing, Map.of()), new SessionEvaluator.Question("s3:GetObject", bucket,
                null, grantsReader, OTHER)).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        // nor the identity policy alone
        assertThat(evaluator.evaluate(session(reader, Map.of()), new SessionEvaluator.Question("s3:GetObject", bucket,
                null, grantsNobody, OTHER)).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(evaluator.evaluate(session(reader, Map.of()), new SessionEvaluator.Question("s3:GetObject", bucket,
                null, null, OTHER)).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        // in the session's own account, the identity policy suffices
        assertThat(evaluator.evaluate(session(reader, Map.of()), new SessionEvaluator.Question("s3:GetObject", bucket,
                null, grantsNobody, null)).outcome()).isEqualTo(Outcome.ALLOW);
    }

    @Test
    void managedSessionPoliciesLimitTheSessionAndAMissingOneDenies() {
        view.put(policy("GetOnly", 1, allow("s3:GetObject", "*")));
        RoleState r = role("Wide").addInlinePolicies(inline("All", allow("s3:*", "*"))).build();
        view.put(r);
        SessionClaims limited = session(r, Map.of()).withPolicyArns(List.of(policyArn("GetOnly")));

        SessionEvaluator.Evaluation get = ask(limited, "s3:GetObject", "*", null);
        assertThat(get.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(get.decidingStatements()).contains(new DecidingStatement(policyArn("GetOnly"), PolicyType.SESSION,
                "#0", Effect.ALLOW));
        SessionEvaluator.Evaluation put = ask(limited, "s3:PutObject", "*", null);
        assertThat(put.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(put.refusedBy()).isEqualTo(SessionEvaluator.PolicyKind.SESSION);
        // an AWS-managed policy from the catalogue
        SessionClaims readOnly = session(r, Map.of())
                .withPolicyArns(List.of("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        assertThat(ask(readOnly, "s3:GetObject", "arn:aws:s3:::b/k", null).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(ask(readOnly, "s3:PutObject", "arn:aws:s3:::b/k", null).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);

        view.delete(policyArn("GetOnly"));
        SessionEvaluator.Evaluation gone = ask(limited, "s3:GetObject", "*", null);
        assertThat(gone.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(gone.reason()).contains("no longer exists");
    }

    @Test
    void aSessionOfAGoneRoleIsAnImplicitDenyNotAnError() {
        RoleState r = role("Gone").addInlinePolicies(inline("All", allow("*", "*"))).build();
        SessionEvaluator.Evaluation e = ask(session(r, Map.of()), "s3:GetObject", "*", null);
        assertThat(e.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(e.decision()).isEmpty();
        assertThat(e.reason()).contains("not in the permission view");
    }
}

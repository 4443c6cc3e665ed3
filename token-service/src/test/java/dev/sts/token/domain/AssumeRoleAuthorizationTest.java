package dev.sts.token.domain;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.deny;
import static dev.sts.kit.iam.RoleStates.inline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.iam.InMemoryPermissionView;
import dev.sts.kit.iam.RoleStates;
import dev.sts.policy.Outcome;
import dev.sts.proto.v1.RoleState;
import dev.sts.token.view.ViewRolePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Role chaining and the other callers of AssumeRole, as AWS evaluates them: the trust policy and
 * the caller's own identity policies, boundary and session policy in one evaluation.
 */
class AssumeRoleAuthorizationTest {
    static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    static final String ACCOUNT = RoleStates.ACCOUNT;
    static final String TARGET = RoleStates.roleArn("Target");
    static final String CALLER_ROLE = RoleStates.roleArn("team/Caller");

    final InMemoryPermissionView view = new InMemoryPermissionView();
    final AssumeRoleAuthorization authorization = new AssumeRoleAuthorization(new ViewRolePermissions(view, new dev.sts.kit.auth.SessionEvaluator(view, java.time.InstantSource.system())));

    static String trust(String principalJson, String... actions) {
        String action = actions.length == 0 ? "\"sts:AssumeRole\"" : "[\"" + String.join("\",\"", actions) + "\"]";
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Trust\",\"Effect\":\"Allow\",\"Principal\":"
                + principalJson + ",\"Action\":" + action + "}]}";
    }

    static final String TRUSTS_ACCOUNT = trust("{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"}");
    static final String TRUSTS_CALLER_ROLE = trust("{\"AWS\":\"" + CALLER_ROLE + "\"}");

    static RoleView target(String trust) {
        return new RoleView(TARGET, "AROATARGETEXAMPLE000", "Target", ACCOUNT, trust, 3600);
    }

    static SessionClaims session(RoleState role, String sessionPolicy) {
        return new SessionClaims("issuer", "sts", "s-1", "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role.getRoleName()
                + "/worker", role.getArn(), role.getRoleId(), "worker", ACCOUNT, null, Map.of(), List.of(),
                "ASIAEXAMPLEEXAMPLE00", NOW.minusSeconds(60), NOW.plusSeconds(3000), 1, "ec2.amazonaws.com",
                sessionPolicy == null ? null : "sha", sessionPolicy);
    }

    static AssumeRoleContext request(CallerIdentity caller, Map<String, String> tags, String sourceIdentity) {
        return new AssumeRoleContext(caller, TARGET, ACCOUNT, "next", null, sourceIdentity, tags, List.of(), "10.0.0.1", NOW);
    }

    AssumeRoleAuthorization.Result evaluate(RoleState callerRole, String sessionPolicy, String trust) {
        view.put(callerRole);
        return authorization.evaluate(request(CallerIdentity.ofSession(session(callerRole, sessionPolicy)), Map.of(), null),
                target(trust));
    }

    @Test
    void aTrustPolicyNamingOnlyTheAccountNeedsTheCallersIdentityPolicies() {
        RoleState without = RoleStates.role("team/Caller").build();
        var refused = evaluate(without, null, TRUSTS_ACCOUNT);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.refusedBy()).isEqualTo(DecisionLog.PolicySource.IDENTITY);

        RoleState with = RoleStates.role("team/Caller").setRevision(2)
                .addInlinePolicies(inline("chain", allow("sts:AssumeRole", TARGET))).build();
        var allowed = evaluate(with, null, TRUSTS_ACCOUNT);
        assertThat(allowed.allowed()).isTrue();
        // Both sides decided, and the audit trail types each statement.
        assertThat(DecisionLog.Deciding.of(allowed.decision())).extracting(DecisionLog.Deciding::source)
                .contains(DecisionLog.PolicySource.TRUST, DecisionLog.PolicySource.IDENTITY);
    }

    @Test
    void identityPoliciesForAnotherRoleDoNotCount() {
        RoleState caller = RoleStates.role("team/Caller")
                .addInlinePolicies(inline("chain", allow("sts:AssumeRole", RoleStates.roleArn("Other")))).build();
        assertThat(evaluate(caller, null, TRUSTS_ACCOUNT).allowed()).isFalse();
    }

    @Test
    void aBoundaryTakesTheDelegatedPermissionAway() {
        view.put(RoleStates.policy("NoSts", 1, allow("s3:*", "*")));
        RoleState caller = RoleStates.role("team/Caller")
                .addInlinePolicies(inline("chain", allow("sts:AssumeRole", "*")))
                .setPermissionsBoundaryArn(RoleStates.policyArn("NoSts")).build();
        var r = evaluate(caller, null, TRUSTS_ACCOUNT);
        assertThat(r.allowed()).isFalse();
        assertThat(r.refusedBy()).isEqualTo(DecisionLog.PolicySource.BOUNDARY);
    }

    @Test
    void aTrustPolicyNamingTheCallersRoleGrantsWithoutIdentityPoliciesButWithinTheSessionPolicy() {
        RoleState caller = RoleStates.role("team/Caller").build();
        assertThat(evaluate(caller, null, TRUSTS_CALLER_ROLE).allowed()).isTrue();

        var narrowed = evaluate(caller, allow("s3:GetObject", "*"), TRUSTS_CALLER_ROLE);
        assertThat(narrowed.allowed()).isFalse();
        assertThat(narrowed.refusedBy()).isEqualTo(DecisionLog.PolicySource.SESSION);

        assertThat(evaluate(caller, allow("sts:AssumeRole", TARGET), TRUSTS_CALLER_ROLE).allowed()).isTrue();
    }

    @Test
    void aTrustPolicyNamingTheSessionItselfIsNotLimitedByTheSessionPolicy() {
        // Same account, a resource-based policy that names the role session ARN: "an implicit deny
        // in a permissions boundary or session policy does not limit" (policy evaluation logic).
        RoleState caller = RoleStates.role("team/Caller").build();
        String trustsSession = trust("{\"AWS\":\"arn:aws:sts::" + ACCOUNT + ":assumed-role/Caller/worker\"}");
        assertThat(evaluate(caller, allow("s3:GetObject", "*"), trustsSession).allowed()).isTrue();
    }

    @Test
    void anExplicitDenyInTheCallersPoliciesWinsOverATrustPolicyThatNamesItsRole() {
        RoleState caller = RoleStates.role("team/Caller")
                .addInlinePolicies(inline("never", deny("sts:AssumeRole", "*"))).build();
        var r = evaluate(caller, null, TRUSTS_CALLER_ROLE);
        assertThat(r.decision().outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(r.refusedBy()).isEqualTo(DecisionLog.PolicySource.IDENTITY);
    }

    @Test
    void acrossAccountsBothSidesMustAllow() {
        String other = "111111111111";
        RoleView foreign = new RoleView("arn:aws:iam::" + other + ":role/Target", "AROAFOREIGNEXAMPLE00", "Target", other,
                trust("{\"AWS\":\"" + CALLER_ROLE + "\"}"), 3600);
        RoleState caller = RoleStates.role("team/Caller").build();
        view.put(caller);
        var ctx = new AssumeRoleContext(CallerIdentity.ofSession(session(caller, null)), foreign.arn(), other, "next", null,
                null, Map.of(), List.of(), null, NOW);
        assertThat(authorization.evaluate(ctx, foreign).allowed()).isFalse();

        view.put(RoleStates.role("team/Caller").setRevision(2)
                .addInlinePolicies(inline("chain", allow("sts:AssumeRole", foreign.arn()))).build());
        assertThat(authorization.evaluate(ctx, foreign).allowed()).isTrue();
    }

    @Test
    void tagsAndSourceIdentityNeedTheirOwnActionsOnBothSides() {
        RoleState caller = RoleStates.role("team/Caller").build();
        view.put(caller);
        CallerIdentity c = CallerIdentity.ofSession(session(caller, null));
        var tagged = authorization.evaluate(request(c, Map.of("team", "a"), null), target(TRUSTS_CALLER_ROLE));
        assertThat(tagged.allowed()).isFalse();
        assertThat(tagged.refusedBy()).isEqualTo(DecisionLog.PolicySource.TRUST);
        assertThat(tagged.decision().reason()).startsWith("sts:TagSession");

        String trustsAll = trust("{\"AWS\":\"" + CALLER_ROLE + "\"}", "sts:AssumeRole", "sts:TagSession",
                "sts:SetSourceIdentity");
        assertThat(authorization.evaluate(request(c, Map.of("team", "a"), "alice"), target(trustsAll)).allowed()).isTrue();

        // Within a session policy that allows only sts:AssumeRole, passing tags is refused.
        view.put(caller);
        CallerIdentity narrowed = CallerIdentity.ofSession(session(caller, allow("sts:AssumeRole", "*")));
        var r = authorization.evaluate(request(narrowed, Map.of("team", "a"), null), target(trustsAll));
        assertThat(r.allowed()).isFalse();
        assertThat(r.refusedBy()).isEqualTo(DecisionLog.PolicySource.SESSION);
    }

    @Test
    void everyDoubtAboutTheCallingSessionRefuses() {
        RoleState caller = RoleStates.role("team/Caller").build();
        CallerIdentity c = CallerIdentity.ofSession(session(caller, null));
        // not in the view
        assertThat(authorization.evaluate(request(c, Map.of(), null), target(TRUSTS_CALLER_ROLE)).decision().reason())
                .contains("not in the permission view");
        // the view has not caught up
        view.put(caller).caughtUp(false);
        assertThat(authorization.evaluate(request(c, Map.of(), null), target(TRUSTS_CALLER_ROLE)).allowed()).isFalse();
        view.caughtUp(true);
        assertThat(authorization.evaluate(request(c, Map.of(), null), target(TRUSTS_CALLER_ROLE)).allowed()).isTrue();
        // deleted and created again under the same name: another RoleId
        view.put(RoleStates.role("team/Caller").setRevision(2).setRoleId("AROANEWROLEEXAMPLE00").build());
        var r = authorization.evaluate(request(c, Map.of(), null), target(TRUSTS_CALLER_ROLE));
        assertThat(r.allowed()).isFalse();
        assertThat(r.decision().reason()).contains("earlier role of that name");
        // a session policy recorded but not carried
        view.put(RoleStates.role("team/Caller").setRevision(3).build());
        SessionClaims s = session(caller, null);
        SessionClaims hashOnly = new SessionClaims(s.issuer(), s.audience(), s.sessionId(), s.assumedRoleArn(), s.roleArn(),
                s.roleId(), s.sessionName(), s.accountId(), null, Map.of(), List.of(), s.accessKeyId(), s.issuedAt(),
                s.expiresAt(), 1, s.issuerPrincipalArn(), "abc", null);
        assertThat(authorization.evaluate(request(CallerIdentity.ofSession(hashOnly), Map.of(), null),
                target(TRUSTS_CALLER_ROLE)).allowed()).isFalse();
        // a trust policy that does not parse trusts nobody
        assertThat(authorization.evaluate(request(c, Map.of(), null), target("{\"Statement\":")).refusedBy())
                .isEqualTo(DecisionLog.PolicySource.TRUST);
    }

    @Test
    void bootstrapUsersAreAdministratorsOtherStaticPrincipalsNeedToBeNamed() {
        var admin = CallerIdentity.ofPrincipal("arn:aws:iam::" + ACCOUNT + ":user/admin", ACCOUNT, true);
        var user = CallerIdentity.ofPrincipal("arn:aws:iam::" + ACCOUNT + ":user/someone", ACCOUNT, false);
        var root = CallerIdentity.ofPrincipal("arn:aws:iam::" + ACCOUNT + ":root", ACCOUNT, true);
        assertThat(authorization.evaluate(request(admin, Map.of(), null), target(TRUSTS_ACCOUNT)).allowed()).isTrue();
        assertThat(authorization.evaluate(request(user, Map.of(), null), target(TRUSTS_ACCOUNT)).allowed()).isFalse();
        assertThat(authorization.evaluate(request(user, Map.of(), null),
                target(trust("{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":user/someone\"}"))).allowed()).isTrue();
        // "You cannot use root user credentials to assume a role" (AWS STS AssumeRole).
        assertThat(authorization.evaluate(request(root, Map.of(), null), target(TRUSTS_ACCOUNT)).allowed()).isFalse();
        var ec2 = CallerIdentity.ofPrincipal("ec2.amazonaws.com", ACCOUNT, false);
        assertThat(authorization.evaluate(request(ec2, Map.of(), null),
                target(trust("{\"Service\":\"ec2.amazonaws.com\"}"))).allowed()).isTrue();
        assertThat(authorization.evaluate(request(ec2, Map.of(), null), target(TRUSTS_ACCOUNT)).allowed()).isFalse();
    }

    @Test
    void managedSessionPoliciesOfTheCallingSessionLimitItLikeItsInlineSessionPolicy() {
        RoleState caller = RoleStates.role("team/Caller").build();
        view.put(caller);
        view.put(RoleStates.policy("MayChain", 1, allow("sts:AssumeRole", TARGET)));
        SessionClaims s3Only = session(caller, null).withPolicyArns(List.of("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        var refused = authorization.evaluate(request(CallerIdentity.ofSession(s3Only), Map.of(), null), target(TRUSTS_CALLER_ROLE));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.refusedBy()).isEqualTo(DecisionLog.PolicySource.SESSION);

        SessionClaims mayChain = session(caller, null).withPolicyArns(List.of(RoleStates.policyArn("MayChain")));
        assertThat(authorization.evaluate(request(CallerIdentity.ofSession(mayChain), Map.of(), null),
                target(TRUSTS_CALLER_ROLE)).allowed()).isTrue();

        // A managed session policy that is gone fails closed.
        SessionClaims gone = session(caller, null).withPolicyArns(List.of(RoleStates.policyArn("Deleted")));
        assertThat(authorization.evaluate(request(CallerIdentity.ofSession(gone), Map.of(), null),
                target(TRUSTS_CALLER_ROLE)).decision().reason()).contains("no longer exists");
    }

    @Test
    void policyArnsMustNameExistingManagedPoliciesOfTheRolesAccountOrAws() {
        view.put(RoleStates.policy("Mine", 1, allow("s3:GetObject", "*")));
        var role = dev.sts.kit.arn.Arns.parseRole(TARGET, "role_arn");
        authorization.requireManagedSessionPolicies(List.of(RoleStates.policyArn("Mine"),
                "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"), role);
        for (String bad : List.of(RoleStates.policyArn("Missing"), "arn:aws:iam::111111111111:policy/Mine",
                "arn:aws:iam::aws:policy/NoSuchAwsPolicy", "arn:aws:iam::000000000000:role/Target")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> authorization.requireManagedSessionPolicies(List.of(bad), role))
                    .isInstanceOfSatisfying(dev.sts.kit.error.StsException.class, e -> {
                        assertThat(e.code()).isEqualTo(dev.sts.kit.error.ErrorCode.INVALID_PARAMETER_VALUE);
                        assertThat(e.field()).isEqualTo("policy_arns");
                    });
        }
    }
}

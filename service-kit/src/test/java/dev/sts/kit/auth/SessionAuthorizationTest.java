package dev.sts.kit.auth;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.deny;
import static dev.sts.kit.iam.RoleStates.inline;
import static dev.sts.kit.iam.RoleStates.policy;
import static dev.sts.kit.iam.RoleStates.policyArn;
import static dev.sts.kit.iam.RoleStates.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.iam.InMemoryPermissionView;
import dev.sts.kit.iam.RoleStates;
import dev.sts.policy.Outcome;
import dev.sts.policy.StatementRef;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.Tag;
import io.grpc.Status;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Role sessions are authorized by their effective permissions, from the permission view: the
 * role's policies within its boundary and the session policy, evaluated by the policy engine, and
 * refused with AWS's message.
 */
class SessionAuthorizationTest {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String ACCOUNT = RoleStates.ACCOUNT;

    InMemoryPermissionView view;
    Authorizer authorizer;

    @BeforeEach
    void setUp() {
        view = new InMemoryPermissionView();
        TestStsConfig config = TestStsConfig.of(TestStsConfig.TestAuth.principals(null, List.of(), List.of()));
        authorizer = new Authorizer(config, view, InstantSource.fixed(NOW));
    }

    /** A session of the role as token-service issues it. */
    static CallerIdentity session(RoleState role, String sessionName, Map<String, String> tags, String sessionPolicy) {
        String assumed = "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role.getRoleName() + "/" + sessionName;
        return CallerIdentity.ofSession(new SessionClaims("https://sts.test", "sts", "jti-" + sessionName, assumed,
                role.getArn(), role.getRoleId(), sessionName, ACCOUNT, null, tags, List.of(), "ASIAEXAMPLEEXAMPLE00",
                NOW.minusSeconds(60), NOW.plusSeconds(900), 1, "arn:aws:iam::" + ACCOUNT + ":root",
                sessionPolicy == null ? null : "sha256-of-the-policy", sessionPolicy));
    }

    static CallerIdentity session(RoleState role) {
        return session(role, "s1", Map.of(), null);
    }

    AccessDeniedException refused(CallerIdentity caller, String action, String resource) {
        AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class,
                () -> authorizer.require(caller, action, resource));
        assertThat(e).as(action + " on " + resource + " was allowed").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        return e;
    }

    void allowed(CallerIdentity caller, String action, String resource) {
        assertThatCode(() -> authorizer.require(caller, action, resource)).doesNotThrowAnyException();
    }

    @Test
    void aRoleAdminManagesExactlyTheRolesItsPolicyNames() {
        RoleState admin = role("RoleAdmin").addInlinePolicies(inline("ManageTeamA",
                allow("iam:*Role*", "arn:aws:iam::" + ACCOUNT + ":role/team-a/*"))).build();
        view.put(admin);
        CallerIdentity ops = session(admin, "ops", Map.of(), null);

        allowed(ops, "iam:CreateRole", "arn:aws:iam::" + ACCOUNT + ":role/team-a/App");
        allowed(ops, "iam:PutRolePolicy", "arn:aws:iam::" + ACCOUNT + ":role/team-a/App");
        allowed(ops, "IAM:deleterole", "arn:aws:iam::" + ACCOUNT + ":role/team-a/nested/App");
        AccessDeniedException e = refused(ops, "iam:CreateRole", "arn:aws:iam::" + ACCOUNT + ":role/team-b/App");
        assertThat(e.getMessage()).isEqualTo("User: arn:aws:sts::" + ACCOUNT + ":assumed-role/RoleAdmin/ops is not"
                + " authorized to perform: iam:CreateRole on resource: arn:aws:iam::" + ACCOUNT + ":role/team-b/App"
                + " because no identity-based policy allows the iam:CreateRole action");
        assertThat(e.decision()).get().extracting(d -> d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        refused(ops, "iam:CreatePolicy", "arn:aws:iam::" + ACCOUNT + ":policy/team-a/P");
        // another account's role: the ARN names that account, and no resource policy grants access
        refused(ops, "iam:CreateRole", "arn:aws:iam::111122223333:role/team-a/App");
    }

    @Test
    void theBoundaryTakesAwayWhatTheRolesPoliciesAllow() {
        view.put(policy("AuditReadOne", 1, allow("audit:GetEvent", "*")));
        RoleState r = role("Bounded").addInlinePolicies(inline("All", allow("audit:*", "*")))
                .setPermissionsBoundaryArn(policyArn("AuditReadOne")).build();
        view.put(r);

        allowed(session(r), "audit:GetEvent", "*");
        assertThat(refused(session(r), "audit:LookupEvents", "*").getMessage()).isEqualTo("User: arn:aws:sts::"
                + ACCOUNT + ":assumed-role/Bounded/s1 is not authorized to perform: audit:LookupEvents on resource: *"
                + " because no permissions boundary allows the audit:LookupEvents action");
    }

    @Test
    void theSessionPolicyLimitsTheSessionAndNeverWidensIt() {
        RoleState r = role("Wide").addInlinePolicies(inline("All", allow("audit:*", "*"))).build();
        view.put(r);
        CallerIdentity limited = session(r, "limited", Map.of(), allow("audit:GetEvent", "*"));

        allowed(limited, "audit:GetEvent", "*");
        assertThat(refused(limited, "audit:LookupEvents", "*").getMessage())
                .endsWith("because no session policy allows the audit:LookupEvents action");

        RoleState narrow = role("Narrow").addInlinePolicies(inline("One", allow("audit:GetEvent", "*"))).build();
        view.put(narrow);
        CallerIdentity widened = session(narrow, "wide", Map.of(), allow("*", "*"));
        assertThat(refused(widened, "audit:LookupEvents", "*").getMessage())
                .endsWith("because no identity-based policy allows the audit:LookupEvents action");
    }

    @Test
    void anExplicitDenyWinsAndNamesThePolicyTypeItIsIn() {
        view.put(policy("NoLookups", 1, deny("audit:LookupEvents", "*")));
        RoleState r = role("Denied").addInlinePolicies(inline("All", allow("*", "*")))
                .addAttachedPolicyArns(policyArn("NoLookups")).build();
        view.put(r);

        AccessDeniedException e = refused(session(r), "audit:LookupEvents", "*");
        assertThat(e.getMessage()).isEqualTo("User: arn:aws:sts::" + ACCOUNT + ":assumed-role/Denied/s1 is not"
                + " authorized to perform: audit:LookupEvents on resource: * with an explicit deny in an identity-based policy");
        assertThat(e.decidingStatements()).containsExactly(new StatementRef(policyArn("NoLookups"), 0, null));
        allowed(session(r), "audit:GetEvent", "*");

        view.put(policy("BoundaryWithDeny", 1, "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                + "{\"Sid\":\"NoVerify\",\"Effect\":\"Deny\",\"Action\":\"audit:VerifyChain\",\"Resource\":\"*\"}]}"));
        RoleState bounded = role("DeniedByBoundary").addInlinePolicies(inline("All", allow("*", "*")))
                .setPermissionsBoundaryArn(policyArn("BoundaryWithDeny")).build();
        view.put(bounded);
        assertThat(refused(session(bounded), "audit:VerifyChain", "*").getMessage())
                .endsWith("with an explicit deny in a permissions boundary");

        RoleState open = role("Open").addInlinePolicies(inline("All", allow("*", "*"))).build();
        view.put(open);
        CallerIdentity withDeny = session(open, "s", Map.of(), "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"audit:GetEvent\",\"Resource\":\"*\"}]}");
        assertThat(refused(withDeny, "audit:GetEvent", "*").getMessage())
                .endsWith("with an explicit deny in a session policy");
        allowed(withDeny, "audit:LookupEvents", "*");
    }

    @Test
    void aRoleTheViewDoesNotHoldMayDoNothing() {
        RoleState r = role("Deleted").addInlinePolicies(inline("All", allow("*", "*"))).build();
        view.put(r);
        allowed(session(r), "audit:LookupEvents", "*");

        view.delete(r.getArn());
        AccessDeniedException e = refused(session(r), "audit:LookupEvents", "*");
        assertThat(e.getMessage()).endsWith("because no identity-based policy allows the audit:LookupEvents action");
        assertThat(e.reason()).contains("not in the permission view");
        assertThat(e.decision()).isEmpty();
    }

    @Test
    void nothingIsAllowedBeforeTheViewHasCaughtUp() {
        RoleState r = role("Early").addInlinePolicies(inline("All", allow("*", "*"))).build();
        view.put(r).caughtUp(false);
        assertThat(refused(session(r), "audit:LookupEvents", "*").reason()).contains("not caught up");
        view.caughtUp(true);
        allowed(session(r), "audit:LookupEvents", "*");
    }

    @Test
    void aSessionOfAnEarlierRoleOfTheSameNameMayDoNothing() {
        RoleState before = role("Recreated").build();
        CallerIdentity oldSession = session(before);
        view.put(before.toBuilder().setRoleId("AROANEWROLEID0000001")
                .addInlinePolicies(inline("All", allow("*", "*"))).build());
        assertThat(refused(oldSession, "audit:LookupEvents", "*").reason()).contains("earlier role");
    }

    @Test
    void aTokenThatRecordsASessionPolicyItDoesNotCarryMayDoNothing() {
        RoleState r = role("Hashed").addInlinePolicies(inline("All", allow("*", "*"))).build();
        view.put(r);
        String assumed = "arn:aws:sts::" + ACCOUNT + ":assumed-role/Hashed/s1";
        CallerIdentity c = CallerIdentity.ofSession(new SessionClaims("https://sts.test", "sts", "jti", assumed,
                r.getArn(), r.getRoleId(), "s1", ACCOUNT, null, Map.of(), List.of(), "ASIAEXAMPLEEXAMPLE00",
                NOW.minusSeconds(60), NOW.plusSeconds(900), 1, "arn:aws:iam::" + ACCOUNT + ":root", "abc123"));
        assertThat(refused(c, "audit:LookupEvents", "*").getMessage())
                .endsWith("because no session policy allows the audit:LookupEvents action");
    }

    @Test
    void conditionsSeeTheKeysAwsDerivesFromTheSession() {
        String byTeam = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"audit:LookupEvents\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"a\","
                + "\"aws:PrincipalType\":\"AssumedRole\",\"aws:PrincipalAccount\":\"" + ACCOUNT + "\"},"
                + "\"ArnEquals\":{\"aws:PrincipalArn\":\"" + RoleStates.roleArn("Tagged") + "\"}}}]}";
        RoleState r = role("Tagged").addTags(Tag.newBuilder().setKey("team").setValue("a"))
                .addInlinePolicies(inline("ByTeam", byTeam)).build();
        view.put(r);

        allowed(session(r), "audit:LookupEvents", "*");
        // a session tag overrides the role's tag of the same key
        refused(session(r, "b", Map.of("Team", "b"), null), "audit:LookupEvents", "*");

        String beforeNoon = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"audit:GetEvent\","
                + "\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2026-06-01T12:00:00Z\"},"
                + "\"StringEquals\":{\"aws:userid\":\"" + r.getRoleId() + ":s1\"}}}]}";
        RoleState timed = r.toBuilder().setRevision(2).clearInlinePolicies().addInlinePolicies(inline("T", beforeNoon)).build();
        view.put(timed);
        // the clock says 12:00:00 exactly, which is not before noon; a second earlier it is
        refused(session(timed), "audit:GetEvent", "*");
        Authorizer earlier = new Authorizer(TestStsConfig.of(TestStsConfig.TestAuth.principals(null, List.of(),
                List.of())), view, InstantSource.fixed(NOW.minusSeconds(1)));
        assertThatCode(() -> earlier.require(session(timed), "audit:GetEvent", "*")).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(AccessDeniedException.class,
                () -> earlier.require(session(timed, "s2", Map.of(), null), "audit:GetEvent", "*")))
                .as("aws:userid names the session").isNotNull();
    }

    @Test
    void attachedAwsManagedPoliciesComeFromTheCatalogue() {
        RoleState r = role("Reader").addAttachedPolicyArns("arn:aws:iam::aws:policy/IAMReadOnlyAccess").build();
        view.put(r);
        allowed(session(r), "iam:GetRole", RoleStates.roleArn("Any"));
        allowed(session(r), "iam:ListRoles", "*");
        refused(session(r), "iam:CreateRole", RoleStates.roleArn("Any"));
    }

    @Test
    void theCallerSeesAwsMessageAndCodeButNotTheReason() {
        RoleState r = role("Quiet").build();
        view.put(r);
        AccessDeniedException e = refused(session(r), "audit:LookupEvents", "*");
        com.google.rpc.Status status = GrpcErrors.toStatus(e);
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED.value());
        assertThat(status.getMessage()).isEqualTo(e.getMessage());
        ErrorInfo info = status.getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).findFirst()
                .map(SessionAuthorizationTest::unpack).orElseThrow();
        assertThat(info.getReason()).isEqualTo("AccessDenied");
        assertThat(info.getMetadataMap()).isEmpty();
        assertThat(status.toString()).doesNotContain(e.reason());
    }

    @Test
    void aCallerThatIsNeitherASessionNorBootstrapNorInternalIsRefusedInTheSameWords() {
        CallerIdentity user = CallerIdentity.ofPrincipal("arn:aws:iam::" + ACCOUNT + ":user/alice", ACCOUNT, false);
        assertThat(refused(user, "audit:LookupEvents", "*").getMessage()).isEqualTo("User: arn:aws:iam::" + ACCOUNT
                + ":user/alice is not authorized to perform: audit:LookupEvents on resource: *"
                + " because no identity-based policy allows the audit:LookupEvents action");
    }

    private static ErrorInfo unpack(Any a) {
        try {
            return a.unpack(ErrorInfo.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}

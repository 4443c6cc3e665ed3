package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * Invariants of the evaluation logic over thousands of random scenarios (seeded, so a failure
 * reproduces): adding a Deny never turns a deny into an allow; adding an Allow never turns an
 * allow into a deny; session policies and boundaries never widen.
 */
class EvaluationPropertiesTest {

    private static final int RUNS = 2_000;

    @Test
    void addingADenyNeverTurnsADenyIntoAnAllow() {
        PolicyGen gen = new PolicyGen(1);
        int changed = 0;
        for (int i = 0; i < RUNS; i++) {
            PolicyGen.Scenario s = gen.scenario();
            Outcome before = s.evaluate();
            PolicyGen.Scenario t = s.copy();
            String deny = gen.statement("Deny", PolicyType.IDENTITY);
            switch (gen.random().nextInt(4)) {
                case 0 -> {
                    if (t.identity.isEmpty()) {
                        t.identity.add(PolicyGen.document(new ArrayList<>(), "2012-10-17"));
                    }
                    t.identity.set(0, PolicyGen.withStatement(t.identity.get(0), deny));
                }
                case 1 -> {
                    // into an existing session policy: a new deny-only session policy would also
                    // remove the session's allows, which is narrowing, not "adding a Deny"
                    if (!t.session.isEmpty()) {
                        t.session.set(0, PolicyGen.withStatement(t.session.get(0), deny));
                    }
                }
                case 2 -> t.boundary = t.boundary == null ? null : PolicyGen.withStatement(t.boundary, deny);
                default -> t.resourcePolicy = t.resourcePolicy == null ? null : PolicyGen.withStatement(t.resourcePolicy,
                        gen.statement("Deny", t.kind == RequestKind.ASSUME_ROLE ? PolicyType.TRUST : PolicyType.RESOURCE));
            }
            Outcome after = t.evaluate();
            if (before != Outcome.ALLOW) {
                assertThat(after).as("seed 1 run %d: %s", i, t).isNotEqualTo(Outcome.ALLOW);
            }
            assertThat(after).as("run %d: only the deny can change the outcome: %s", i, t).isIn(before, Outcome.EXPLICIT_DENY);
            if (after != before) {
                changed++;
            }
        }
        assertThat(changed).as("the generator must produce applicable denies").isGreaterThan(RUNS / 20);
    }

    @Test
    void addingAnAllowNeverTurnsAnAllowIntoADeny() {
        PolicyGen gen = new PolicyGen(2);
        int allows = 0;
        for (int i = 0; i < RUNS; i++) {
            PolicyGen.Scenario s = gen.scenario();
            Outcome before = s.evaluate();
            PolicyGen.Scenario t = s.copy();
            switch (gen.random().nextInt(4)) {
                case 0 -> t.identity.add(PolicyGen.document(java.util.List.of(gen.statement("Allow", PolicyType.IDENTITY)), "2012-10-17"));
                case 1 -> {
                    if (!t.session.isEmpty()) {
                        t.session.set(0, PolicyGen.withStatement(t.session.get(0), gen.statement("Allow", PolicyType.SESSION)));
                    }
                }
                case 2 -> t.boundary = t.boundary == null ? null
                        : PolicyGen.withStatement(t.boundary, gen.statement("Allow", PolicyType.BOUNDARY));
                default -> t.resourcePolicy = t.resourcePolicy == null ? null : PolicyGen.withStatement(t.resourcePolicy,
                        gen.statement("Allow", t.kind == RequestKind.ASSUME_ROLE ? PolicyType.TRUST : PolicyType.RESOURCE));
            }
            Outcome after = t.evaluate();
            if (before == Outcome.ALLOW) {
                allows++;
                assertThat(after).as("seed 2 run %d: %s", i, t).isEqualTo(Outcome.ALLOW);
            }
            if (before == Outcome.EXPLICIT_DENY) {
                assertThat(after).as("run %d: an allow cannot lift an explicit deny: %s", i, t).isEqualTo(Outcome.EXPLICIT_DENY);
            }
        }
        assertThat(allows).as("the generator must produce allowed requests").isGreaterThan(RUNS / 20);
    }

    @Test
    void aSessionPolicyNeverWidens() {
        PolicyGen gen = new PolicyGen(3);
        int narrowed = 0;
        for (int i = 0; i < RUNS; i++) {
            PolicyGen.Scenario s = gen.scenario();
            s.session.clear();
            Outcome without = s.evaluate();
            PolicyGen.Scenario t = s.copy();
            int n = 1 + gen.random().nextInt(2);
            for (int k = 0; k < n; k++) {
                t.session.add(gen.policy(PolicyType.SESSION, 3));
            }
            Outcome with = t.evaluate();
            if (with == Outcome.ALLOW) {
                assertThat(without).as("seed 3 run %d: %s", i, t).isEqualTo(Outcome.ALLOW);
            }
            if (without == Outcome.ALLOW && with != Outcome.ALLOW) {
                narrowed++;
            }
        }
        assertThat(narrowed).as("session policies must sometimes narrow").isGreaterThan(0);
    }

    @Test
    void aBoundaryNeverWidens() {
        PolicyGen gen = new PolicyGen(4);
        for (int i = 0; i < RUNS; i++) {
            PolicyGen.Scenario s = gen.scenario();
            s.boundary = null;
            Outcome without = s.evaluate();
            PolicyGen.Scenario t = s.copy();
            t.boundary = gen.policy(PolicyType.BOUNDARY, 3);
            if (t.evaluate() == Outcome.ALLOW) {
                assertThat(without).as("seed 4 run %d: %s", i, t).isEqualTo(Outcome.ALLOW);
            }
        }
    }

    @Test
    void evaluationIsDeterministicAndExplained() {
        PolicyGen gen = new PolicyGen(5);
        for (int i = 0; i < 500; i++) {
            EvaluationRequest r = gen.scenario().request();
            Decision a = PolicyEvaluator.iam().evaluate(r);
            Decision b = PolicyEvaluator.iam().evaluate(r);
            assertThat(b.outcome()).isEqualTo(a.outcome());
            assertThat(a.reason()).isNotBlank();
            if (a.outcome() == Outcome.EXPLICIT_DENY) {
                assertThat(a.decidingStatements()).isNotEmpty();
                assertThat(a.trace()).anyMatch(t -> t.matched() && t.effect() == Effect.DENY);
            }
            if (a.outcome() == Outcome.ALLOW && r.principal().kind() != RequestPrincipal.Kind.ROOT) {
                assertThat(a.decidingStatements()).isNotEmpty();
            }
            a.trace().forEach(t -> assertThat(t.detail()).isNotBlank());
        }
    }
}

package dev.sts.policy;

import dev.sts.policy.condition.ConditionClause;
import dev.sts.policy.condition.ConditionContext;
import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * What one evaluation saw, recorded compactly (a packed {@code long} per statement) while
 * evaluating, and turned into {@link TraceEntry} objects only when somebody reads them. It also
 * keeps the per-category tallies the decision needs, so the evaluator allocates almost nothing.
 * Filled by one evaluation, then read-only.
 */
final class EvaluationTrace extends AbstractList<TraceEntry> implements RandomAccess {

    /** Policy categories, in evaluation order. */
    static final int IDENTITY = 0;
    static final int SESSION = 1;
    static final int BOUNDARY = 2;
    static final int RESOURCE = 3;

    private static final Statement.Result[] RESULTS = Statement.Result.values();
    private static final PolicyType[] TYPES = PolicyType.values();
    private static final Effect[] EFFECTS = Effect.values();

    /** Notes on principal matching, for the trace. */
    static final int NOTE_NONE = 0;
    static final int NOTE_NOT_PRINCIPAL_LISTED = 1;
    static final int NOTE_NOT_PRINCIPAL_BOUNDARY = 2;

    // packed entry: index (20 bits) | slot (16) << 20 | result (4) << 36 | effect (1) << 40
    //               | type (3) << 41 | category (2) << 44 | match (2) << 46 | note (2) << 48
    //               | failed condition clause + 1 (14) << 50
    private final ConditionContext context;
    private final Object[] slots; // per policy: its StatementRef[] then the Policy
    private int slotCount;
    private final long[] entries;
    private int size;

    final int[] allows = new int[4];
    int denies;
    int bestResourceMatch; // PrincipalBlock.Match ordinal among applicable resource-policy allows

    /** {@code policies} and {@code statements}: exactly how many {@link #beginPolicy} and {@link #add} will record. */
    EvaluationTrace(ConditionContext context, int policies, int statements) {
        this.context = context;
        this.slots = new Object[2 * policies];
        this.entries = new long[statements];
    }

    /** Starts a policy; returns its slot for {@link #add}. */
    int beginPolicy(StatementRef[] refs, Policy policy) {
        slots[2 * slotCount] = refs;
        slots[2 * slotCount + 1] = policy;
        return slotCount++;
    }

    /** Records one statement; {@code failedClause} is the index of the failing condition clause or -1. */
    void add(int slot, int index, PolicyType type, int category, Effect effect, Statement.Result result,
             PrincipalBlock.Match match, int note, int failedClause) {
        entries[size] = index | (long) slot << 20 | (long) result.ordinal() << 36 | (long) effect.ordinal() << 40
                | (long) type.ordinal() << 41 | (long) category << 44 | (long) match.ordinal() << 46
                | (long) note << 48 | (long) (failedClause + 1) << 50;
        size++;
        if (result == Statement.Result.APPLIES) {
            if (effect == Effect.DENY) {
                denies++;
            } else {
                allows[category]++;
                if (category == RESOURCE) {
                    bestResourceMatch = Math.max(bestResourceMatch, match.ordinal());
                }
            }
        }
    }

    private StatementRef ref(long e) {
        return ((StatementRef[]) slots[2 * ((int) (e >>> 20) & 0xFFFF)])[(int) (e & 0xFFFFF)];
    }

    private ConditionClause failedClause(long e) {
        int c = (int) (e >>> 50) & 0x3FFF;
        if (c == 0) {
            return null;
        }
        Policy p = (Policy) slots[2 * ((int) (e >>> 20) & 0xFFFF) + 1];
        return p.statements().get((int) (e & 0xFFFFF)).conditions().clauses().get(c - 1);
    }

    private static String note(long e) {
        switch ((int) (e >>> 48) & 3) {
            case NOTE_NOT_PRINCIPAL_LISTED:
                return "the caller is listed in NotPrincipal";
            case NOTE_NOT_PRINCIPAL_BOUNDARY:
                return "NotPrincipal with Deny applies to every caller that has a permissions boundary";
            default:
                break;
        }
        int m = match(e);
        if (m == PrincipalBlock.Match.ACCOUNT.ordinal()) {
            return "names the caller's account";
        }
        if (m == PrincipalBlock.Match.LIMITED.ordinal()) {
            return "names the caller's role or federating user";
        }
        return null;
    }

    private static boolean applies(long e) {
        return ((e >>> 36) & 0xF) == Statement.Result.APPLIES.ordinal();
    }

    private static boolean isDeny(long e) {
        return ((e >>> 40) & 1) == Effect.DENY.ordinal();
    }

    private static int category(long e) {
        return (int) (e >>> 44) & 3;
    }

    private static int match(long e) {
        return (int) (e >>> 46) & 3;
    }

    private TraceEntry[] built;

    @Override
    public TraceEntry get(int i) {
        Objects.checkIndex(i, size);
        TraceEntry[] b = built;
        if (b == null) {
            b = new TraceEntry[size];
            built = b;
        }
        TraceEntry t = b[i];
        if (t == null) {
            long e = entries[i];
            // a statement whose action or resource did not match keeps the evaluator's initial DIRECT
            // match and no note, so note(e) is null for it: principal notes only where it was checked
            t = new TraceEntry(ref(e), TYPES[(int) (e >>> 41) & 7], EFFECTS[(int) (e >>> 40) & 1],
                    RESULTS[(int) (e >>> 36) & 0xF], failedClause(e), context, note(e));
            b[i] = t;
        }
        return t;
    }

    @Override
    public int size() {
        return size;
    }

    /** Which applicable statements decided: see {@link Deciding}. */
    enum Selection {
        /** Every applicable Deny. */
        DENIES,
        /** Every applicable Allow, in any category. */
        ALL_ALLOWS,
        /** The resource-policy Allows that name the caller most strongly. */
        BEST_RESOURCE,
        /** Those, plus the boundary and session-policy Allows that let them through. */
        BEST_RESOURCE_WITH_LIMITS
    }

    /** The deciding statements, computed from the trace when first read. */
    Deciding deciding(Selection selection) {
        return new Deciding(this, selection);
    }

    /** A read-only view the decision keeps without copying. */
    static final class Deciding extends AbstractList<StatementRef> implements RandomAccess, Decision.ImmutableRefs {
        private final EvaluationTrace trace;
        private final Selection selection;
        private StatementRef[] refs;

        Deciding(EvaluationTrace trace, Selection selection) {
            this.trace = trace;
            this.selection = selection;
        }

        private boolean selected(long e) {
            if (!applies(e)) {
                return false;
            }
            if (selection == Selection.DENIES) {
                return isDeny(e);
            }
            // the other selections are only made when no Deny applies: every applicable entry is an Allow
            int c = category(e);
            boolean bestResource = c == RESOURCE && match(e) == trace.bestResourceMatch;
            return switch (selection) {
                case ALL_ALLOWS -> true;
                case BEST_RESOURCE -> bestResource;
                case BEST_RESOURCE_WITH_LIMITS -> bestResource || c == BOUNDARY || c == SESSION;
                default -> false;
            };
        }

        private StatementRef[] refs() {
            StatementRef[] r = refs;
            if (r == null) {
                int n = 0;
                for (int i = 0; i < trace.size; i++) {
                    if (selected(trace.entries[i])) {
                        n++;
                    }
                }
                r = new StatementRef[n];
                int k = 0;
                for (int i = 0; i < trace.size; i++) {
                    if (selected(trace.entries[i])) {
                        r[k++] = trace.ref(trace.entries[i]);
                    }
                }
                refs = r;
            }
            return r;
        }

        @Override
        public StatementRef get(int index) {
            return refs()[index];
        }

        @Override
        public int size() {
            return refs().length;
        }
    }
}

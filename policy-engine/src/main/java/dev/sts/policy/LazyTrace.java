package dev.sts.policy;

import dev.sts.policy.condition.ConditionClause;
import dev.sts.policy.condition.ConditionContext;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The evaluation trace, recorded compactly while evaluating and turned into {@link TraceEntry}
 * objects only when somebody reads them: an evaluation that nobody explains pays two array
 * stores per statement. Filled by one evaluation, then read-only.
 */
final class LazyTrace extends AbstractList<TraceEntry> implements RandomAccess {

    private static final Statement.Result[] RESULTS = Statement.Result.values();
    private static final PolicyType[] TYPES = PolicyType.values();
    private static final Effect[] EFFECTS = Effect.values();

    private final ConditionContext context;
    private StatementRef[] refs;
    /** A failed ConditionClause, a String note, or null. */
    private Object[] extras;
    /** result | type << 4 | effect << 8 */
    private short[] codes;
    private TraceEntry[] built;
    private int size;

    LazyTrace(ConditionContext context, int expected) {
        this.context = context;
        int n = Math.max(1, expected);
        refs = new StatementRef[n];
        extras = new Object[n];
        codes = new short[n];
    }

    void add(StatementRef ref, PolicyType type, Effect effect, Statement.Result result, ConditionClause failedClause,
             String note) {
        if (size == refs.length) {
            int n = size * 2;
            refs = Arrays.copyOf(refs, n);
            extras = Arrays.copyOf(extras, n);
            codes = Arrays.copyOf(codes, n);
        }
        refs[size] = ref;
        extras[size] = failedClause != null ? failedClause : note;
        codes[size] = (short) (result.ordinal() | type.ordinal() << 4 | effect.ordinal() << 8);
        size++;
    }

    @Override
    public TraceEntry get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        TraceEntry[] b = built;
        if (b == null) {
            b = new TraceEntry[size];
            built = b;
        }
        TraceEntry e = b[i];
        if (e == null) {
            int c = codes[i];
            Object x = extras[i];
            e = new TraceEntry(refs[i], TYPES[(c >> 4) & 0xF], EFFECTS[(c >> 8) & 0xF], RESULTS[c & 0xF],
                    x instanceof ConditionClause cc ? cc : null, context, x instanceof String s ? s : null);
            b[i] = e;
        }
        return e;
    }

    @Override
    public int size() {
        return size;
    }
}

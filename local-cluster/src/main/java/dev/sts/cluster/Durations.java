package dev.sts.cluster;

import java.util.Locale;

/** How long something took, as the progress lines print it ("2.1 s"). */
final class Durations {
    private Durations() {
    }

    static String since(long t0Nanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0Nanos) / 1e9);
    }
}

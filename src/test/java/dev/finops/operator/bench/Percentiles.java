package dev.finops.operator.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** p50, p90, p99 and max of reaction times in milliseconds; a reaction never seen counts as a miss. */
record Percentiles(int count, long misses, long p50, long p90, long p99, long max) {

    static Percentiles of(List<Long> millis) {
        List<Long> seen = new ArrayList<>(millis.stream().filter(m -> m != Long.MAX_VALUE).toList());
        Collections.sort(seen);
        long misses = millis.size() - seen.size();
        if (seen.isEmpty()) {
            return new Percentiles(millis.size(), misses, -1, -1, -1, -1);
        }
        return new Percentiles(millis.size(), misses, at(seen, 50), at(seen, 90), at(seen, 99), seen.get(seen.size() - 1));
    }

    private static long at(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    @Override
    public String toString() {
        return String.format("n=%d p50 %d ms, p90 %d ms, p99 %d ms, max %d ms, not seen %d", count, p50, p90, p99, max,
                misses);
    }
}

package org.telehall.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The buckets of the lines this node rated, as they were when its last transaction on each line committed, so a batch
 * reads from the table only the lines it has not rated lately. Whether they are still right is told by the generation
 * of the line's lock stripe ({@code rating_stripe}, see V98): a rating transaction moves its stripes' generations on
 * while it holds their locks, and any other change to a bucket row moves its stripe's on through a trigger. A stripe's
 * lines are used only when its generation, just before this transaction moved it, is the one remembered with them:
 * then no other transaction changed a bucket of that stripe since. Otherwise they are read again.
 */
final class BucketCache {

    /** A bucket as the table had it: what rating needs of it. */
    record State(long id, UsageType kind, long initial, long used, Instant validFrom, Instant validTo, String zone, int rank) {
    }

    /**
     * A line's buckets that end after {@code horizon} (whenever they start), in the order rating uses them. A batch
     * with a record from before the horizon reads the line from the table.
     */
    record Line(Instant horizon, List<State> buckets) {
    }

    private static final class Stripe {
        long generation = -1;
        final Map<Long, Line> lines = new HashMap<>();
    }

    private final Stripe[] stripes = new Stripe[Rating.LOCK_STRIPES];
    private final int maxLinesPerStripe;

    BucketCache(int maxLines) {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Stripe();
        }
        this.maxLinesPerStripe = Math.max(0, maxLines / Rating.LOCK_STRIPES);
    }

    /**
     * The lines as remembered whose stripe is still at the generation before this transaction's ({@code generations}
     * holds the one after) and that cover records from {@code from} on; the others are not in the answer.
     */
    Map<Long, Line> get(Collection<Long> lineIds, Map<Integer, Long> generations, Instant from) {
        Map<Integer, List<Long>> byStripe = new HashMap<>();
        for (Long id : lineIds) {
            byStripe.computeIfAbsent(Rating.lockStripe(id), k -> new ArrayList<>()).add(id);
        }
        Map<Long, Line> found = new HashMap<>(lineIds.size() * 2);
        byStripe.forEach((stripe, ids) -> {
            Stripe s = stripes[stripe];
            synchronized (s) {
                if (s.generation != generations.get(stripe) - 1) {
                    return;
                }
                for (Long id : ids) {
                    Line line = s.lines.get(id);
                    if (line != null && !from.isBefore(line.horizon())) {
                        found.put(id, line);
                    }
                }
            }
        });
        return found;
    }

    /**
     * After a rating transaction committed: the lines it read or changed as it left them, each stripe now at
     * {@code generations}' value (the transaction moved it on by one). The stripe's other lines stay when it was at the
     * generation before (the transaction changed none of them); otherwise they are forgotten. A transaction that installs
     * after a later one of the same stripe changes nothing.
     */
    void install(Map<Integer, Long> generations, Map<Long, Line> lines) {
        Map<Integer, Map<Long, Line>> byStripe = new HashMap<>();
        lines.forEach((id, line) -> byStripe.computeIfAbsent(Rating.lockStripe(id), k -> new HashMap<>()).put(id, line));
        generations.forEach((stripe, generation) -> {
            Stripe s = stripes[stripe];
            Map<Long, Line> ours = byStripe.getOrDefault(stripe, Map.of());
            synchronized (s) {
                if (generation <= s.generation) {
                    return;
                }
                if (s.generation != generation - 1 || s.lines.size() + ours.size() > maxLinesPerStripe) {
                    s.lines.clear();
                }
                if (ours.size() <= maxLinesPerStripe) {
                    s.lines.putAll(ours);
                }
                s.generation = generation;
            }
        });
    }
}

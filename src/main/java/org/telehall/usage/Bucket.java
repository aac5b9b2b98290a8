package org.telehall.usage;

import java.time.Instant;

/**
 * An allowance for one line and period. Amounts are in the kind's unit: DATA in KB, VOICE in
 * minutes, SMS in messages. {@code source} says whether it came with the plan or a pack.
 */
public record Bucket(long id, long lineId, UsageType kind, String source, Long productId, String offeringId,
                     long initial, long used, Instant validFrom, Instant validTo) {

    public long remaining() {
        return Math.max(0, initial - used);
    }

    /** What is left as a person reads it: "12.5 GB" for data, a bare number for minutes and messages. */
    public String remainingDisplay() {
        return kind == UsageType.DATA ? new org.telehall.shared.DataVolume(remaining()).display() : Long.toString(remaining());
    }

    /** Percent used, 0–100, for gauges. */
    public int percentUsed() {
        return initial == 0 ? 100 : (int) Math.min(100, used * 100 / initial);
    }
}

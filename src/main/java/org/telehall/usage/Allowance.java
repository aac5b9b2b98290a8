package org.telehall.usage;

import java.util.List;

/** All of a line's buckets of one kind added up: what "used x of y" shows. */
public record Allowance(UsageType kind, long total, long used, List<Bucket> buckets) {

    public long remaining() {
        return Math.max(0, total - used);
    }

    public int percentUsed() {
        return total == 0 ? 0 : (int) Math.min(100, used * 100 / total);
    }

    /** For DATA allowances: the amounts as volumes, for display ("12.5 GB"). */
    public org.telehall.shared.DataVolume remainingVolume() {
        return new org.telehall.shared.DataVolume(remaining());
    }

    public org.telehall.shared.DataVolume usedVolume() {
        return new org.telehall.shared.DataVolume(used);
    }

    public org.telehall.shared.DataVolume totalVolume() {
        return new org.telehall.shared.DataVolume(total);
    }

    /** What is left of data rolled over from the last cycle (included in the totals above). */
    public long carriedOver() {
        return buckets.stream().filter(b -> "ROLLOVER".equals(b.source())).mapToLong(Bucket::remaining).sum();
    }

    public org.telehall.shared.DataVolume carriedOverVolume() {
        return new org.telehall.shared.DataVolume(carriedOver());
    }

    public int percentLeft() {
        return total == 0 ? 0 : 100 - percentUsed();
    }
}

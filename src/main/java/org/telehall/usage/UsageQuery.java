package org.telehall.usage;

import java.time.YearMonth;
import java.util.List;

/** A filter over one or more lines' records: a month (within the last 6) and optionally one type. */
public record UsageQuery(List<Long> lineIds, YearMonth month, UsageType type, int offset, int limit) {

    public UsageQuery {
        if (lineIds.isEmpty()) {
            throw new IllegalArgumentException("a usage query names at least one line");
        }
        lineIds = List.copyOf(lineIds);
    }

    public UsageQuery(long lineId, YearMonth month, UsageType type, int offset, int limit) {
        this(List.of(lineId), month, type, offset, limit);
    }
}

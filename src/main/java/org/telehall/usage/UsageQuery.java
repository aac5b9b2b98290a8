package org.telehall.usage;

import java.time.YearMonth;

/** A filter over a line's records: a month (within the last 6) and optionally one type. */
public record UsageQuery(long lineId, YearMonth month, UsageType type, int offset, int limit) {
}

package org.telehall.usage;

import java.time.Instant;
import java.util.List;
import org.telehall.shared.Money;

/**
 * A batch of records was rated for one line, published inside the rating transaction (once per line
 * per batch, all of a transaction's lines together in one {@link Batch}). {@code dataBefore}/{@code dataAfter} are the domestic data used this cycle (KB) of
 * {@code dataTotal}; {@code dataBeyond} is this batch's domestic data that no allowance
 * covered (KB, charged at the plan's overage rate), so reminders can count usage past 100%;
 * {@code roaming} lists the roaming countries used with their data (KB) in this batch and the
 * roaming data used in that country before it.
 */
public record UsageRated(long lineId, long customerId, String msisdn, Instant latestUsage,
                         long dataTotal, long dataBefore, long dataAfter, long dataBeyond,
                         Money charged, List<Roaming> roaming) {

    public record Roaming(String country, long kbBefore, long kbAfter, Instant firstUsage) {
    }

    /**
     * The lines one rating transaction rated, published as one event: thousands of lines a second each
     * dispatched on their own cost more than the listener's work on them.
     */
    public record Batch(List<UsageRated> lines) {
    }
}

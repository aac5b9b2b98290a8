package org.telehall.ordering;

import java.time.Instant;
import java.util.List;
import org.telehall.shared.Money;

/**
 * An order with its items and its timeline, oldest step first. {@code effectiveAt} is set when the
 * change takes effect later than its completion would (a plan change from the next cycle);
 * {@code newMsisdn} when the order opens a new line with that number.
 */
public record Order(long id, long customerId, long lineId, OrderChannel channel, long placedByUserId, OrderState state,
                    Money fee, Instant createdAt, Instant confirmBy, Instant confirmedAt, Instant completedAt,
                    String failureReason, Instant effectiveAt, String newMsisdn, List<Item> items, List<Event> timeline) {

    /** A new line's order: {@code lineId} is 0 until the network activates {@code newMsisdn}. */
    public boolean isNewLine() {
        return newMsisdn != null;
    }

    /** ADD an offering, DELETE (end) a product, RENEW a trial service so it goes on after the trial. */
    public enum Action { ADD, DELETE, RENEW }

    /**
     * One change: add an offering to the line, or end one of its products. The grant is allowance
     * the change brings at completion beyond the offering's own (a mid-cycle upgrade's share).
     */
    public record Item(long id, Action action, String offeringId, Long productId, Money fee, Money monthly,
                       long grantDataKb, long grantVoiceMinutes, long grantSms, String detail) {
        public org.telehall.shared.DataVolume grantData() {
            return new org.telehall.shared.DataVolume(grantDataKb);
        }
    }

    /** One step of the timeline; {@code step} names it (see {@link Step}), {@code detail} adds the specifics. */
    public record Event(Instant at, Step step, String detail) {
    }

    public enum Step {
        QUOTED, CODE_SENT, SCHEDULED, CONFIRMED, CONFIRMATION_REFUSED, ELIGIBLE, REJECTED, CHARGED, PROVISIONING,
        PROVISIONING_RETRY, PROVISIONED, LINE_OPENED, SIM_ACTIVATED, PROVISIONING_FAILED, REFUNDED, COMPLETED, FAILED, CANCELLED, NOTIFIED
    }

    /** Whether the change waits for a later time (and so may still be cancelled after confirmation). */
    public boolean isScheduled(Instant now) {
        return effectiveAt != null && effectiveAt.isAfter(now);
    }

    public boolean isUnsubscribe() {
        return items.stream().allMatch(i -> i.action() == Action.DELETE);
    }

    public Money monthlyChange() {
        long fen = 0;
        for (Item i : items) {
            fen += i.action() == Action.DELETE ? -i.monthly().fen() : i.monthly().fen();
        }
        return Money.ofFen(fen);
    }
}

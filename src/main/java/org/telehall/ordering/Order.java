package org.telehall.ordering;

import java.time.Instant;
import java.util.List;
import org.telehall.shared.Money;

/** An order with its items and its timeline, oldest step first. */
public record Order(long id, long customerId, long lineId, OrderChannel channel, long placedByUserId, OrderState state,
                    Money fee, Instant createdAt, Instant confirmBy, Instant confirmedAt, Instant completedAt,
                    String failureReason, List<Item> items, List<Event> timeline) {

    public enum Action { ADD, DELETE }

    /** One change: add an offering to the line, or end one of its products. */
    public record Item(long id, Action action, String offeringId, Long productId, Money fee, Money monthly) {
    }

    /** One step of the timeline; {@code step} names it (see {@link Step}), {@code detail} adds the specifics. */
    public record Event(Instant at, Step step, String detail) {
    }

    public enum Step {
        QUOTED, CODE_SENT, CONFIRMED, CONFIRMATION_REFUSED, ELIGIBLE, REJECTED, CHARGED, PROVISIONING,
        PROVISIONING_RETRY, PROVISIONED, PROVISIONING_FAILED, REFUNDED, COMPLETED, FAILED, CANCELLED, NOTIFIED
    }

    public boolean isUnsubscribe() {
        return items.stream().allMatch(i -> i.action() == Action.DELETE);
    }

    public Money monthlyChange() {
        long fen = 0;
        for (Item i : items) {
            fen += i.action() == Action.ADD ? i.monthly().fen() : -i.monthly().fen();
        }
        return Money.ofFen(fen);
    }
}

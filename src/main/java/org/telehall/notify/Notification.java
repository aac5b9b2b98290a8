package org.telehall.notify;

import java.time.Instant;
import java.util.List;

/**
 * One entry of a customer's notification centre. The text is not stored: {@code template} and
 * {@code args} (the real figures, already formatted; an argument starting with {@code #} is a message
 * key, one starting with {@code ~country:} a roaming country) render it in the reader's language.
 */
public record Notification(long id, long customerId, Long lineId, String msisdn, ReminderKind kind, String template,
                           List<String> args, Instant createdAt, Instant readAt, Instant smsDueAt, Instant smsSentAt) {

    public boolean unread() {
        return readAt == null;
    }

    /** The SMS is waiting for the end of the customer's quiet hours. */
    public boolean smsHeld() {
        return smsDueAt != null && smsSentAt == null;
    }
}

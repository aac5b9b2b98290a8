package org.telehall.care;

import java.time.Instant;

/** A case for a person to handle: whose, what kind, what it is about, and where it came from ({@code reference}). */
public record Ticket(long id, long customerId, String category, String subject, String body, String reference, TicketStatus status,
                     Instant createdAt) {
}

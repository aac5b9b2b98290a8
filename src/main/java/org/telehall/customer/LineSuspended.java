package org.telehall.customer;

import java.time.Instant;

/** A line stopped (停机); {@code reason} is ARREARS when the account ran out of credit. */
public record LineSuspended(long lineId, long customerId, String msisdn, String reason, Instant at) {
}

package org.telehall.customer;

import java.time.Instant;

/** A suspended line is in service again (复机). */
public record LineRestored(long lineId, long customerId, String msisdn, Instant at) {
}

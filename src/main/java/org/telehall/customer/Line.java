package org.telehall.customer;

import java.time.Instant;
import org.telehall.shared.Msisdn;

public record Line(long id, long customerId, Msisdn msisdn, String iccid, LineStatus status, Instant activatedAt) {
}

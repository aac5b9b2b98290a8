package org.telehall.customer;

import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;

/**
 * A number in the operator's pool. A lucky number has a price, set by its {@code pattern} ("AAAA",
 * "ABCD", "8888", "1314"…); a plain one is free ({@link Money#ZERO}) and has no pattern.
 */
public record PoolNumber(Msisdn msisdn, boolean lucky, Money price, String pattern) {
}

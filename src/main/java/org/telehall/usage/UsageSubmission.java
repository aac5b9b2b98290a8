package org.telehall.usage;

import java.math.BigDecimal;

/**
 * One usage record as the network sent it, before any checks: the API's TMF635 usage and a line of
 * a CDR file both become one of these, so both paths are judged by the same rules in {@link Rating}.
 * {@code unit} is KB/MB/GB/B for data, s/min for voice, and may be blank for SMS.
 */
public record UsageSubmission(String networkId, String msisdn, String usageType, String direction, String usageDate,
                              String otherParty, BigDecimal quantity, String unit, String roamingCountry) {
}

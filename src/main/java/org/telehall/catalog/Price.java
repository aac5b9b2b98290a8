package org.telehall.catalog;

import java.time.Instant;
import org.telehall.shared.Money;

/** One version of an offering's price: fees and the usage rates that apply past the allowance. */
public record Price(int version, Money recurringFee, Money oneTimeFee,
                   Money dataOveragePerMb, Money voiceOveragePerMinute, Money smsOverage,
                   Money roamingDataPerMb, Money roamingVoicePerMinute,
                   Instant validFrom, Instant validTo) {
}

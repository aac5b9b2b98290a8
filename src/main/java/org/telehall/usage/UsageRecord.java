package org.telehall.usage;

import java.time.Instant;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;

/** One rated record of the 详单. {@code otherParty} is as the network sent it; show {@link #otherPartyMasked()}. */
public record UsageRecord(long id, String networkId, long lineId, UsageType type, String direction, Instant startedAt,
                          String otherParty, int durationSeconds, long volumeKb, String roamingCountry, Money charge) {

    public String volumeDisplay() {
        return new org.telehall.shared.DataVolume(volumeKb).display();
    }

    public String otherPartyMasked() {
        return Msisdn.maskNumber(otherParty);
    }
}

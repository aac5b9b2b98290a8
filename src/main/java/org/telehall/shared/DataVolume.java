package org.telehall.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** An amount of mobile data, held in KB as the network reports it. */
public record DataVolume(long kb) {

    public DataVolume {
        if (kb < 0) {
            throw new IllegalArgumentException("data volume cannot be negative: " + kb + " KB");
        }
    }

    public static DataVolume ofMb(long mb) {
        return new DataVolume(Math.multiplyExact(mb, 1024L));
    }

    public BigDecimal mb() {
        return BigDecimal.valueOf(kb).divide(BigDecimal.valueOf(1024), 2, RoundingMode.HALF_UP);
    }

    /** "512 MB", "12.5 GB": one decimal above a gigabyte, whole megabytes below. */
    public String display() {
        if (kb >= 1024L * 1024) {
            return BigDecimal.valueOf(kb).divide(BigDecimal.valueOf(1024L * 1024), 1, RoundingMode.DOWN)
                    .stripTrailingZeros().toPlainString() + " GB";
        }
        return (kb / 1024) + " MB";
    }
}

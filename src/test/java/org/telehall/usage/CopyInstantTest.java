package org.telehall.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rating writes record times into its COPY without the general formatter; they must mean exactly the same instant. */
class CopyInstantTest {

    private static String written(Instant t) {
        return Rating.appendInstant(new StringBuilder(), t).toString();
    }

    @Test
    void writes_the_same_instant_as_the_general_formatter() {
        for (Instant t : new Instant[] {Instant.EPOCH, Instant.parse("2026-11-20T08:15:00Z"), Instant.parse("2024-02-29T23:59:59.5Z"),
                Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.000000001Z"), Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX}) {
            assertThat(Instant.parse(written(t))).as(t.toString()).isEqualTo(t);
            if (t.getNano() == 0) {
                assertThat(written(t)).isEqualTo(t.toString());
            }
        }
    }

    @Test
    void property_any_instant_in_range_reads_back_as_itself() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-62_135_596_800L - 86_400, 253_402_300_800L + 86_400);
            int nanos = random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000);
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertThat(Instant.parse(written(t))).as("seed %d: %s", seed, t).isEqualTo(t);
        }
    }
}

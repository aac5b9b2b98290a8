package org.telehall.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rating's own reader of usage times must accept, refuse and read exactly what {@link OffsetDateTime#parse} does. */
class IsoInstantTest {

    private static String expected(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant().toString();
        } catch (DateTimeParseException e) {
            return "refused";
        }
    }

    private static String actual(String text) {
        try {
            return Rating.isoInstant(text).toString();
        } catch (DateTimeParseException e) {
            return "refused";
        }
    }

    @Test
    void reads_the_usual_forms_and_refuses_what_the_general_parser_refuses() {
        for (String text : new String[] {"2026-11-20T08:15:00+08:00", "2026-11-20T08:15:00Z", "2026-11-20T08:15:00.5Z",
                "2026-11-20T08:15:00.123456789-05:30", "2024-02-29T23:59:59+00:00", "2026-11-20T08:15:00-00:00",
                "2026-02-29T08:15:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-20T24:00:00Z",
                "2026-11-20T08:60:00Z", "2026-11-20T08:15:60Z", "2026-11-20T08:15Z", "2026-11-20t08:15:00z",
                "2026-11-20T08:15:00.Z", "2026-11-20T08:15:00.1234567890Z", "2026-11-20T08:15:00+18:00",
                "2026-11-20T08:15:00+19:00", "2026-11-20T08:15:00+08", "2026-11-20T08:15:00+08:00:30", "2026-11-20T08:15:00",
                "2026-11-20 08:15:00+08:00", "+12026-11-20T08:15:00Z", "0000-01-01T00:00:00Z", "2026-1a-20T08:15:00Z",
                "2026-11-20T08:15:00+08:00x", "", "x"}) {
            assertThat(actual(text)).as(text).isEqualTo(expected(text));
        }
        assertThat(Rating.isoInstant("2026-11-20T08:15:00+08:00")).isEqualTo(Instant.parse("2026-11-20T00:15:00Z"));
    }

    @Test
    void agrees_with_the_general_parser_on_many_seeded_random_times_and_mutations_of_them() {
        Random random = new Random(20261123);
        String digits = "0123456789";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder t = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62)));
            if (random.nextBoolean()) {
                t.append('.');
                int n = random.nextInt(11);
                for (int k = 0; k < n; k++) {
                    t.append(digits.charAt(random.nextInt(10)));
                }
            }
            switch (random.nextInt(4)) {
                case 0 -> t.append('Z');
                case 1 -> t.append(String.format("%c%02d:%02d", random.nextBoolean() ? '+' : '-', random.nextInt(20), random.nextInt(62)));
                case 2 -> t.append(String.format("+%02d:%02d", random.nextInt(15), 0));
                default -> { }
            }
            if (random.nextInt(10) == 0) {
                t.setCharAt(random.nextInt(t.length()), "0:-T.Z+x9".charAt(random.nextInt(9)));
            }
            String text = t.toString();
            assertThat(actual(text)).as(text).isEqualTo(expected(text));
        }
    }
}

package org.telehall.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestLines;
import org.telehall.usage.Rating;
import org.telehall.usage.RatingOutcome;
import org.telehall.usage.UsageSubmission;

/** Usage abroad is posted as roaming (USAGE_ROAMING), so the bill's roaming category shows what rating charged. */
class RoamingChargesBillTest extends HallIntegrationTest {

    @Autowired Rating rating;
    @Autowired Bills bills;
    @Autowired TestCustomers testCustomers;
    @Autowired TestLines testLines;

    @Test
    void roaming_usage_of_every_type_is_one_roaming_posting_and_the_bill_shows_it_as_roaming() {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("漫游账单");
        Instant now = clock.instant();
        testLines.plan(s, "plan-5g-58", 100_000, 0, 100, now);
        testLines.topUp(s, Money.ofYuan(100), "test:roambill:" + s.customerId());
        String run = Long.toString(System.nanoTime());

        List<RatingOutcome> out = rating.rate(List.of(
                new UsageSubmission("rb-d-" + run, s.msisdn(), "data", null, now.minusSeconds(40).toString(), null, BigDecimal.ONE, "MB", "JP"),
                new UsageSubmission("rb-v-" + run, s.msisdn(), "voice", "OUT", now.minusSeconds(30).toString(), "13912345678",
                        BigDecimal.valueOf(60), "s", "US"),
                new UsageSubmission("rb-s-" + run, s.msisdn(), "sms", "OUT", now.minusSeconds(20).toString(), "13912345678", null, null, "US"),
                // at home, with no minutes in the plan: 60 minutes at ¥0.15, a domestic call charge, not roaming
                new UsageSubmission("rb-h-" + run, s.msisdn(), "voice", "OUT", now.minusSeconds(10).toString(), "13912345678",
                        BigDecimal.valueOf(3600), "s", null)));
        long roaming = out.get(0).charge().fen() + out.get(1).charge().fen() + out.get(2).charge().fen();
        assertThat(roaming).as("Asia data ¥2.00 + World call ¥2.99 + World SMS ¥0.99").isEqualTo(200 + 299 + 99);

        List<String> entries = jdbc.sql("""
                select e.reason_code || ' ' || e.business_key from journal_entry e
                 where e.business_key like ? order by e.reason_code
                """).param("usage:" + s.lineId() + ":%").query(String.class).list();
        assertThat(entries).containsExactly(ReasonCodes.USAGE_ROAMING + " usage:" + s.lineId() + ":R:rb-d-" + run,
                ReasonCodes.USAGE_VOICE + " usage:" + s.lineId() + ":V:rb-h-" + run);

        Bill current = bills.current(s.customerId());
        assertThat(current.amount(BillCategory.ROAMING)).isEqualTo(Money.ofFen(roaming));
        assertThat(current.amount(BillCategory.VOICE)).isEqualTo(Money.ofFen(900));
        assertThat(current.amount(BillCategory.DATA)).isEqualTo(Money.ZERO);
        assertThat(current.amount(BillCategory.SMS)).isEqualTo(Money.ZERO);
    }
}

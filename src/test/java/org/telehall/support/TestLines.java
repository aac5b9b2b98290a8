package org.telehall.support;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.Money;

/**
 * Gives a test subscriber's line a plan with buckets, packs and money, so rating tests start from
 * a known allowance rather than the demo subscribers' shared state.
 */
@Component
public class TestLines {

    private final JdbcClient jdbc;
    private final Ledger ledger;

    TestLines(JdbcClient jdbc, Ledger ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
    }

    /** The plan as the line's product, with a data bucket of {@code dataKb} and voice/SMS buckets, valid for 30 days from {@code now - 1 day}. */
    public void plan(TestCustomers.TestSubscriber s, String planId, long dataKb, long voiceMin, long sms, Instant now) {
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(29));
        long productId = jdbc.sql("""
                insert into product (customer_id, line_id, offering_id, kind, status, started_at) values (?, ?, ?, 'PLAN', 'ACTIVE', ?) returning id
                """).params(s.customerId(), s.lineId(), planId, Timestamp.from(from)).query(Long.class).single();
        bucket(s, "DATA", "PLAN", productId, planId, dataKb, from, to);
        bucket(s, "VOICE", "PLAN", productId, planId, voiceMin, from, to);
        bucket(s, "SMS", "PLAN", productId, planId, sms, from, to);
    }

    /** A pack's bucket (data in KB) valid until {@code to}. */
    public long pack(TestCustomers.TestSubscriber s, String packId, String kind, long amount, Instant from, Instant to) {
        long productId = jdbc.sql("""
                insert into product (customer_id, line_id, offering_id, kind, status, started_at, ends_at) values (?, ?, ?, 'PACK', 'ACTIVE', ?, ?) returning id
                """).params(s.customerId(), s.lineId(), packId, Timestamp.from(from), Timestamp.from(to)).query(Long.class).single();
        return bucket(s, kind, "PACK", productId, packId, amount, from, to);
    }

    public void topUp(TestCustomers.TestSubscriber s, Money amount, String key) {
        ledger.credit(new Posting(s.customerId(), amount, key, ReasonCodes.TOPUP, "test"), "TOPUP");
    }

    public void creditLimit(TestCustomers.TestSubscriber s, Money limit) {
        jdbc.sql("update ledger_account set credit_limit_fen = ? where customer_id = ?").params(limit.fen(), s.customerId()).update();
    }

    public long used(long bucketId) {
        return jdbc.sql("select used_amount from bucket where id = ?").param(bucketId).query(Long.class).single();
    }

    public long bucketOf(TestCustomers.TestSubscriber s, String kind, String source) {
        return jdbc.sql("select id from bucket where line_id = ? and kind = ? and source = ? order by id limit 1")
                .params(s.lineId(), kind, source).query(Long.class).single();
    }

    public String status(TestCustomers.TestSubscriber s) {
        return jdbc.sql("select status from line where id = ?").param(s.lineId()).query(String.class).single();
    }

    private long bucket(TestCustomers.TestSubscriber s, String kind, String source, long productId, String offeringId, long amount,
                        Instant from, Instant to) {
        return jdbc.sql("""
                insert into bucket (line_id, kind, source, product_id, offering_id, initial_amount, valid_from, valid_to)
                values (?, ?, ?, ?, ?, ?, ?, ?) returning id
                """).params(s.lineId(), kind, source, productId, offeringId, amount, Timestamp.from(from), Timestamp.from(to))
                .query(Long.class).single();
    }
}

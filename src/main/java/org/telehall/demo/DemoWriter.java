package org.telehall.demo;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.telehall.customer.IdNumberCipher;

/**
 * Writes seed rows the way a data import would: straight into the tables, in batches. Only the
 * demo uses this; money still goes through {@link org.telehall.ledger.Ledger} so every balance is a
 * sum of journal lines.
 */
@Component
class DemoWriter {

    /** One usage record as generated, before it is written. */
    record Usage(String networkId, long lineId, String type, String direction, Instant startedAt, String otherParty,
                 int durationSec, long volumeKb, String roamingCountry, long chargeFen) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final IdNumberCipher cipher;

    DemoWriter(JdbcClient jdbc, JdbcTemplate template, IdNumberCipher cipher) {
        this.jdbc = jdbc;
        this.template = template;
        this.cipher = cipher;
    }

    long customer(String kind, String name, String idNumber, Instant createdAt) {
        return jdbc.sql("""
                insert into customer (kind, name, id_number_cipher, id_number_masked, id_number_digest, real_name_verified, created_at)
                values (?, ?, ?, ?, ?, true, ?) returning id
                """).params(kind, name, cipher.encrypt(idNumber), IdNumberCipher.mask(idNumber), cipher.digest(idNumber),
                        Timestamp.from(createdAt))
                .query(Long.class).single();
    }

    long line(long customerId, String msisdn, String iccid, Instant activatedAt) {
        return jdbc.sql("insert into line (customer_id, msisdn, iccid, status, activated_at) values (?, ?, ?, 'ACTIVE', ?) returning id")
                .params(customerId, msisdn, iccid, Timestamp.from(activatedAt)).query(Long.class).single();
    }

    long product(long customerId, long lineId, String offeringId, String kind, Instant startedAt, Instant endsAt,
                 Instant trialEndsAt, boolean autoRenew, long recurringFen, long oneTimeFen) {
        return jdbc.sql("""
                insert into product (customer_id, line_id, offering_id, kind, status, started_at, ends_at, trial_ends_at,
                  auto_renew, recurring_fee_fen, one_time_fee_fen)
                values (?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?) returning id
                """).params(customerId, lineId, offeringId, kind, Timestamp.from(startedAt), ts(endsAt), ts(trialEndsAt),
                autoRenew, recurringFen, oneTimeFen).query(Long.class).single();
    }

    void bucket(long lineId, String kind, String source, Long productId, String offeringId, long initial, long used,
                Instant from, Instant to) {
        jdbc.sql("""
                insert into bucket (line_id, kind, source, product_id, offering_id, initial_amount, used_amount, valid_from, valid_to)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(lineId, kind, source, productId, offeringId, initial, Math.min(used, initial),
                Timestamp.from(from), Timestamp.from(to)).update();
    }

    void usage(List<Usage> records) {
        template.batchUpdate("""
                insert into usage_record (network_id, line_id, usage_type, direction, started_at, other_party, duration_sec,
                  volume_kb, roaming_country, charge_fen) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, records, 1000, (ps, u) -> {
            ps.setString(1, u.networkId());
            ps.setLong(2, u.lineId());
            ps.setString(3, u.type());
            ps.setString(4, u.direction());
            ps.setTimestamp(5, Timestamp.from(u.startedAt()));
            ps.setString(6, u.otherParty());
            ps.setInt(7, u.durationSec());
            ps.setLong(8, u.volumeKb());
            ps.setString(9, u.roamingCountry());
            ps.setLong(10, u.chargeFen());
        });
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}

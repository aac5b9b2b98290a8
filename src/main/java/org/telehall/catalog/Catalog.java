package org.telehall.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;

/**
 * The catalogue as other modules see it: offerings with the price in force now. Only what is on
 * sale (and so listed on the public price-disclosure page) can be ordered.
 */
@Service
public class Catalog {

    private static final String SELECT = """
            select o.*, p.version, p.recurring_fee_fen, p.one_time_fee_fen, p.data_overage_fen_per_mb,
                   p.voice_overage_fen_per_min, p.sms_overage_fen, p.roaming_data_fen_per_mb,
                   p.roaming_voice_fen_per_min, p.valid_from, p.valid_to
              from catalog_offering o
              join lateral (select * from catalog_price cp
                             where cp.offering_id = o.id and cp.valid_from <= :at
                               and (cp.valid_to is null or cp.valid_to > :at)
                             order by cp.version desc limit 1) p on true
            """;

    /** How long a page may show an offering as it was read: the catalogue changes rarely, pages are read constantly. */
    static final Duration SHOWN_FOR = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private final ConcurrentMap<String, Shown> shown = new ConcurrentHashMap<>();

    Catalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Everything on sale now, plans first: exactly what the price-disclosure page lists. */
    public List<Offering> onSale() {
        return jdbc.sql(SELECT + " where o.on_sale order by case o.kind when 'PLAN' then 0 when 'PACK' then 1 else 2 end, o.sort_order, o.id")
                .param("at", java.sql.Timestamp.from(Instant.now()))
                .query(Catalog::map)
                .list();
    }

    /** An offering with its price in force now, on sale or not (a customer may hold a retired plan). */
    public Optional<Offering> find(String id) {
        return jdbc.sql(SELECT + " where o.id = :id")
                .param("at", java.sql.Timestamp.from(Instant.now()))
                .param("id", id)
                .query(Catalog::map)
                .optional();
    }

    /** An offering with the price version that was in force at {@code at}: what a charge made then should have cost. */
    public Optional<Offering> findAt(String id, Instant at) {
        return jdbc.sql(SELECT + " where o.id = :id")
                .param("at", java.sql.Timestamp.from(at))
                .param("id", id)
                .query(Catalog::map)
                .optional();
    }

    public Offering get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("no offering " + id));
    }

    /**
     * An offering with its price now, as a page shows it (the home page's plan): read at most
     * {@link #SHOWN_FOR} ago, the same for every subscriber, so the home page needs no query for it.
     * Orders and charges use {@link #get}/{@link #find}, always read afresh.
     */
    public Offering shown(String id) {
        long now = System.nanoTime();
        Shown kept = shown.get(id);
        if (kept == null || now - kept.readAtNanos() > SHOWN_FOR.toNanos()) {
            kept = new Shown(get(id), now);
            shown.put(id, kept);
        }
        return kept.offering();
    }

    /** An offering that may be ordered: on sale and listed publicly, or a 404. */
    public Offering orderable(String id) {
        return find(id).filter(Offering::onSale).orElseThrow(() -> new NotFoundException("offering " + id + " is not on sale"));
    }

    private record Shown(Offering offering, long readAtNanos) {
    }

    private static Offering map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Price price = new Price(rs.getInt("version"),
                Money.ofFen(rs.getLong("recurring_fee_fen")), Money.ofFen(rs.getLong("one_time_fee_fen")),
                Money.ofFen(rs.getInt("data_overage_fen_per_mb")), Money.ofFen(rs.getInt("voice_overage_fen_per_min")),
                Money.ofFen(rs.getInt("sms_overage_fen")), Money.ofFen(rs.getInt("roaming_data_fen_per_mb")),
                Money.ofFen(rs.getInt("roaming_voice_fen_per_min")),
                rs.getTimestamp("valid_from").toInstant(),
                rs.getTimestamp("valid_to") == null ? null : rs.getTimestamp("valid_to").toInstant());
        return new Offering(rs.getString("id"), OfferingKind.valueOf(rs.getString("kind")), rs.getString("category"),
                rs.getString("name_zh"), rs.getString("name_en"), rs.getString("description_zh"), rs.getString("description_en"),
                rs.getString("conditions_zh"), rs.getString("conditions_en"),
                rs.getBoolean("network_5g"), rs.getLong("data_mb"), rs.getInt("voice_min"), rs.getInt("sms_count"),
                (Integer) rs.getObject("validity_days"), rs.getInt("trial_days"), rs.getBoolean("data_rollover"),
                rs.getString("roaming_zone"), rs.getBoolean("on_sale"), price);
    }
}

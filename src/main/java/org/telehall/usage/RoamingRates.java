package org.telehall.usage;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.telehall.shared.Money;

/**
 * What roaming costs in a country, by its zone, as rating charges it (a country not listed rates as
 * WORLD): for the arrival note a subscriber gets on landing, and for pages that show the prices.
 */
@Service
public class RoamingRates {

    /** A country's roaming prices. */
    public record Rate(String country, String zone, String nameZh, String nameEn, Money dataPerMb, Money voicePerMinute, Money sms) {

        public String name(Locale locale) {
            return "en".equals(locale.getLanguage()) ? nameEn : nameZh;
        }
    }

    private final JdbcClient jdbc;
    private volatile Map<String, Rate> byCountry;

    RoamingRates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Rate of(String country) {
        Map<String, Rate> rates = byCountry;
        if (rates == null) {
            rates = load();
            byCountry = rates;
        }
        Rate rate = rates.get(country);
        if (rate != null) {
            return rate;
        }
        Rate world = rates.get("");
        return new Rate(country, world.zone(), country, country, world.dataPerMb(), world.voicePerMinute(), world.sms());
    }

    private Map<String, Rate> load() {
        Map<String, Rate> rates = new HashMap<>();
        jdbc.sql("""
                select c.country, z.zone, c.name_zh, c.name_en, z.data_fen_per_mb, z.voice_fen_per_min, z.sms_fen
                  from roaming_zone z left join roaming_country c on c.zone = z.zone
                """).query(rs -> {
            String country = rs.getString(1);
            Rate rate = new Rate(country == null ? "" : country, rs.getString(2), rs.getString(3), rs.getString(4),
                    Money.ofFen(rs.getLong(5)), Money.ofFen(rs.getLong(6)), Money.ofFen(rs.getLong(7)));
            if (country != null) {
                rates.put(country, rate);
            }
            if ("WORLD".equals(rate.zone())) {
                rates.putIfAbsent("", rate);
            }
        });
        return rates;
    }
}

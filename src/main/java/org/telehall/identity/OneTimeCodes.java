package org.telehall.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.platform.Secrets;
import org.telehall.shared.BusinessRuleException;

/**
 * SMS one-time codes: 6 digits from a secure random, valid 5 minutes, single use, bound to the
 * purpose they were sent for ({@code login}, {@code order:42}, {@code payment:7}), stored only as an
 * HMAC, and rate-limited (one per minute, ten per hour per user). Other modules use this for
 * second confirmation of orders and payments.
 */
@Service
public class OneTimeCodes {

    public static final Duration TTL = Duration.ofMinutes(5);
    /** How far "need more time" may stretch a code's life, for people who read and type slowly. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(20);
    public static final Duration RESEND_INTERVAL = Duration.ofSeconds(60);
    public static final int MAX_PER_HOUR = 10;
    public static final int MAX_WRONG_TRIES_PER_CODE = 5;

    public enum Outcome { ACCEPTED, WRONG, EXPIRED, NO_CODE }

    private final JdbcClient jdbc;
    private final CodeMessenger sms;
    private final MessageSource messages;
    private final SecretKeySpec hmacKey;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    OneTimeCodes(JdbcClient jdbc, CodeMessenger sms, MessageSource messages, Secrets secrets, Clock clock) {
        this.jdbc = jdbc;
        this.sms = sms;
        this.messages = messages;
        this.hmacKey = new SecretKeySpec(secrets.tokenSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    /** Sends a new code for {@code purpose} to {@code msisdn}; returns when it expires. */
    @Transactional
    public Instant send(long userId, String purpose, String msisdn, Locale locale) {
        Instant now = clock.instant();
        Optional<Instant> last = jdbc.sql("select max(created_at) from one_time_code where user_id = ? and purpose = ?")
                .params(userId, purpose).query(Timestamp.class).optional().map(Timestamp::toInstant);
        if (last.isPresent() && last.get().plus(RESEND_INTERVAL).isAfter(now)) {
            long wait = Duration.between(now, last.get().plus(RESEND_INTERVAL)).toSeconds() + 1;
            throw new BusinessRuleException("otp.too-soon", "wait " + wait + " s before asking for another code", wait);
        }
        long lastHour = jdbc.sql("select count(*) from one_time_code where user_id = ? and created_at > ?")
                .params(userId, Timestamp.from(now.minus(Duration.ofHours(1)))).query(Long.class).single();
        if (lastHour >= MAX_PER_HOUR) {
            throw new BusinessRuleException("otp.too-many", "too many codes asked for in the last hour");
        }
        String code = String.format("%06d", random.nextInt(1_000_000));
        Instant expires = now.plus(TTL);
        // a new code replaces any earlier one for the same purpose
        jdbc.sql("update one_time_code set used_at = ? where user_id = ? and purpose = ? and used_at is null")
                .params(Timestamp.from(now), userId, purpose).update();
        jdbc.sql("insert into one_time_code (user_id, purpose, code_hash, created_at, expires_at) values (?, ?, ?, ?, ?)")
                .params(userId, purpose, hash(userId, purpose, code), Timestamp.from(now), Timestamp.from(expires)).update();
        String kind = purpose.contains(":") ? purpose.substring(0, purpose.indexOf(':')) : purpose;
        String text = messages.getMessage("otp.sms." + kind, new Object[]{code, TTL.toMinutes()},
                messages.getMessage("otp.sms.generic", new Object[]{code, TTL.toMinutes()}, locale), locale);
        sms.send(msisdn, text, "otp:" + kind);
        return expires;
    }

    /** Checks a code; an accepted code is used up, and a code tried wrongly too often is void. */
    @Transactional
    public Outcome verify(long userId, String purpose, String code) {
        Instant now = clock.instant();
        var active = jdbc.sql("""
                select id, code_hash, expires_at, attempts from one_time_code
                 where user_id = ? and purpose = ? and used_at is null order by created_at desc limit 1 for update
                """).params(userId, purpose)
                .query((rs, n) -> new ActiveCode(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getInt(4)))
                .optional();
        if (active.isEmpty()) {
            return Outcome.NO_CODE;
        }
        ActiveCode c = active.get();
        if (!c.expiresAt().isAfter(now)) {
            return Outcome.EXPIRED;
        }
        boolean matches = code != null && code.matches("\\d{6}")
                && MessageDigest.isEqual(c.hash().getBytes(StandardCharsets.US_ASCII),
                hash(userId, purpose, code).getBytes(StandardCharsets.US_ASCII));
        if (matches) {
            jdbc.sql("update one_time_code set used_at = ? where id = ?").params(Timestamp.from(now), c.id()).update();
            return Outcome.ACCEPTED;
        }
        jdbc.sql("update one_time_code set attempts = attempts + 1, used_at = case when attempts + 1 >= ? then ? else used_at end where id = ?")
                .params(MAX_WRONG_TRIES_PER_CODE, Timestamp.from(now), c.id()).update();
        return Outcome.WRONG;
    }

    /** When the code waiting for {@code purpose} expires, if one is waiting. */
    public Optional<Instant> expiryOf(long userId, String purpose) {
        return jdbc.sql("select expires_at from one_time_code where user_id = ? and purpose = ? and used_at is null order by created_at desc limit 1")
                .params(userId, purpose).query(Timestamp.class).optional().map(Timestamp::toInstant);
    }

    /** Gives the current code five more minutes, up to {@link #MAX_LIFETIME} after it was sent. */
    @Transactional
    public Optional<Instant> extend(long userId, String purpose) {
        return jdbc.sql("""
                update one_time_code set expires_at = least(expires_at + make_interval(secs => :ttl), created_at + make_interval(secs => :max))
                 where id = (select id from one_time_code where user_id = :user and purpose = :purpose and used_at is null
                              order by created_at desc limit 1)
                   and expires_at > :now
                returning expires_at
                """).param("ttl", TTL.toSeconds()).param("max", MAX_LIFETIME.toSeconds())
                .param("user", userId).param("purpose", purpose).param("now", Timestamp.from(clock.instant()))
                .query(Timestamp.class).optional().map(Timestamp::toInstant);
    }

    private String hash(long userId, String purpose, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            return HexFormat.of().formatHex(mac.doFinal((userId + "|" + purpose + "|" + code).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private record ActiveCode(long id, String hash, Instant expiresAt, int attempts) {
    }
}

package org.telehall.payment.simulator;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.PaymentProvider;
import org.telehall.shared.Money;

/**
 * A provider as the hall meets it, run locally: its own books (sim_provider_trade), its own pay page,
 * an RSA key pair (made at start; the private half never leaves this object) signing every
 * notification with SHA256withRSA over the sorted key=value pairs, as Alipay's RSA2 does. The hall
 * verifies with the public half only. Notifications go out through {@link SimulatorNotifier}.
 */
public class SimulatedProvider implements PaymentProvider {

    static final String WAITING = "WAIT_BUYER_PAY";
    static final String SUCCESS = "TRADE_SUCCESS";
    static final String REFUNDED = "REFUNDED";

    private final PaymentMethod method;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final KeyPair keys;
    private final String baseUrl;

    SimulatedProvider(PaymentMethod method, JdbcClient jdbc, Clock clock, String baseUrl) {
        this.method = method;
        this.jdbc = jdbc;
        this.clock = clock;
        this.baseUrl = baseUrl;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public PaymentMethod method() {
        return method;
    }

    @Override
    public Checkout checkout(String outTradeNo, Money amount, String subject) {
        jdbc.sql("""
                insert into sim_provider_trade (provider, out_trade_no, trade_no, amount_fen, status, created_at)
                values (?, ?, ?, ?, 'WAIT_BUYER_PAY', ?) on conflict (provider, out_trade_no) do nothing
                """).params(method.slug(), outTradeNo, tradeNo(), amount.fen(), Timestamp.from(clock.instant())).update();
        String path = "/sim/" + method.slug() + "/pay/" + outTradeNo;
        return new Checkout(path, baseUrl + path);
    }

    @Override
    public Optional<Notification> verify(Map<String, String> params) {
        String sign = params.get("sign");
        if (sign == null || !"RSA2".equals(params.get("sign_type")) || !verifySignature(canonical(params), sign)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Notification(params.get("out_trade_no"), params.get("trade_no"),
                    Money.ofFen(new BigDecimal(params.get("total_amount")).movePointRight(2).longValueExact()),
                    SUCCESS.equals(params.get("trade_status")), params.get("notify_id")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<TradeStatus> query(String outTradeNo) {
        return trade(outTradeNo).map(t -> new TradeStatus(t.tradeNo(), Money.ofFen(t.amountFen()), SUCCESS.equals(t.status())));
    }

    @Override
    public Refund refund(String outTradeNo, String refundRequestNo, Money amount) {
        Optional<Trade> trade = trade(outTradeNo);
        if (trade.isEmpty()) {
            return new Refund(false, null, "TRADE_NOT_EXIST");
        }
        if (trade.get().amountFen() != amount.fen()) {
            return new Refund(false, null, "REFUND_AMOUNT_INVALID");
        }
        jdbc.sql("""
                update sim_provider_trade set status = 'REFUNDED', refund_no = ?, refunded_at = ?
                 where provider = ? and out_trade_no = ? and status = 'TRADE_SUCCESS'
                """).params(refundRequestNo, Timestamp.from(clock.instant()), method.slug(), outTradeNo).update();
        Trade after = trade(outTradeNo).orElseThrow();
        if (REFUNDED.equals(after.status()) && refundRequestNo.equals(after.refundNo())) {
            return new Refund(true, refundRequestNo, null);
        }
        return new Refund(false, null, REFUNDED.equals(after.status()) ? "TRADE_HAS_REFUNDED" : "TRADE_STATUS_ERROR");
    }

    // ---- the provider's side, for the simulator's pages and controls

    record Trade(String outTradeNo, String tradeNo, long amountFen, String status, Instant paidAt, String refundNo) {
    }

    Optional<Trade> trade(String outTradeNo) {
        return jdbc.sql("select * from sim_provider_trade where provider = ? and out_trade_no = ?").params(method.slug(), outTradeNo)
                .query((rs, n) -> new Trade(rs.getString("out_trade_no"), rs.getString("trade_no"), rs.getLong("amount_fen"),
                        rs.getString("status"), rs.getTimestamp("paid_at") == null ? null : rs.getTimestamp("paid_at").toInstant(),
                        rs.getString("refund_no")))
                .optional();
    }

    /** The buyer pays: the provider takes the money (once). */
    Optional<Trade> pay(String outTradeNo) {
        jdbc.sql("update sim_provider_trade set status = 'TRADE_SUCCESS', paid_at = ? where provider = ? and out_trade_no = ? and status = 'WAIT_BUYER_PAY'")
                .params(Timestamp.from(clock.instant()), method.slug(), outTradeNo).update();
        return trade(outTradeNo);
    }

    /** The notification the provider sends for a trade, signed. */
    Map<String, String> notification(Trade trade) {
        Map<String, String> params = new TreeMap<>();
        params.put("notify_id", UUID.randomUUID().toString());
        params.put("notify_time", clock.instant().toString());
        params.put("out_trade_no", trade.outTradeNo());
        params.put("trade_no", trade.tradeNo());
        params.put("total_amount", Money.ofFen(trade.amountFen()).yuan().toPlainString());
        params.put("trade_status", trade.status());
        params.put("sign_type", "RSA2");
        params.put("sign", sign(canonical(params)));
        return params;
    }

    /** Signs any content with this provider's key: lets tests forge notifications only with a key that is not the provider's. */
    String sign(String content) {
        return sign(content, keys);
    }

    static String sign(String content, KeyPair keyPair) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keyPair.getPrivate());
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean verifySignature(String content, String sign) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(keys.getPublic());
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(sign));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** key=value pairs sorted by key, joined by &, without sign and sign_type: what is signed. */
    static String canonical(Map<String, String> params) {
        return new TreeMap<>(params).entrySet().stream()
                .filter(e -> !e.getKey().equals("sign") && !e.getKey().equals("sign_type") && e.getValue() != null && !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    private String tradeNo() {
        return method.slug().substring(0, 2).toUpperCase() + System.currentTimeMillis() + UUID.randomUUID().toString().substring(0, 8);
    }
}

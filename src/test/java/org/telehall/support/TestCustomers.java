package org.telehall.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.identity.Accounts;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Money;

/**
 * Makes throwaway subscribers for tests that change a user's state (locks, preferences), so the
 * shared demo subscribers stay as seeded. Numbers come from 170xxxxxxxx, which the demo never uses.
 */
@Component
public class TestCustomers {

    public record TestSubscriber(long customerId, long lineId, String msisdn, String password) {
    }

    private static final AtomicInteger NEXT = new AtomicInteger(1);

    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final Ledger ledger;

    TestCustomers(JdbcClient jdbc, Accounts accounts, Ledger ledger) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.ledger = ledger;
    }

    @Transactional
    public TestSubscriber subscriber(String name) {
        int n = NEXT.getAndIncrement();
        String msisdn = String.format("170%08d", n + (int) (ProcessHandle.current().pid() % 1000) * 10000);
        long customerId = jdbc.sql("insert into customer (kind, name, id_number_masked, real_name_verified) values ('PERSON', ?, '110101********0000', true) returning id")
                .param(name).query(Long.class).single();
        long lineId = jdbc.sql("insert into line (customer_id, msisdn, iccid, status) values (?, ?, ?, 'ACTIVE') returning id")
                .params(customerId, msisdn, "8986009" + msisdn + "00").query(Long.class).single();
        ledger.openAccount(customerId, Money.ZERO);
        String password = "Test@" + n + "pass";
        accounts.createSubscriber(customerId, msisdn, password, name);
        return new TestSubscriber(customerId, lineId, msisdn, password);
    }

    /** Signs a web session in through the real pages. */
    public void signIn(WebSession web, TestClock clock, String msisdn, String password, Function<String, String> codeFor) {
        // past the one-code-a-minute limit, and spaced so that no hour holds more than 10 codes
        clock.advance(Duration.ofMinutes(6));
        web.get("/login");
        web.post("/login", Map.of("msisdn", msisdn, "password", password));
        web.get("/login/code");
        var done = web.post("/login/code", Map.of("code", codeFor.apply(msisdn)));
        if (!WebSession.location(done).endsWith("/")) {
            throw new AssertionError("sign-in of " + msisdn + " failed: " + done.statusCode());
        }
    }
}

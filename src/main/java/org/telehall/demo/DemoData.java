package org.telehall.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.billing.BillRun;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.identity.Accounts;
import org.telehall.identity.Role;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Money;

/**
 * Seeds the demo operator into an empty database and prints where to go and how to sign in.
 * {@code --subscribers=N} (or {@code telehall.demo.subscribers}) adds N generated subscribers.
 */
@Component
@Profile("demo")
@Order(10)
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    static final String DEMO_PASSWORD = "Demo@2026";
    static final String ADMIN_PASSWORD = "Admin@2026";
    static final String AGENT_PASSWORD = "Agent@2026";

    private final Customers customers;
    private final DemoCatalog catalog;
    private final DemoWriter writer;
    private final SubscriberHistory history;
    private final Accounts accounts;
    private final Ledger ledger;
    private final DemoProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Environment environment;
    private final BulkSubscribers bulk;
    private final DemoNumbers numbers;
    private final BillRun billRun;

    DemoData(Customers customers, DemoCatalog catalog, DemoWriter writer, SubscriberHistory history, Accounts accounts,
             Ledger ledger, DemoProperties properties, TransactionTemplate tx, Clock clock, Environment environment,
             BulkSubscribers bulk, DemoNumbers numbers, BillRun billRun) {
        this.billRun = billRun;
        this.customers = customers;
        this.catalog = catalog;
        this.writer = writer;
        this.history = history;
        this.accounts = accounts;
        this.ledger = ledger;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
        this.environment = environment;
        this.bulk = bulk;
        this.numbers = numbers;
    }

    @Override
    public void run(ApplicationArguments args) {
        // also into a data dir seeded before the pool existed
        int stocked = numbers.seedIfEmpty(properties.seed());
        if (stocked > 0) {
            log.info("Number pool stocked with {} numbers for new lines", stocked);
        }
        if (!customers.isEmpty()) {
            log.info("Database already holds customers; demo data not seeded again");
            return;
        }
        int extra = args.containsOption("subscribers")
                ? Integer.parseInt(args.getOptionValues("subscribers").get(0)) : properties.subscribers();
        long started = System.nanoTime();
        tx.executeWithoutResult(s -> seed(new Random(properties.seed())));
        log.info("Demo operator seeded in {} ms", (System.nanoTime() - started) / 1_000_000);
        if (extra > 0) {
            bulk.generate(extra, properties.seed());
        }
        issueHistoryBills();
    }

    /** The bills of the history's closed months, as the nightly bill run made them then (their messages long read). */
    private void issueHistoryBills() {
        long started = System.nanoTime();
        LocalDate today = LocalDate.ofInstant(clock.instant(), Customer.ZONE);
        int issued = 0;
        for (LocalDate day = today.withDayOfMonth(1).minusMonths(1); !day.isAfter(today); day = day.plusMonths(1)) {
            issued += billRun.issueHistory(day);
        }
        log.info("Bills of the past months issued: {} in {} ms", issued, (System.nanoTime() - started) / 1_000_000);
    }

    private void seed(Random random) {
        catalog.seed();
        accounts.createStaff("admin", ADMIN_PASSWORD, Role.ADMIN, "运营管理员");
        accounts.createStaff("agent", AGENT_PASSWORD, Role.AGENT, "营业员 王芳");
        Instant now = clock.instant();

        long zhang = writer.customer("PERSON", "张伟", "110101199003074514", now.minus(Duration.ofDays(900)));
        ledger.openAccount(zhang, Money.ZERO);
        long zhangMain = writer.line(zhang, "13800138000", "89860012345678900001", now.minus(Duration.ofDays(900)));
        long zhangSecond = writer.line(zhang, "13800138001", "89860012345678900002", now.minus(Duration.ofDays(400)));
        accounts.createSubscriber(zhang, "13800138000", DEMO_PASSWORD, "张伟");
        history.write(zhang, List.of(
                new SubscriberHistory.LinePlan(zhang, zhangMain, "13800138000", DemoCatalog.PLAN_128,
                        List.of(new SubscriberHistory.Held(DemoCatalog.PACK_DATA_MONTH, now.minus(Duration.ofDays(20)))),
                        List.of(new SubscriberHistory.Held(DemoCatalog.VAS_VIDEO, now.minus(Duration.ofDays(130))),
                                new SubscriberHistory.Held(DemoCatalog.VAS_RINGBACK, now.minus(Duration.ofDays(70)))),
                        0.6, 5),
                new SubscriberHistory.LinePlan(zhang, zhangSecond, "13800138001", DemoCatalog.PLAN_ELDER,
                        List.of(), List.of(new SubscriberHistory.Held(DemoCatalog.VAS_CALLER, now.minus(Duration.ofDays(200)))),
                        0.12, 2)),
                30000, 20000, random);

        long li = writer.customer("PERSON", "李娜", "310104198807125526", now.minus(Duration.ofDays(500)));
        ledger.openAccount(li, Money.ZERO);
        long liLine = writer.line(li, "13900139000", "89860012345678900003", now.minus(Duration.ofDays(500)));
        accounts.createSubscriber(li, "13900139000", DEMO_PASSWORD, "李娜");
        history.write(li, List.of(new SubscriberHistory.LinePlan(li, liLine, "13900139000", DemoCatalog.PLAN_58,
                        List.of(new SubscriberHistory.Held(DemoCatalog.PACK_VOICE, now.minus(Duration.ofDays(5)))),
                        List.of(new SubscriberHistory.Held(DemoCatalog.VAS_MUSIC, now.minus(Duration.ofDays(3)))),
                        0.9, 2)),
                15000, 10000, random);
    }

    @EventListener(ApplicationReadyEvent.class)
    void printWelcome() {
        String url = environment.getProperty("telehall.base-url", "http://localhost:8080");
        log.info("""

                ================================================================
                 telehall is running:  {}
                 Subscriber:   13800138000 / {}   (two lines)
                 Subscriber:   13900139000 / {}
                 Agent:        agent / {}      Admin: admin / {}
                 SMS codes (demo outbox):  {}/dev/sms
                 Price disclosure (public): {}/tariffs
                 API docs:     {}/swagger-ui.html
                ================================================================
                """, url, DEMO_PASSWORD, DEMO_PASSWORD, AGENT_PASSWORD, ADMIN_PASSWORD, url, url, url);
    }
}

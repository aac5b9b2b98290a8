package org.telehall.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.LineStatus;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.Payments;
import org.telehall.shared.Money;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/**
 * A postpaid line through a whole dunning cycle: spends on credit, gets a bill with a due date, a
 * reminder before it (once), suspension after the grace period (once), and pays the bill from its
 * page through the payment provider, which restores the line.
 */
class PostpaidTest extends HallIntegrationTest {

    @Autowired Postpaid postpaid;
    @Autowired BillRun billRun;
    @Autowired Bills bills;
    @Autowired Ledger ledger;
    @Autowired Payments payments;
    @Autowired Customers customers;
    @Autowired TestCustomers testCustomers;

    @Test
    void an_unpaid_bill_is_reminded_then_suspended_after_the_grace_period_and_paying_it_restores_the_line() {
        TestSubscriber s = testCustomers.subscriber("后付费");
        postpaid.enrol(s.customerId(), Money.ofYuan(500));
        assertThat(ledger.creditLimitOf(s.customerId())).isEqualTo(Money.ofYuan(500));
        LocalDate today = LocalDate.ofInstant(clock.instant(), Customer.ZONE);
        LocalDate start = customers.get(s.customerId()).cycleStart(today).minusMonths(1);
        Instant during = start.plusDays(2).atStartOfDay(Customer.ZONE).toInstant();
        // spent on credit: no balance ever paid in
        ledger.postAt(new Posting(s.customerId(), Money.ofFen(12_800), "test:postpaid:fee:" + s.customerId(), ReasonCodes.PLAN_FEE, "套餐"), false,
                "CHARGE", during);
        ledger.postAt(new Posting(s.customerId(), Money.ofFen(345), "test:postpaid:data:" + s.customerId(), ReasonCodes.USAGE_DATA, ""), false,
                "CHARGE", during.plusSeconds(60));

        billRun.runFor(today, s.customerId());
        Bill bill = bills.forCycle(s.customerId(), start).orElseThrow();
        assertThat(bill.postpaid()).isTrue();
        assertThat(bill.dueDate()).isEqualTo(bill.cycleEnd().plusDays(Postpaid.DUE_DAYS));
        assertThat(bill.amountDue()).isEqualTo(Money.ofFen(13_145));
        assertThat(bill.open()).isTrue();
        assertThat(lastSms(s)).contains("应缴¥131.45").contains("请于" + bill.dueDate() + "前缴清");

        // the day before the reminder nothing happens; from then, one reminder however often the round runs
        assertThat(postpaid.run(bill.dueDate().minusDays(Postpaid.REMIND_DAYS + 1)).reminded()).isZero();
        postpaid.run(bill.dueDate().minusDays(Postpaid.REMIND_DAYS));
        postpaid.run(bill.dueDate().minusDays(1));
        assertThat(count(s, "BILL_REMINDER")).isEqualTo(1);
        assertThat(lastSms(s)).contains("尚有¥131.45未缴").contains("缴费截止日" + bill.dueDate());

        // suspended only once the grace period is over
        postpaid.run(bill.dueDate().plusDays(Postpaid.GRACE_DAYS));
        assertThat(status(s)).isEqualTo(LineStatus.ACTIVE);
        postpaid.run(bill.dueDate().plusDays(Postpaid.GRACE_DAYS + 1));
        assertThat(status(s)).isEqualTo(LineStatus.SUSPENDED);
        assertThat(bills.get(s.customerId(), bill.id()).suspendedAt()).isNotNull();
        assertThat(postpaid.run(bill.dueDate().plusDays(Postpaid.GRACE_DAYS + 2)).suspended()).isZero();

        // paid from the bill page at the (simulated) provider
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        String page = web.get("/bills/" + bill.id()).body();
        assertThat(page).contains("data-state=\"SUSPENDED\"").contains("data-testid=\"outstanding\">¥131.45<");
        String key = page.replaceAll("(?s).*name=\"key\" value=\"([^\"]+)\".*", "$1");
        var created = web.post("/bills/" + bill.id() + "/payment", Map.of("method", "alipay", "key", key));
        String location = WebSession.location(created);
        assertThat(location).contains("/payments/");
        long paymentId = Long.parseLong(location.substring(location.lastIndexOf("/payments/") + 10));
        Payment p = payments.get(s.customerId(), paymentId);
        assertThat(p.forBill()).isTrue();
        assertThat(p.reference()).isEqualTo(Long.toString(bill.id()));
        assertThat(p.amount()).isEqualTo(Money.ofFen(13_145));
        // a double tap finds the same order
        assertThat(WebSession.location(web.post("/bills/" + bill.id() + "/payment", Map.of("method", "alipay", "key", key)))).contains("/payments/" + paymentId);

        var paid = new ApiClient(baseUrl()).post("/sim/alipay/orders/" + p.outTradeNo() + "/pay?notify=never", Map.of(), null);
        assertThat(payments.settle(PaymentMethod.ALIPAY, p.outTradeNo(), paid.json().get("tradeNo").asString(), p.amount(), "query"))
                .isEqualTo(Payments.Settlement.CREDITED);
        eventually(() -> status(s) == LineStatus.ACTIVE);
        // the account had an open postpaid bill, so the settlement left billing its check, through the event publication
        // registry (which keeps it across a crash until the check has run)
        eventually(() -> jdbc.sql("""
                select count(*) from event_publication where event_type like '%OpenBillCredited' and serialized_event like ?
                   and completion_date is not null""").param("%\"customerId\":" + s.customerId() + "}%").query(Long.class).single() == 1);
        Bill settled = bills.get(s.customerId(), bill.id());
        assertThat(settled.settledAt()).isNotNull();
        assertThat(settled.open()).isFalse();
        assertThat(postpaid.outstanding(settled)).isEqualTo(Money.ZERO);
        assertThat(web.get("/bills/" + bill.id()).body()).contains("data-state=\"PAID\"").doesNotContain("pay-form");
    }

    @Test
    void a_postpaid_bill_with_nothing_owing_is_settled_when_issued() {
        TestSubscriber s = testCustomers.subscriber("后付费预存");
        postpaid.enrol(s.customerId(), Money.ofYuan(200));
        LocalDate today = LocalDate.ofInstant(clock.instant(), Customer.ZONE);
        LocalDate start = customers.get(s.customerId()).cycleStart(today).minusMonths(1);
        Instant during = start.plusDays(2).atStartOfDay(Customer.ZONE).toInstant();
        ledger.postAt(new Posting(s.customerId(), Money.ofYuan(100), "test:postpaid:pre:" + s.customerId(), ReasonCodes.TOPUP, ""), true, "TOPUP", during);
        ledger.postAt(new Posting(s.customerId(), Money.ofYuan(58), "test:postpaid:fee2:" + s.customerId(), ReasonCodes.PLAN_FEE, ""), false, "CHARGE",
                during.plusSeconds(1));
        billRun.runFor(today, s.customerId());
        Bill bill = bills.forCycle(s.customerId(), start).orElseThrow();
        assertThat(bill.postpaid()).isTrue();
        assertThat(bill.open()).isFalse();
        postpaid.run(bill.dueDate().plusDays(Postpaid.GRACE_DAYS + 1));
        assertThat(status(s)).isEqualTo(LineStatus.ACTIVE);
        assertThat(count(s, "BILL_REMINDER")).isZero();
    }

    private LineStatus status(TestSubscriber s) {
        return customers.lineOf(s.customerId(), s.lineId()).status();
    }

    private String lastSms(TestSubscriber s) {
        return sms.sentTo(s.msisdn(), 1).get(0).body();
    }

    private int count(TestSubscriber s, String purpose) {
        return jdbc.sql("select count(*) from sms_message where msisdn = ? and purpose = ?").params(s.msisdn(), purpose).query(Integer.class).single();
    }

    /** Waits (at most 10 s) for what an after-commit event listener does. */
    private static void eventually(java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

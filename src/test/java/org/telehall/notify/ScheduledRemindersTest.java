package org.telehall.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.Money;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestLines;
import org.telehall.usage.Rating;
import org.telehall.usage.UsageSubmission;
import tools.jackson.databind.JsonNode;

/** Fees deducted, unusual spending, renewals ahead, the usage summary, and the centre through TMF681. */
class ScheduledRemindersTest extends HallIntegrationTest {

    @Autowired
    TestCustomers testCustomers;

    @Autowired
    TestLines testLines;

    @Autowired
    ReminderSettings settings;

    @Autowired
    ReminderJobs jobs;

    @Autowired
    Reminders reminders;

    @Autowired
    Ledger ledger;

    @Autowired
    Customers customers;

    @Autowired
    Catalog catalog;

    @Autowired
    Rating rating;

    private TestCustomers.TestSubscriber subscriber(String name) {
        TestCustomers.TestSubscriber s = testCustomers.subscriber(name);
        testLines.topUp(s, Money.ofYuan(500), "test:sched:" + System.nanoTime());
        settings.save(s.customerId(), new ReminderSettings.Settings(80, null, LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, Set.of()));
        return s;
    }

    private List<String> templates(TestCustomers.TestSubscriber s) {
        return SentReminders.templates(jdbc, s);
    }

    private List<String> reminderSms(TestCustomers.TestSubscriber s) {
        return SentReminders.reminderSms(jdbc, s);
    }

    private void debit(TestCustomers.TestSubscriber s, Money amount, String reason, String key, Instant at) {
        ledger.postAt(new Posting(s.customerId(), amount, key, reason, "test"), false, "TEST", at);
    }

    @Test
    void a_monthly_fee_is_told_by_sms_and_a_fee_the_customer_just_ordered_only_in_the_centre() {
        TestCustomers.TestSubscriber s = subscriber("Fees");
        String key = "cycle:plan:" + System.nanoTime();
        debit(s, Money.ofYuan(58), ReasonCodes.PLAN_FEE, key, clock.instant());
        debit(s, Money.ofYuan(58), ReasonCodes.PLAN_FEE, key, clock.instant());    // the same deduction again: nothing
        assertThat(templates(s)).containsExactly("FEE");
        assertThat(reminderSms(s)).singleElement().satisfies(b -> assertThat(b).contains("套餐月费 ¥58.00").contains("余额 ¥442.00"));

        debit(s, Money.ofYuan(10), ReasonCodes.PACK_FEE, "order:" + System.nanoTime() + ":fee", clock.instant());
        assertThat(templates(s)).containsExactly("FEE", "FEE");
        assertThat(reminderSms(s)).as("the order's own SMS names the fee").hasSize(1);

        debit(s, Money.ofYuan(1), ReasonCodes.USAGE_DATA, "usage:" + System.nanoTime(), clock.instant());
        assertThat(templates(s)).as("usage is not a fee").hasSize(2);
    }

    @Test
    void spending_above_five_times_the_three_month_average_is_told_once_a_cycle() {
        TestCustomers.TestSubscriber s = subscriber("Spender");
        Instant now = clock.instant();
        LocalDate cycle = customers.get(s.customerId()).cycleStart(LocalDate.ofInstant(now, Customer.ZONE));
        String run = Long.toString(System.nanoTime());
        for (int m = 1; m <= 3; m++) {   // ¥10 in each of the three cycles before: an average of ¥10
            debit(s, Money.ofYuan(10), ReasonCodes.USAGE_VOICE, "spend:" + run + ":" + m,
                    cycle.minusMonths(m).plusDays(2).atTime(12, 0).atZone(Customer.ZONE).toInstant());
        }
        debit(s, Money.ofYuan(45), ReasonCodes.USAGE_DATA, "spend:" + run + ":a", now);
        reminders.checkSpending();
        assertThat(templates(s)).as("¥45 is not above ¥50").isEmpty();
        debit(s, Money.ofYuan(6), ReasonCodes.USAGE_DATA, "spend:" + run + ":b", now);
        reminders.checkSpending();
        debit(s, Money.ofYuan(20), ReasonCodes.USAGE_DATA, "spend:" + run + ":c", now);
        reminders.checkSpending();
        assertThat(templates(s)).containsExactly("ABNORMAL_SPEND");
        assertThat(reminderSms(s)).singleElement().satisfies(b -> assertThat(b).contains("已消费 ¥51.00").contains("平均每月 ¥10.00")
                .contains("5 倍以上"));
    }

    @Test
    void an_auto_renewing_pack_is_announced_once_three_days_ahead_with_its_name_date_and_fee() {
        TestCustomers.TestSubscriber s = subscriber("Renewer");
        Instant now = clock.instant();
        Offering pack = catalog.find("pack-data-20g-30d").orElseThrow();
        testLines.pack(s, pack.id(), "DATA", 1024, now.minus(Duration.ofDays(28)), now.plus(Duration.ofDays(2)));
        testLines.pack(s, pack.id(), "DATA", 1024, now.minus(Duration.ofDays(25)), now.plus(Duration.ofDays(5)));
        testLines.pack(s, pack.id(), "DATA", 1024, now.minus(Duration.ofDays(29)), now.plus(Duration.ofDays(1)));
        // the first two renew by themselves; the third does not
        jdbc.sql("update product set auto_renew = (ends_at < ? and ends_at > ?) where customer_id = ?")
                .params(java.sql.Timestamp.from(now.plus(Duration.ofDays(6))), java.sql.Timestamp.from(now.plus(Duration.ofHours(36))),
                        s.customerId()).update();

        jobs.renewals(now);
        jobs.renewals(now);

        assertThat(templates(s)).containsExactly("RENEWAL");
        Money fee = pack.price().recurringFee().isPositive() ? pack.price().recurringFee() : pack.price().oneTimeFee();
        String day = LocalDate.ofInstant(now.plus(Duration.ofDays(2)), Customer.ZONE).toString();
        assertThat(reminderSms(s)).singleElement().satisfies(b -> assertThat(b).contains(pack.nameZh()).contains(day)
                .contains(fee.display()).contains("自动续订"));
    }

    @Test
    void the_usage_summary_gives_each_line_its_figures_once_per_date_and_respects_the_switch() {
        TestCustomers.TestSubscriber s = subscriber("Summary");
        TestCustomers.TestSubscriber off = subscriber("NoSummary");
        settings.save(off.customerId(), new ReminderSettings.Settings(80, null, LocalTime.MIDNIGHT, LocalTime.MIDNIGHT,
                Set.of(ReminderKind.USAGE_SUMMARY)));
        Instant now = clock.instant();
        testLines.plan(s, "plan-5g-58", 100 * 1024, 100, 50, now);
        rating.rate(List.of(new UsageSubmission("sum-" + System.nanoTime(), s.msisdn(), "data", null,
                now.minusSeconds(30).toString(), null, BigDecimal.valueOf(30 * 1024), "KB", null)));

        jobs.summaries(now);
        jobs.summaries(now);

        assertThat(templates(s)).containsExactly("USAGE_SUMMARY");
        assertThat(reminderSms(s)).singleElement().satisfies(b -> assertThat(b).contains("已用流量 30 MB（共 100 MB）")
                .contains("通话 0 分钟（共 100 分钟）").contains("短信 0 条（共 50 条）"));
        assertThat(templates(off)).isEmpty();
    }

    @Test
    void the_centre_is_readable_through_tmf681_by_its_owner_only() {
        TestCustomers.TestSubscriber s = subscriber("Tmf");
        debit(s, Money.ofYuan(58), ReasonCodes.PLAN_FEE, "cycle:tmf:" + System.nanoTime(), clock.instant());
        debit(s, Money.ofYuan(10), ReasonCodes.PACK_FEE, "order:" + System.nanoTime() + ":fee", clock.instant());
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        String base = "/tmf-api/communicationManagement/v4/communicationMessage";

        ApiClient.Reply list = api.get(base, token);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.header("X-Total-Count")).isEqualTo("2");
        JsonNode newest = list.json().get(0);
        assertThat(newest.get("messageType").asString()).isEqualTo("appNotification");
        JsonNode fee = list.json().get(1);
        assertThat(fee.get("@type").asString()).isEqualTo("CommunicationMessage");
        assertThat(fee.get("messageType").asString()).isEqualTo("SMS");
        assertThat(fee.get("state").asString()).isEqualTo("completed");
        assertThat(fee.get("subject").asString()).isEqualTo("扣费提醒");
        assertThat(fee.get("content").asString()).contains("套餐月费 ¥58.00");
        assertThat(fee.get("sendTime").asString()).isNotBlank();
        assertThat(fee.get("receiver").get(0).get("id").asString()).isEqualTo(Long.toString(s.customerId()));
        assertThat(fee.get("receiver").get(0).get("phoneNumber").asString()).isEqualTo(s.msisdn());
        assertThat(fee.get("href").asString()).endsWith(base + "/" + fee.get("id").asString());

        ApiClient.Reply one = api.get(base + "/" + fee.get("id").asString(), token, "en");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("subject").asString()).isEqualTo("Fee deducted");
        assertThat(one.json().get("content").asString()).contains("Plan fee").contains("¥58.00");

        TestCustomers.TestSubscriber other = subscriber("TmfOther");
        String otherToken = api.signIn(clock, other.msisdn(), other.password(), this::latestCodeSentTo);
        assertThat(api.get(base + "/" + fee.get("id").asString(), otherToken).status()).isEqualTo(404);
        assertThat(api.get(base, otherToken).json().size()).isZero();
        assertThat(api.get(base, null).status()).isEqualTo(401);
    }
}

package org.telehall.billing;

import java.time.Clock;
import java.time.LocalDate;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.telehall.customer.Customer;

/**
 * The billing module's timetable (Beijing time), each job on one node only.
 * <ul>
 *   <li>Just after midnight the bill run bills the cycles that closed. Each customer's cycle ends on their own
 *       cycle day, so the nightly run finds the day's customers; a night missed is caught up the next night,
 *       as the run bills every closed cycle still unbilled.</li>
 *   <li>The bill-ready messages go in the morning, not in the middle of the night.</li>
 *   <li>The postpaid round (reminders) runs by day, after the notices.</li>
 * </ul>
 */
@Component
class BillingJobs {

    private final BillRun billRun;
    private final Postpaid postpaid;
    private final Clock clock;

    BillingJobs(BillRun billRun, Postpaid postpaid, Clock clock) {
        this.billRun = billRun;
        this.postpaid = postpaid;
        this.clock = clock;
    }

    @Scheduled(cron = "${telehall.billing.run-cron:0 20 0 * * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "bill-run", lockAtMostFor = "PT2H", lockAtLeastFor = "PT1M")
    void nightlyBillRun() {
        billRun.issue(today());
    }

    @Scheduled(cron = "${telehall.billing.notice-cron:0 0 9 * * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "bill-notices", lockAtMostFor = "PT1H", lockAtLeastFor = "PT1M")
    void morningNotices() {
        billRun.sendNotices();
    }

    @Scheduled(cron = "${telehall.billing.dunning-cron:0 0 10 * * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "postpaid-dunning", lockAtMostFor = "PT1H", lockAtLeastFor = "PT1M")
    void postpaidRound() {
        postpaid.run(today());
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), Customer.ZONE);
    }
}

package org.telehall.billing;

import java.time.Clock;
import java.time.LocalDate;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.telehall.customer.Customer;

/**
 * Every night just after midnight (Beijing time) bills the cycles that closed, on one node only.
 * Each customer's cycle ends on their own cycle day, so the nightly run finds the day's customers;
 * a night missed is caught up the next night, as the run bills every closed cycle still unbilled.
 * The bill-ready messages go in the morning, not in the middle of the night.
 */
@Component
class BillRunJob {

    private final BillRun billRun;
    private final Clock clock;

    BillRunJob(BillRun billRun, Clock clock) {
        this.billRun = billRun;
        this.clock = clock;
    }

    @Scheduled(cron = "${telehall.billing.run-cron:0 20 0 * * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "bill-run", lockAtMostFor = "PT2H", lockAtLeastFor = "PT1M")
    void nightly() {
        billRun.issue(LocalDate.ofInstant(clock.instant(), Customer.ZONE));
    }

    @Scheduled(cron = "${telehall.billing.notice-cron:0 0 9 * * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "bill-notices", lockAtMostFor = "PT1H", lockAtLeastFor = "PT1M")
    void morning() {
        billRun.sendNotices();
    }
}

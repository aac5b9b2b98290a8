package org.telehall.billing;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every night just after midnight (Beijing time) bills the cycles that closed, on one node only.
 * Each customer's cycle ends on their own cycle day, so the nightly run finds the day's customers;
 * a night missed is caught up the next night, as the run bills every closed cycle still unbilled.
 */
@Component
class BillRunJob {

    private final BillRun billRun;

    BillRunJob(BillRun billRun) {
        this.billRun = billRun;
    }

    @Scheduled(cron = "${telehall.billing.run-cron:0 20 0 * * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "bill-run", lockAtMostFor = "PT2H", lockAtLeastFor = "PT1M")
    void nightly() {
        billRun.runToday();
    }
}

package org.telehall.payment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.support.HallIntegrationTest;

/** The nightly job reconciles yesterday and today with every provider, holding the ShedLock lock while it runs. */
class ReconciliationJobTest extends HallIntegrationTest {

    @Autowired ReconciliationJob job;
    @Autowired Reconciliation reconciliation;

    @Test
    void the_nightly_job_reconciles_yesterday_and_today_for_each_provider_under_a_cluster_lock() {
        long before = jdbc.sql("select count(*) from payment_recon_run where triggered_by = 'reconciliation'").query(Long.class).single();
        job.nightly();
        assertThat(jdbc.sql("select count(*) from payment_recon_run where triggered_by = 'reconciliation' and status = 'DONE'")
                .query(Long.class).single()).isEqualTo(before + 6);
        assertThat(jdbc.sql("select distinct day from payment_recon_run where triggered_by = 'reconciliation'").query(java.time.LocalDate.class).list())
                .contains(reconciliation.today(), reconciliation.today().minusDays(1));
        assertThat(jdbc.sql("select count(*) from shedlock where name = 'payment-reconciliation'").query(Long.class).single()).isEqualTo(1);
    }
}

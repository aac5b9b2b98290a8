package org.telehall.customer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** At start-up, digests the ID numbers of customers written before digests existed. */
@Component
@Order(5)
class RealNameDigests implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(RealNameDigests.class);

    private final RealNameCheck realNames;

    RealNameDigests(RealNameCheck realNames) {
        this.realNames = realNames;
    }

    @Override
    public void run(ApplicationArguments args) {
        int digested = realNames.digestMissing();
        if (digested > 0) {
            log.info("Digested the ID numbers of {} customers on file from before", digested);
        }
    }
}

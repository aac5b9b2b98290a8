package org.telehall.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Generates a large operator for benchmarks: N subscribers, each with a line, a plan, a balance and
 * three months of usage, written in batches. Deterministic for a seed.
 */
@Component
class BulkSubscribers {

    private static final Logger log = LoggerFactory.getLogger(BulkSubscribers.class);

    void generate(int subscribers, long seed) {
        log.warn("bulk generation of {} subscribers is not built yet", subscribers);
    }
}

package org.telehall.ordering;

import java.util.List;

/**
 * The port to the operator's network provisioning (HLR/HSS, PCRF, VAS platforms). A real adapter
 * speaks the operator's provisioning protocol; the demo and the tests use {@link SimulatedNetwork}.
 */
public interface NetworkProvisioning {

    /** What the network must do for one order: switch offerings on or off for a line. */
    record Request(long orderId, String msisdn, List<Change> changes) {
    }

    record Change(Order.Action action, String offeringId) {
    }

    /** The network's answer: done, failed for now (retry later), or refused for good. */
    record Result(Outcome outcome, String reason) {
        public static Result done() {
            return new Result(Outcome.DONE, null);
        }
    }

    enum Outcome { DONE, TEMPORARY_FAILURE, PERMANENT_FAILURE }

    /** Carries out the request; may be slow. The same order id sent again must not be applied twice. */
    Result provision(Request request);
}

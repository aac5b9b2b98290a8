package org.telehall.invoicing;

import java.time.Instant;
import org.telehall.shared.Money;

/** Something the customer paid that an invoice may be issued for; {@code withdrawnAt} is set once the money went back. */
public record InvoiceSource(SourceKind kind, String reference, long customerId, String msisdn, Money amount, Instant occurredAt,
                            Instant withdrawnAt) {

    public boolean withdrawn() {
        return withdrawnAt != null;
    }
}

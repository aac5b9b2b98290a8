package org.telehall.ledger;

import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;

public class InsufficientBalanceException extends BusinessRuleException {

    public InsufficientBalanceException(long customerId, Money wanted) {
        super("ledger.insufficient-balance", "balance of customer " + customerId + " does not cover " + wanted, wanted.display());
    }
}

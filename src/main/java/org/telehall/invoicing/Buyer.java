package org.telehall.invoicing;

import org.telehall.shared.BusinessRuleException;

/** The invoice's buyer (购买方). A company must give its unified social credit code, and it must check out. */
public record Buyer(BuyerType type, String name, String taxId) {

    public static final int MAX_NAME = 100;

    /** What a person typed, checked: a refusal names the field in the user's language. */
    public static Buyer of(BuyerType type, String name, String taxId) {
        if (type == null) {
            throw new BusinessRuleException("invoicing.error.buyer-type", "buyer type must be person or company");
        }
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty() || cleanName.length() > MAX_NAME) {
            throw new BusinessRuleException("invoicing.error.buyer-name", "buyer name must be 1 to " + MAX_NAME + " characters");
        }
        if (type == BuyerType.PERSON) {
            return new Buyer(type, cleanName, null);
        }
        String code = CreditCode.normalise(taxId);
        if (!CreditCode.isValid(code)) {
            throw new BusinessRuleException("invoicing.error.tax-id",
                    "the company's tax id must be an 18-character unified social credit code with a valid check character, was " + taxId);
        }
        return new Buyer(type, cleanName, code);
    }
}

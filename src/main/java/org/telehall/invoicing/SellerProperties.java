package org.telehall.invoicing;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The operator as the seller (销售方) on every invoice; its tax id must check out, or the hall does not start. */
@ConfigurationProperties("telehall.invoicing.seller")
public record SellerProperties(String name, String taxId, String address) {

    public SellerProperties {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("telehall.invoicing.seller.name is required: the operator's name on invoices");
        }
        if (!CreditCode.isValid(taxId)) {
            throw new IllegalArgumentException("telehall.invoicing.seller.tax-id must be the operator's unified social credit code, was " + taxId);
        }
    }
}

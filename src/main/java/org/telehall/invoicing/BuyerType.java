package org.telehall.invoicing;

/** Whom an invoice is made out to: a person (name only) or a company (name and 统一社会信用代码). */
public enum BuyerType {
    PERSON,
    COMPANY
}

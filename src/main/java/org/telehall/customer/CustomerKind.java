package org.telehall.customer;

public enum CustomerKind {
    PERSON, ENTERPRISE
}

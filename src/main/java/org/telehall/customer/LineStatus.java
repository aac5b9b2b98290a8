package org.telehall.customer;

public enum LineStatus {
    ACTIVE, SUSPENDED, STOPPED
}

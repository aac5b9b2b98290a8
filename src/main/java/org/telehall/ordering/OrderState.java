package org.telehall.ordering;

/** TMF622 order states; PENDING is an order quoted and waiting for the customer's confirmation. */
public enum OrderState {
    PENDING, ACKNOWLEDGED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED;

    public boolean isOpen() {
        return this == PENDING || this == ACKNOWLEDGED || this == IN_PROGRESS;
    }
}

package org.telehall.inventory;

public enum ProductStatus {
    ACTIVE, PENDING_TERMINATE, TERMINATED
}

package org.telehall.catalog;

public enum OfferingKind {
    PLAN, PACK, SERVICE
}

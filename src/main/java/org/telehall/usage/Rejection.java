package org.telehall.usage;

/** Why a usage record was not rated; each has a message key {@code usage.rejection.<code>}. */
public enum Rejection {
    MISSING_ID("missing-id"),
    UNKNOWN_LINE("unknown-line"),
    BAD_TYPE("bad-type"),
    BAD_QUANTITY("bad-quantity"),
    NEGATIVE_QUANTITY("negative-quantity"),
    BAD_TIME("bad-time"),
    FUTURE_TIME("future-time"),
    BAD_COUNTRY("bad-country"),
    /** A CDR file line with too few or too many fields. */
    BAD_FORMAT("bad-format");

    private final String code;

    Rejection(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}

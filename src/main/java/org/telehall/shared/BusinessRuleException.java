package org.telehall.shared;

/**
 * A request that is well formed but breaks a business rule (not enough balance, line suspended).
 * {@code code} is a message key, so pages can say it in the user's language.
 */
public class BusinessRuleException extends RuntimeException {

    private final String code;
    private final Object[] args;

    public BusinessRuleException(String code, String message, Object... args) {
        super(message);
        this.code = code;
        this.args = args;
    }

    public String code() {
        return code;
    }

    public Object[] args() {
        return args.clone();
    }
}

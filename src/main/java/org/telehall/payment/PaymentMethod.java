package org.telehall.payment;

import java.util.Locale;

/** How the customer pays: each method is one provider, named in paths by its slug. */
public enum PaymentMethod {
    ALIPAY, WECHAT, UNIONPAY;

    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PaymentMethod ofSlug(String slug) {
        for (PaymentMethod m : values()) {
            if (m.slug().equalsIgnoreCase(slug)) {
                return m;
            }
        }
        throw new IllegalArgumentException("method must be alipay, wechat or unionpay, was " + slug);
    }
}

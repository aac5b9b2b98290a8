package org.telehall.platform;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.telehall.shared.Money;

/**
 * The small TM Forum Open API v4 types every {@code /tmf-api} resource shares (TMF630 common
 * model): Money, Quantity, TimePeriod, entity references and characteristics.
 */
public final class Tmf {

    /** Resource paths other resources link to. */
    public static final String PRODUCT_OFFERING = "/tmf-api/productCatalogManagement/v4/productOffering";
    public static final String PRODUCT = "/tmf-api/productInventory/v4/product";
    public static final String CUSTOMER = "/tmf-api/customerManagement/v4/customer";

    private Tmf() {
    }

    /** TMF Money: {@code {"unit":"CNY","value":12.34}}, the yuan value exact to the fen. */
    public record Amount(String unit, BigDecimal value) {
        public static Amount of(Money money) {
            return new Amount(Money.CURRENCY, money.yuan());
        }

        /** The amount a caller sent, as Money: unit CNY (or left out), value in yuan exact to the fen; anything else is refused, never rounded. */
        public Money toMoney() {
            if (value == null) {
                throw new IllegalArgumentException("amount.value is required");
            }
            if (unit != null && !Money.CURRENCY.equals(unit)) {
                throw new IllegalArgumentException("amount.unit must be CNY");
            }
            return Money.parseYuan(value.toPlainString());
        }
    }

    /** TMF Quantity: an amount in named units ("KB", "min", "SMS", "CNY"). */
    public record Quantity(BigDecimal amount, String units) {
        public static Quantity of(long amount, String units) {
            return new Quantity(BigDecimal.valueOf(amount), units);
        }
    }

    public record TimePeriod(Instant startDateTime, Instant endDateTime) {
    }

    /** A reference to another entity, TMF style: its id, href and name, and what kind it is. */
    public record Ref(String id, String href, String name, @JsonProperty("@referredType") String referredType) {
    }

    /** A name/value characteristic (productCharacteristic, usageCharacteristic, customer characteristic). */
    public record Characteristic(String name, Object value, String valueType) {
        public static Characteristic of(String name, Object value) {
            return new Characteristic(name, value, value instanceof Number ? "number" : value instanceof Boolean ? "boolean" : "string");
        }
    }

    /** The absolute URL of a resource path on this node, as the caller reached it. */
    public static String href(String path) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path(path).toUriString();
    }

    /** The related-party reference to a customer. */
    public static Ref customerRef(long customerId) {
        return new Ref(Long.toString(customerId), href(CUSTOMER + "/" + customerId), null, "Customer");
    }

    /** TMF enumerations are lower camel case: {@code PENDING_TERMINATE} → {@code pendingTerminate}. */
    public static String enumValue(Enum<?> value) {
        String[] parts = value.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder out = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            out.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return out.toString();
    }

    /** Parses a TMF enumeration value (any case) back into a Java enum, or says which values exist. */
    public static <E extends Enum<E>> E parseEnum(Class<E> type, String parameter, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().replace("_", "").equalsIgnoreCase(value.replace("_", ""))) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(enumValue(e));
        }
        throw new IllegalArgumentException(parameter + " must be one of " + allowed + ", was " + value);
    }
}

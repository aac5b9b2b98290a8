package org.telehall.usage.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads a JSON array of TMF635 usage objects token by token, straight into submissions: no tree of nodes
 * per record (that tree cost more CPU than rating the record). Reads what {@link UsageBatchApiController}
 * documents: {@code id}, {@code usageDate}, {@code usageType}, the {@code usageCharacteristic} entries and,
 * when no {@code msisdn} characteristic names the line, a {@code relatedParty} with role line or subscriber.
 * Anything else in an object is skipped.
 */
final class UsageBatchReader {

    /** The body was not a JSON array of objects. */
    static final class NotABatch extends RuntimeException {
        NotABatch(String message) {
            super(message, null, false, false);
        }
    }

    /** The array held more than the limit; {@code size} is how many it held. */
    static final class TooLarge extends RuntimeException {
        final int size;

        TooLarge(int size) {
            super("too large", null, false, false);
            this.size = size;
        }
    }

    private UsageBatchReader() {
    }

    /** The submissions of the array the parser is at the start of, at most {@code limit} of them. */
    static List<org.telehall.usage.UsageSubmission> read(JsonParser p, int limit) {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw new NotABatch("the body must be a JSON array of TMF635 usage objects");
        }
        List<org.telehall.usage.UsageSubmission> batch = new ArrayList<>(Math.min(limit, 1024));
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (batch.size() == limit) {
                int size = limit;
                do {
                    p.skipChildren();
                    size++;
                } while (p.nextToken() != JsonToken.END_ARRAY);
                throw new TooLarge(size);
            }
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                batch.add(new Usage().submission());  // not an object: rejected as a record without id, as before
                continue;
            }
            batch.add(usage(p).submission());
        }
        return batch;
    }

    /** One usage object's fields as they come; resolved into a submission once the object is read. */
    private static final class Usage {
        String id;
        String usageType;
        String usageDate;
        String networkId;
        String msisdn;
        String partyMsisdn;
        String direction;
        String otherParty;
        String country;
        String unit;
        BigDecimal quantity;

        org.telehall.usage.UsageSubmission submission() {
            return new org.telehall.usage.UsageSubmission(id != null ? id : networkId, msisdn != null ? msisdn : partyMsisdn,
                    usageType, direction, usageDate, otherParty, quantity, unit, country);
        }
    }

    private static Usage usage(JsonParser p) {
        Usage u = new Usage();
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken value = p.nextToken();
            switch (name) {
                case "id" -> u.id = scalar(p, value);
                case "usageDate" -> u.usageDate = scalar(p, value);
                case "usageType" -> u.usageType = scalar(p, value);
                case "usageCharacteristic" -> characteristics(p, value, u);
                case "relatedParty" -> parties(p, value, u);
                default -> p.skipChildren();
            }
        }
        return u;
    }

    /** Each object of the array the parser is at; anything else there (or no array at all) is skipped. */
    private static void eachObject(JsonParser p, JsonToken at, Runnable readObject) {
        if (at != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT) {
                readObject.run();
            } else {
                p.skipChildren();
            }
        }
    }

    private static void characteristics(JsonParser p, JsonToken at, Usage u) {
        eachObject(p, at, () -> characteristic(p).applyTo(u));
    }

    /**
     * One {@code usageCharacteristic} entry as written: its value's text, whether that was a JSON number, and the
     * amount and units when the value is an object (a TMF Quantity). Only quantities are read as numbers.
     */
    private record Characteristic(String name, boolean present, String text, boolean number, boolean quantity,
                                  BigDecimal amount, String units) {

        void applyTo(Usage u) {
            if (name == null || !present) {
                return;
            }
            switch (name) {
                case "networkId" -> u.networkId = u.networkId == null ? text : u.networkId;
                case "msisdn" -> u.msisdn = text;
                case "direction" -> u.direction = text;
                case "otherParty" -> u.otherParty = text;
                case "roamingCountry" -> u.country = text;
                case "unit", "units" -> u.unit = text;
                case "volumeKB" -> {
                    u.quantity = decimal();
                    u.unit = "KB";
                }
                case "durationSeconds" -> {
                    u.quantity = decimal();
                    u.unit = "S";
                }
                case "messages" -> u.quantity = decimal();
                case "quantity" -> {
                    if (quantity) {
                        u.quantity = amount;
                        u.unit = units;
                    } else {
                        u.quantity = decimal();
                    }
                }
                default -> { }
            }
        }

        /** The value as a number: a JSON number as written, or a string holding one; otherwise none. */
        BigDecimal decimal() {
            return number ? new BigDecimal(text) : parse(text);
        }
    }

    // name and value may come in either order, and the value may be an object (a TMF Quantity)
    private static Characteristic characteristic(JsonParser p) {
        String name = null;
        String text = null;
        boolean number = false;
        boolean present = false;
        boolean quantity = false;
        BigDecimal amount = null;
        String units = null;
        String field;
        while ((field = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            if ("name".equals(field)) {
                name = scalar(p, v);
            } else if ("value".equals(field)) {
                present = true;
                if (v == JsonToken.START_OBJECT) {
                    quantity = true;
                    String q;
                    while ((q = p.nextName()) != null) {
                        JsonToken qv = p.nextToken();
                        if ("amount".equals(q)) {
                            amount = number(p, qv);
                        } else if ("units".equals(q)) {
                            units = scalar(p, qv);
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    text = scalar(p, v);
                    number = v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT;
                }
            } else {
                p.skipChildren();
            }
        }
        return new Characteristic(name, present, text, number, quantity, amount, units);
    }

    private static void parties(JsonParser p, JsonToken at, Usage u) {
        eachObject(p, at, () -> {
            String id = null;
            String role = null;
            String field;
            while ((field = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                if ("id".equals(field)) {
                    id = scalar(p, v);
                } else if ("role".equals(field)) {
                    role = scalar(p, v);
                } else {
                    p.skipChildren();
                }
            }
            if ("line".equalsIgnoreCase(role) || "subscriber".equalsIgnoreCase(role)) {
                u.partyMsisdn = id;
            }
        });
    }

    /** A scalar's text (a number's as written); null for null, arrays and objects (skipped). */
    private static String scalar(JsonParser p, JsonToken t) {
        if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        return t == JsonToken.VALUE_NULL ? null : p.getString();
    }

    private static BigDecimal number(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDecimalValue();
        }
        return parse(scalar(p, t));
    }

    private static BigDecimal parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

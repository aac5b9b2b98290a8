package org.telehall.usage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's binary COPY format ({@code copy ... from stdin with (format binary)}), written field by field.
 * Rating's rows are mostly numbers and a time: sent as binary they need no formatting here and no parsing in the
 * database (a {@code timestamptz} read from text goes through the general date parser for every row).
 */
final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps, in Unix seconds. */
    private static final long PG_EPOCH_SECOND = 946_684_800L;

    private byte[] buf;
    private int size;

    BinaryCopy(int expectedBytes) {
        buf = new byte[Math.max(64, expectedBytes)];
        put(SIGNATURE);
        int4(0);   // flags
        int4(0);   // header extension length
    }

    /** Starts a row of {@code fields} fields. */
    BinaryCopy row(int fields) {
        int2(fields);
        return this;
    }

    BinaryCopy int8Field(long value) {
        int4(8);
        room(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    BinaryCopy int4Field(int value) {
        int4(4);
        int4(value);
        return this;
    }

    BinaryCopy nullField() {
        int4(-1);
        return this;
    }

    /** A text or varchar value in UTF-8 (the database checks its length against the column as for text input). */
    BinaryCopy textField(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int4(bytes.length);
        put(bytes);
        return this;
    }

    /** A timestamptz: microseconds since 2000-01-01 UTC, a remainder of half a microsecond or more rounded up. */
    BinaryCopy timestamptzField(Instant t) {
        return int8Field(micros(t));
    }

    static long micros(Instant t) {
        long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond() - PG_EPOCH_SECOND, 1_000_000L), t.getNano() / 1000);
        return t.getNano() % 1000 >= 500 ? micros + 1 : micros;
    }

    /** The rows written, with COPY's trailer. */
    InputStream finish() {
        int2(-1);
        return new ByteArrayInputStream(buf, 0, size);
    }

    private void int2(int value) {
        room(2);
        buf[size++] = (byte) (value >>> 8);
        buf[size++] = (byte) value;
    }

    private void int4(int value) {
        room(4);
        buf[size++] = (byte) (value >>> 24);
        buf[size++] = (byte) (value >>> 16);
        buf[size++] = (byte) (value >>> 8);
        buf[size++] = (byte) value;
    }

    private void put(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    private void room(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}

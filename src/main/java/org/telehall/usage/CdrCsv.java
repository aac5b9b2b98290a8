package org.telehall.usage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Call detail records in CSV, the way mediation drops them: UTF-8, one record a line, the columns
 * {@code id, usageDate, usageType, msisdn, quantity, unit, roamingCountry, otherParty[, direction]}.
 * A first line starting with {@code id} is a header and then names the columns (any order, case and
 * underscores ignored); without one the columns are in that order. Trailing optional columns may be
 * left out; blank lines and lines starting with {@code #} are skipped.
 */
final class CdrCsv {

    static final List<String> COLUMNS = List.of("id", "usageDate", "usageType", "msisdn", "quantity", "unit",
            "roamingCountry", "otherParty", "direction");
    private static final int REQUIRED = 5;   // id … quantity; unit and the rest may be left out

    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .setCommentMarker('#')
            .get();

    /** One line of the file: a submission for rating, or the reason it cannot become one. */
    record Line(long number, UsageSubmission submission, Rejection rejection) {
        String networkId() {
            return submission == null ? null : submission.networkId();
        }
    }

    /** The file cannot be read as CSV (bad quoting, not UTF-8) at about {@code line}. */
    static final class Unparseable extends Exception {
        final long line;

        Unparseable(long line, String message, Throwable cause) {
            super(message, cause);
            this.line = line;
        }
    }

    private CdrCsv() {
    }

    /** Strict UTF-8: a byte that is not UTF-8 makes the file unparseable rather than a silent U+FFFD. */
    static Reader reader(InputStream in) {
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /**
     * Reads every line, handing them on in chunks of at most {@code chunk}; returns the number of
     * lines. Throws {@link Unparseable} when the CSV breaks (lines before it were handed on already).
     */
    static long read(InputStream in, int chunk, Consumer<List<Line>> sink) throws Unparseable {
        long lines = 0;
        CSVParser parser = null;
        try {
            parser = FORMAT.parse(reader(in));
            Iterator<CSVRecord> it = parser.iterator();
            Layout layout = null;
            List<Line> batch = new ArrayList<>(Math.min(chunk, 1024));
            while (it.hasNext()) {
                CSVRecord record = it.next();
                long number = parser.getCurrentLineNumber();
                if (layout == null) {
                    layout = header(record, number);
                    if (layout != null) {
                        continue;
                    }
                    layout = positional();
                }
                batch.add(line(record, number, layout));
                lines++;
                if (batch.size() >= chunk) {
                    sink.accept(batch);
                    batch = new ArrayList<>(chunk);
                }
            }
            if (!batch.isEmpty()) {
                sink.accept(batch);
            }
            return lines;
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new Unparseable(parser == null ? 0 : parser.getCurrentLineNumber(), rootMessage(e), e);
        } catch (IOException e) {
            throw new Unparseable(parser == null ? 0 : parser.getCurrentLineNumber(), rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Where each of {@link #COLUMNS} is (-1 when absent) and how many fields a line may have. */
    private record Layout(int[] columns, int width) {
    }

    /** The header's layout, or null when the first record is data. A header without a required column makes the file unparseable. */
    private static Layout header(CSVRecord first, long number) throws Unparseable {
        if (first.size() == 0 || !"id".equals(key(first.get(0)))) {
            return null;
        }
        int[] columns = new int[COLUMNS.size()];
        java.util.Arrays.fill(columns, -1);
        for (int i = 0; i < first.size(); i++) {
            String name = key(first.get(i));
            for (int c = 0; c < COLUMNS.size(); c++) {
                if (key(COLUMNS.get(c)).equals(name)) {
                    columns[c] = i;
                }
            }
        }
        for (int c = 0; c < REQUIRED; c++) {
            if (columns[c] < 0) {
                throw new Unparseable(number, "the header has no column " + COLUMNS.get(c), null);
            }
        }
        return new Layout(columns, first.size());
    }

    private static Layout positional() {
        int[] columns = new int[COLUMNS.size()];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = c;
        }
        return new Layout(columns, COLUMNS.size());
    }

    private static String key(String name) {
        return name.replace("\uFEFF", "").replace("_", "").replace("-", "").trim().toLowerCase(Locale.ROOT);
    }

    private static Line line(CSVRecord record, long number, Layout layout) {
        int[] columns = layout.columns();
        String id = field(record, columns[0]);
        if (record.size() < REQUIRED || record.size() > layout.width()) {
            return new Line(number, submission(id, record, columns, null), Rejection.BAD_FORMAT);
        }
        String quantityText = field(record, columns[4]);
        BigDecimal quantity = null;
        if (quantityText != null) {
            try {
                quantity = new BigDecimal(quantityText);
            } catch (NumberFormatException e) {
                return new Line(number, submission(id, record, columns, null), Rejection.BAD_QUANTITY);
            }
        }
        return new Line(number, submission(id, record, columns, quantity), null);
    }

    private static UsageSubmission submission(String id, CSVRecord record, int[] columns, BigDecimal quantity) {
        return new UsageSubmission(id, field(record, columns[3]), field(record, columns[2]), field(record, columns[8]),
                field(record, columns[1]), field(record, columns[7]), quantity, field(record, columns[5]), field(record, columns[6]));
    }

    private static String field(CSVRecord record, int index) {
        if (index < 0 || index >= record.size()) {
            return null;
        }
        String value = record.get(index);
        return value == null || value.isBlank() ? null : value.trim();
    }
}

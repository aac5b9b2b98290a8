package org.telehall.invoicing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.platform.PdfSheet;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.usage.UsageRecord;
import org.telehall.usage.UsageRecords;
import org.telehall.usage.UsageType;

/**
 * The 详单 of one of the customer's lines for one of the last 6 months, as a file to keep: CSV that
 * Excel opens with the Chinese intact (UTF-8 with a byte-order mark), or an A4 PDF. The other party
 * is masked exactly as on the usage page; a line that is not the customer's is not found.
 */
@Service
public class UsageExports {

    /** A file ready to download. */
    public record ExportedFile(String filename, String contentType, byte[] content) {
    }

    /** One record as the page shows it, in the reader's language. */
    private record Row(String time, String type, String direction, String party, String amount, String roaming, Money charge) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(Customer.ZONE);
    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(Customer.ZONE);

    private final UsageRecords records;
    private final Customers customers;
    private final MessageSource messages;
    private final Clock clock;

    UsageExports(UsageRecords records, Customers customers, MessageSource messages, Clock clock) {
        this.records = records;
        this.customers = customers;
        this.messages = messages;
        this.clock = clock;
    }

    /** The months that may be exported, newest first: this month and the 5 before it. */
    public List<YearMonth> months() {
        return UsageRecords.monthsOnline(YearMonth.now(clock.withZone(Customer.ZONE)));
    }

    /** "2026-11" → that month, if it is one of the last 6; otherwise a refusal naming the months that can be had. */
    public YearMonth month(String value) {
        List<YearMonth> online = months();
        Optional<YearMonth> month = onlineMonth(value, online);
        if (month.isPresent()) {
            return month.get();
        }
        YearMonth first = online.get(online.size() - 1);
        throw new BusinessRuleException("invoicing.export.error.month",
                "only the last " + UsageRecords.MONTHS_ONLINE + " months can be exported, " + first + " to " + online.get(0)
                        + " (yyyy-MM), was " + value, first.toString(), online.get(0).toString());
    }

    /**
     * "2026-11" → that month if it is one of {@code online} (newest first), a blank value → the newest; empty for
     * anything else, which the caller refuses in its own words. Disputes take the same months as exports.
     */
    static Optional<YearMonth> onlineMonth(String value, List<YearMonth> online) {
        if (value == null || value.isBlank()) {
            return Optional.of(online.get(0));
        }
        try {
            return Optional.of(YearMonth.parse(value.trim())).filter(online::contains);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public ExportedFile export(long customerId, long lineId, YearMonth month, ExportFormat format, Locale locale) {
        Line line = customers.lineOf(customerId, lineId);
        if (!months().contains(month)) {
            month(month.toString());
        }
        List<Row> rows = records.allInMonth(line.id(), month).stream().map(r -> row(r, locale)).toList();
        byte[] content = switch (format) {
            case CSV -> csv(rows, locale);
            case PDF -> pdf(line, month, rows, locale);
        };
        String filename = "usage-" + line.msisdn().value() + "-" + month + "." + format.extension();
        return new ExportedFile(filename, format.contentType(), content);
    }

    private byte[] csv(List<Row> rows, Locale locale) {
        StringWriter out = new StringWriter();
        // Excel takes a file without a byte-order mark for the local code page and garbles the Chinese
        out.write('\uFEFF');
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(headers(locale)).get();
        try (CSVPrinter csv = new CSVPrinter(out, format)) {
            for (Row r : rows) {
                csv.printRecord(r.time(), r.type(), r.direction(), r.party(), r.amount(), r.roaming(), r.charge().yuan().toPlainString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String[] headers(Locale locale) {
        return new String[]{msg("invoicing.export.col.time", locale), msg("invoicing.export.col.type", locale),
                msg("invoicing.export.col.direction", locale), msg("invoicing.export.col.party", locale),
                msg("invoicing.export.col.amount", locale), msg("invoicing.export.col.roaming", locale),
                msg("invoicing.export.col.charge", locale)};
    }

    // column positions on A4 (points from the left edge); amount and charge are right-aligned
    private static final float[] COLUMN_X = {40, 136, 178, 218, 395, 405, 555};

    private byte[] pdf(Line line, YearMonth month, List<Row> rows, Locale locale) {
        String title = msg("invoicing.export.title", locale, month.toString());
        try (PdfSheet sheet = new PdfSheet(title)) {
            sheet.text(title, PdfSheet.MARGIN, 16, PdfSheet.Align.LEFT);
            sheet.down(20);
            sheet.text(msg("invoicing.export.line", locale, line.msisdn().masked()), PdfSheet.MARGIN, 10, PdfSheet.Align.LEFT);
            sheet.text(msg("invoicing.export.generated", locale, GENERATED.format(clock.instant())),
                    PdfSheet.WIDTH - PdfSheet.MARGIN, 10, PdfSheet.Align.RIGHT);
            sheet.down(14);
            sheet.text(msg("invoicing.export.masked-note", locale), PdfSheet.MARGIN, 8, PdfSheet.Align.LEFT);
            sheet.down(18);
            String[] heads = headers(locale);
            sheet.onNewPage(s -> tableHead(s, heads));
            tableHead(sheet, heads);
            Money total = Money.ZERO;
            for (Row r : rows) {
                sheet.down(13, 13);
                String[] cells = {r.time(), r.type(), r.direction(), r.party(), r.amount(), r.roaming(), r.charge().yuan().toPlainString()};
                cell(sheet, cells, 8.5f);
                total = total.plus(r.charge());
            }
            if (rows.isEmpty()) {
                sheet.down(16);
                sheet.text(msg("invoicing.export.none", locale), PdfSheet.MARGIN, 9, PdfSheet.Align.LEFT);
            }
            sheet.down(8, 20);
            sheet.rule(0.5f);
            sheet.down(14);
            sheet.text(msg("invoicing.export.total", locale, rows.size(), total.display()),
                    PdfSheet.WIDTH - PdfSheet.MARGIN, 10, PdfSheet.Align.RIGHT);
            return sheet.finish((page, pages) -> msg("invoicing.pdf.page", locale, page, pages));
        }
    }

    private static void tableHead(PdfSheet sheet, String[] heads) {
        cell(sheet, heads, 8.5f);
        sheet.down(5);
        sheet.rule(0.5f);
    }

    private static void cell(PdfSheet sheet, String[] cells, float size) {
        for (int i = 0; i < cells.length; i++) {
            boolean right = i == 4 || i == 6;
            sheet.text(cells[i], COLUMN_X[i], size, right ? PdfSheet.Align.RIGHT : PdfSheet.Align.LEFT);
        }
    }

    private Row row(UsageRecord r, Locale locale) {
        String amount = switch (r.type()) {
            case VOICE -> msg("usage.duration", locale, r.durationSeconds() / 60, r.durationSeconds() % 60);
            case DATA -> r.volumeDisplay();
            case SMS -> msg("unit.sms", locale, 1);
        };
        String party = r.otherPartyMasked() != null ? r.otherPartyMasked() : "—";
        // as on the page: calling or called for calls only
        String direction = r.type() == UsageType.VOICE && r.direction() != null ? msg("usage.dir." + r.direction(), locale) : "";
        return new Row(TIME.format(r.startedAt()), msg("usage.type." + r.type(), locale), direction, party, amount,
                r.roamingCountry() == null ? "" : r.roamingCountry(), r.charge());
    }

    private String msg(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, locale);
    }
}

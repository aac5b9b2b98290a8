package org.telehall.invoicing;

import java.util.Locale;

/** The file types a usage detail is exported as. */
public enum ExportFormat {
    CSV("text/csv;charset=UTF-8", "csv"),
    PDF("application/pdf", "pdf");

    private final String contentType;
    private final String extension;

    ExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /** "csv", "PDF"; anything else is a bad request naming what was sent. */
    public static ExportFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return CSV;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format must be csv or pdf, was " + value);
        }
    }
}

package org.telehall.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * A4 pages of text, rules and little squares, written top to bottom. Latin text is set in Liberation
 * Sans (shipped inside PDFBox), Chinese in Droid Sans Fallback (shipped in our jar, which has no Latin
 * glyphs); both are embedded as subsets, so a month's 详单 stays a few dozen KB and any PDF reader
 * shows the Chinese without fonts of its own. Not thread-safe: one sheet per document. Shared by the
 * modules that hand out PDFs (usage detail and invoices, payment receipts).
 */
public final class PdfSheet implements AutoCloseable {

    public static final float WIDTH = PDRectangle.A4.getWidth();
    public static final float HEIGHT = PDRectangle.A4.getHeight();
    public static final float MARGIN = 40;

    public enum Align { LEFT, RIGHT, CENTER }

    private static final byte[] LATIN_FONT = loadFont("/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf");
    private static final byte[] CJK_FONT = loadFont("/fonts/DroidSansFallbackFull.ttf");
    /** Which font draws a code point: 0 Latin, 1 CJK, -1 neither; the same for every document. */
    private static final Map<Integer, Integer> FONT_OF = new ConcurrentHashMap<>();

    /** A piece of text that one font draws. */
    private record Run(PDType0Font font, String text) {
    }

    private final PDDocument doc = new PDDocument();
    private final PDType0Font[] fonts;
    private PDPageContentStream content;
    private float y;
    private Consumer<PdfSheet> pageHeader = s -> { };

    public PdfSheet(String title) {
        try {
            fonts = new PDType0Font[]{PDType0Font.load(doc, new ByteArrayInputStream(LATIN_FONT), true),
                    PDType0Font.load(doc, new ByteArrayInputStream(CJK_FONT), true)};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle(title);
        info.setProducer("telehall");
        newPage();
    }

    /** What every page after a break starts with (a table's column heads). */
    public void onNewPage(Consumer<PdfSheet> header) {
        this.pageHeader = header;
    }

    public float y() {
        return y;
    }

    /** Moves the cursor down; starts a new page when fewer than {@code needed} points are left above the bottom margin. */
    public void down(float by, float needed) {
        if (y - by - needed < MARGIN) {
            newPage();
            pageHeader.accept(this);
        } else {
            y -= by;
        }
    }

    public void down(float by) {
        down(by, 0);
    }

    public void text(String text, float x, float size, Align align) {
        text(text, x, y, size, align);
    }

    public void text(String text, float x, float atY, float size, Align align) {
        if (text == null || text.isEmpty()) {
            return;
        }
        show(content, runs(text), x, atY, size, align);
    }

    public float width(String text, float size) {
        return width(runs(text), size);
    }

    private static void show(PDPageContentStream stream, List<Run> runs, float x, float atY, float size, Align align) {
        float width = width(runs, size);
        float left = switch (align) {
            case LEFT -> x;
            case RIGHT -> x - width;
            case CENTER -> x - width / 2;
        };
        try {
            stream.beginText();
            stream.newLineAtOffset(left, atY);
            for (Run run : runs) {
                stream.setFont(run.font(), size);
                stream.showText(run.text());
            }
            stream.endText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float width(List<Run> runs, float size) {
        try {
            float units = 0;
            for (Run run : runs) {
                units += run.font().getStringWidth(run.text());
            }
            return units / 1000 * size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A horizontal rule at the cursor, from margin to margin. */
    public void rule(float lineWidth) {
        line(MARGIN, y, WIDTH - MARGIN, y, lineWidth);
    }

    public void line(float x1, float y1, float x2, float y2, float lineWidth) {
        try {
            content.setLineWidth(lineWidth);
            content.moveTo(x1, y1);
            content.lineTo(x2, y2);
            content.stroke();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void rectangle(float x, float yBottom, float w, float h, float lineWidth) {
        try {
            content.setLineWidth(lineWidth);
            content.addRect(x, yBottom, w, h);
            content.stroke();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Filled squares, {@code cells[row][col]} true = dark, drawn with the top-left corner at (x, top): a QR code as vectors. */
    public void squares(boolean[][] cells, float x, float top, float cell) {
        try {
            for (int r = 0; r < cells.length; r++) {
                for (int c = 0; c < cells[r].length; c++) {
                    if (cells[r][c]) {
                        content.addRect(x + c * cell, top - (r + 1) * cell, cell, cell);
                    }
                }
            }
            content.fill();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes "page n / total" at the foot of every page, then the document. */
    public byte[] finish(java.util.function.BiFunction<Integer, Integer, String> pageLabel) {
        try {
            content.close();
            content = null;
            List<PDPage> pages = new java.util.ArrayList<>();
            doc.getPages().forEach(pages::add);
            for (int i = 0; i < pages.size(); i++) {
                try (PDPageContentStream foot = new PDPageContentStream(doc, pages.get(i), PDPageContentStream.AppendMode.APPEND, true)) {
                    show(foot, runs(pageLabel.apply(i + 1, pages.size())), WIDTH / 2, MARGIN / 2, 8, Align.CENTER);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (content != null) {
                content.close();
            }
            doc.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void newPage() {
        try {
            if (content != null) {
                content.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            content = new PDPageContentStream(doc, page);
            y = HEIGHT - MARGIN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The text cut into runs of one font each; a character neither font has becomes '?', rather than
     * failing a whole document over one rare glyph.
     */
    private List<Run> runs(String text) {
        List<Run> runs = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        int currentFont = -1;
        for (int cp : text.codePoints().toArray()) {
            int f = FONT_OF.computeIfAbsent(cp, this::fontFor);
            if (f < 0) {
                f = 0;
                cp = '?';
            }
            if (f != currentFont && current.length() > 0) {
                runs.add(new Run(fonts[currentFont], current.toString()));
                current.setLength(0);
            }
            currentFont = f;
            current.appendCodePoint(cp);
        }
        if (current.length() > 0) {
            runs.add(new Run(fonts[currentFont], current.toString()));
        }
        return runs;
    }

    private int fontFor(int codePoint) {
        String ch = new String(Character.toChars(codePoint));
        for (int i = 0; i < fonts.length; i++) {
            try {
                fonts[i].encode(ch);
                return i;
            } catch (IllegalArgumentException | IOException e) {
                // not in this font; try the next
            }
        }
        return -1;
    }

    private static byte[] loadFont(String resource) {
        try (InputStream in = PdfSheet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("font " + resource + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

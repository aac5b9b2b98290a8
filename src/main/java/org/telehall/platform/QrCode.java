package org.telehall.platform;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/** QR codes (ZXing): the modules for a PDF to draw, or an SVG for a page. */
public final class QrCode {

    /** White modules around the code, as the standard asks, so a phone's camera finds its edges. */
    static final int QUIET_ZONE = 4;

    private QrCode() {
    }

    /** The code's modules, dark = true, without a quiet zone. */
    public static boolean[][] modules(String content) {
        try {
            BitMatrix matrix = new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.MARGIN, 0, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
            boolean[][] cells = new boolean[matrix.getHeight()][matrix.getWidth()];
            for (int r = 0; r < cells.length; r++) {
                for (int c = 0; c < cells[r].length; c++) {
                    cells[r][c] = matrix.get(c, r);
                }
            }
            return cells;
        } catch (WriterException e) {
            throw new IllegalStateException("cannot encode a QR code of " + content.length() + " characters", e);
        }
    }

    /**
     * The code as an inline SVG that scales to its box: one path, each run of dark modules in a row
     * one rectangle, with the quiet zone. Hidden from screen readers: the page names it around it.
     */
    public static String svg(String content) {
        boolean[][] cells = modules(content);
        int size = cells.length + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder();
        for (int r = 0; r < cells.length; r++) {
            int c = 0;
            while (c < cells[r].length) {
                if (!cells[r][c]) {
                    c++;
                    continue;
                }
                int start = c;
                while (c < cells[r].length && cells[r][c]) {
                    c++;
                }
                path.append('M').append(start + QUIET_ZONE).append(' ').append(r + QUIET_ZONE).append('h').append(c - start).append("v1h-")
                        .append(c - start).append('z');
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size + "\" aria-hidden=\"true\" focusable=\"false\""
                + " shape-rendering=\"crispEdges\"><rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/><path fill=\"#000\" d=\""
                + path + "\"/></svg>";
    }
}

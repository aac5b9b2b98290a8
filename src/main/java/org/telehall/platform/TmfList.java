package org.telehall.platform;

import java.util.List;
import org.springframework.http.ResponseEntity;

/**
 * TMF630 list conventions: {@code offset}/{@code limit} in, {@code X-Total-Count} and
 * {@code X-Result-Count} out.
 */
public final class TmfList {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private TmfList() {
    }

    public record Window(int offset, int limit) {
    }

    public static Window window(Integer offset, Integer limit) {
        int o = offset == null ? 0 : offset;
        int l = limit == null ? DEFAULT_LIMIT : limit;
        if (o < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, was " + o);
        }
        if (l < 1 || l > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + l);
        }
        return new Window(o, l);
    }

    /** A page of items already cut to the window, with the total before cutting. */
    public static <T> ResponseEntity<List<T>> of(List<T> page, long total) {
        return ResponseEntity.ok()
                .header("X-Total-Count", Long.toString(total))
                .header("X-Result-Count", Integer.toString(page.size()))
                .body(page);
    }

    /** Cuts an in-memory list to the window; for lists that are small by nature (a customer's products). */
    public static <T> ResponseEntity<List<T>> slice(List<T> all, Window window) {
        int from = Math.min(window.offset(), all.size());
        int to = Math.min(from + window.limit(), all.size());
        return of(all.subList(from, to), all.size());
    }
}

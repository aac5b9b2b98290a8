package org.telehall.platform;

/**
 * Where the APIs live: telehall's own ({@code /api/…}) and the TM Forum ones ({@code /tmf-api/…}). Their callers are
 * programs — token authentication, problem details, {@code Accept-Language} — not people on pages.
 */
public final class ApiPaths {

    private ApiPaths() {
    }

    /** True for a path (without the context path) under one of the APIs. */
    public static boolean isApi(String path) {
        return path.startsWith("/api/") || path.startsWith("/tmf-api/");
    }
}

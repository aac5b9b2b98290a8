package org.telehall.shared;

/**
 * The thing asked for does not exist, or the caller may not see it: both answer 404, so a caller
 * cannot probe which ids belong to other customers.
 */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what);
    }
}

package org.telehall.platform;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problem details as every API answers them: a type under the project's problem namespace, a title, the detail. */
public final class Problems {

    private Problems() {
    }

    /** {@code type} is the last part of the type URI, e.g. {@code not-found} or a message key such as {@code payment.busy}. */
    public static ProblemDetail of(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://telehall.org/problems/" + type));
        problem.setTitle(title);
        return problem;
    }
}

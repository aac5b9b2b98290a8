package org.telehall.platform;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.NotFoundException;

/**
 * RFC 9457 problem details for API controllers: the API's own errors, and Spring's (bad JSON,
 * missing parameter, wrong method) through {@link ResponseEntityExceptionHandler}. Scoped to REST
 * controllers so that pages keep their HTML error page in the user's language.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler {

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(BusinessRuleException.class)
    ProblemDetail ruleBroken(BusinessRuleException e) {
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, e.code(), "Business rule not met", e.getMessage());
        problem.setProperty("code", e.code());
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badInput(IllegalArgumentException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "bad-request", "Invalid request", e.getMessage());
    }
}

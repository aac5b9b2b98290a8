package org.telehall.usage.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.platform.Tmf;
import org.telehall.usage.Rating;
import org.telehall.usage.RatingOutcome;
import org.telehall.usage.UsageSubmission;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.ObjectMapper;

/**
 * Usage in from the network: a JSON array of TMF635 usage objects, each answered with its own
 * outcome, so one bad record never holds up the rest. For API clients with the {@code network}
 * role only (OAuth2 client credentials).
 */
@RestController
@Tag(name = "usage-batches", description = "Network usage in: TMF635 usage records rated at once (role network)")
class UsageBatchApiController {

    record Result(String id, String status, String reason, String reasonText, Tmf.Amount charge) {
    }

    record BatchResult(int received, int rated, int duplicates, int rejected, List<Result> results) {
    }

    private final Rating rating;
    private final MessageSource messages;
    private final ObjectMapper json;

    UsageBatchApiController(Rating rating, MessageSource messages, ObjectMapper json) {
        this.rating = rating;
        this.messages = messages;
        this.json = json;
    }

    @PostMapping(path = "/api/v1/usage-batches", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Rate a batch of up to 10,000 TMF635 usage records; per-record outcome (rated, duplicate, rejected with reason)")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "a JSON array of TMF635 usage objects", required = true)
    ResponseEntity<?> rate(InputStream body, Locale locale) throws IOException {
        List<UsageSubmission> batch;
        try (JsonParser parser = json.createParser(body)) {
            batch = UsageBatchReader.read(parser, Rating.MAX_BATCH);
        } catch (UsageBatchReader.NotABatch e) {
            return problem(HttpStatus.BAD_REQUEST, "bad-request", "Invalid request", e.getMessage());
        } catch (UsageBatchReader.TooLarge e) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "batch-too-large", "Batch too large",
                    "a usage batch holds at most " + Rating.MAX_BATCH + " records, this one " + e.size);
        } catch (JacksonException e) {
            return problem(HttpStatus.BAD_REQUEST, "bad-request", "Invalid request", "the body is not readable JSON: " + e.getOriginalMessage());
        }
        List<RatingOutcome> outcomes = rating.rate(batch);
        List<Result> results = new ArrayList<>(outcomes.size());
        int rated = 0;
        int duplicates = 0;
        for (RatingOutcome o : outcomes) {
            switch (o.status()) {
                case RATED -> rated++;
                case DUPLICATE -> duplicates++;
                case REJECTED -> { }
            }
            results.add(new Result(o.networkId(), o.status().name().toLowerCase(Locale.ROOT), o.reason(),
                    o.reason() == null ? null : messages.getMessage("usage.rejection." + o.reason(), null, o.reason(), locale),
                    o.charge() == null ? null : Tmf.Amount.of(o.charge())));
        }
        return ResponseEntity.ok(new BatchResult(outcomes.size(), rated, duplicates, outcomes.size() - rated - duplicates, results));
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(java.net.URI.create("https://telehall.org/problems/" + type));
        problem.setTitle(title);
        return ResponseEntity.status(status).body(problem);
    }
}

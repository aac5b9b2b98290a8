package org.telehall.usage.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.platform.Tmf;
import org.telehall.usage.Rating;
import org.telehall.usage.RatingOutcome;
import org.telehall.usage.UsageSubmission;
import tools.jackson.databind.JsonNode;

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

    UsageBatchApiController(Rating rating, MessageSource messages) {
        this.rating = rating;
        this.messages = messages;
    }

    @PostMapping("/api/v1/usage-batches")
    @Operation(summary = "Rate a batch of up to 10,000 TMF635 usage records; per-record outcome (rated, duplicate, rejected with reason)")
    ResponseEntity<?> rate(@RequestBody JsonNode body, Locale locale) {
        if (body == null || !body.isArray()) {
            return problem(HttpStatus.BAD_REQUEST, "bad-request", "Invalid request", "the body must be a JSON array of TMF635 usage objects");
        }
        if (body.size() > Rating.MAX_BATCH) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "batch-too-large", "Batch too large",
                    "a usage batch holds at most " + Rating.MAX_BATCH + " records, this one " + body.size());
        }
        List<UsageSubmission> batch = new ArrayList<>(body.size());
        body.forEach(node -> batch.add(submission(node)));
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

    /** TMF635 usage → submission: the line and amounts come as usageCharacteristic entries. */
    static UsageSubmission submission(JsonNode usage) {
        String id = text(usage.get("id"));
        String msisdn = null;
        String direction = null;
        String otherParty = null;
        String country = null;
        String unit = null;
        BigDecimal quantity = null;
        JsonNode chars = usage.get("usageCharacteristic");
        if (chars != null && chars.isArray()) {
            for (JsonNode c : chars) {
                String name = text(c.get("name"));
                JsonNode value = c.get("value");
                if (name == null || value == null) {
                    continue;
                }
                switch (name) {
                    case "networkId" -> id = id == null ? text(value) : id;
                    case "msisdn" -> msisdn = text(value);
                    case "direction" -> direction = text(value);
                    case "otherParty" -> otherParty = text(value);
                    case "roamingCountry" -> country = text(value);
                    case "unit", "units" -> unit = text(value);
                    case "volumeKB" -> {
                        quantity = number(value);
                        unit = "KB";
                    }
                    case "durationSeconds" -> {
                        quantity = number(value);
                        unit = "S";
                    }
                    case "messages" -> quantity = number(value);
                    case "quantity" -> {
                        if (value.isObject()) {
                            quantity = number(value.get("amount"));
                            unit = text(value.get("units"));
                        } else {
                            quantity = number(value);
                        }
                    }
                    default -> { }
                }
            }
        }
        JsonNode parties = usage.get("relatedParty");
        if (msisdn == null && parties != null && parties.isArray()) {
            for (JsonNode p : parties) {
                if ("line".equalsIgnoreCase(text(p.get("role"))) || "subscriber".equalsIgnoreCase(text(p.get("role")))) {
                    msisdn = text(p.get("id"));
                }
            }
        }
        return new UsageSubmission(id, msisdn, text(usage.get("usageType")), direction, text(usage.get("usageDate")),
                otherParty, quantity, unit, country);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainer() ? null : node.asString();
    }

    private static BigDecimal number(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        try {
            return new BigDecimal(node.asString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(java.net.URI.create("https://telehall.org/problems/" + type));
        problem.setTitle(title);
        return ResponseEntity.status(status).body(problem);
    }
}

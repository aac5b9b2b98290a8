package org.telehall.identity.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.identity.ApiTokens;
import org.telehall.identity.HallUser;
import org.telehall.identity.SignIn;
import org.telehall.shared.BusinessRuleException;

/** Token sign-in for API clients: password, then the SMS code, then a Bearer token. */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "auth", description = "Sign in with phone number, password and SMS code")
class AuthApiController {

    record LoginRequest(String msisdn, String password) {
    }

    record CodeSent(String status, @JsonProperty("code_expires_at") Instant codeExpiresAt) {
    }

    record VerifyRequest(String msisdn, String code) {
    }

    record TokenResponse(@JsonProperty("access_token") String accessToken,
                         @JsonProperty("token_type") String tokenType,
                         @JsonProperty("expires_in") long expiresIn) {
    }

    private final SignIn signIn;
    private final ApiTokens tokens;

    AuthApiController(SignIn signIn, ApiTokens tokens) {
        this.signIn = signIn;
        this.tokens = tokens;
    }

    @PostMapping("/login")
    @Operation(summary = "Check phone number and password; a 6-digit code is sent by SMS")
    ResponseEntity<CodeSent> login(@RequestBody LoginRequest body, Locale locale) {
        if (body == null || body.msisdn() == null || body.password() == null) {
            throw new IllegalArgumentException("msisdn and password are required");
        }
        SignIn.Challenge challenge = signIn.checkPassword(body.msisdn(), body.password(), locale);
        if (challenge.msisdn() == null) {
            throw new IllegalArgumentException("this account has no phone number; staff sign in on the pages");
        }
        return ResponseEntity.accepted().body(new CodeSent("code_sent", challenge.codeExpiresAt()));
    }

    @PostMapping("/verify")
    @Operation(summary = "Exchange the SMS code for a Bearer token")
    TokenResponse verify(@RequestBody VerifyRequest body) {
        if (body == null || body.msisdn() == null || body.code() == null) {
            throw new IllegalArgumentException("msisdn and code are required");
        }
        HallUser user = signIn.checkCode(body.msisdn(), body.code().trim());
        ApiTokens.Token token = tokens.issue(user);
        return new TokenResponse(token.accessToken(), "Bearer", token.expiresInSeconds());
    }

    @ExceptionHandler(SignIn.Refused.class)
    ResponseEntity<ProblemDetail> refused(SignIn.Refused refused) {
        HttpStatus status = refused.reason() == SignIn.Refusal.LOCKED ? HttpStatus.LOCKED : HttpStatus.UNAUTHORIZED;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, switch (refused.reason()) {
            case BAD_CREDENTIALS -> "phone number or password is wrong";
            case LOCKED -> "too many failed attempts; sign-in is locked until " + refused.lockedUntil();
            case WRONG_CODE -> "the code is wrong";
            case CODE_EXPIRED -> "the code has expired; ask for a new one";
            case NO_CODE -> "no code is waiting; sign in with your password first";
        });
        problem.setType(URI.create("https://telehall.org/problems/login-" + refused.reason().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle("Sign-in refused");
        if (refused.lockedUntil() != null) {
            problem.setProperty("lockedUntil", refused.lockedUntil().toString());
        }
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(BusinessRuleException.class)
    ResponseEntity<ProblemDetail> rule(BusinessRuleException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setType(URI.create("https://telehall.org/problems/" + e.code()));
        problem.setTitle("Too many codes");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

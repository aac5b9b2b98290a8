package org.telehall.identity;

import java.io.IOException;
import java.time.Duration;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.telehall.platform.StripedSecureRandom;
import org.telehall.platform.Secrets;
import org.telehall.platform.ApiPaths;

/**
 * Two doors. The API ({@code /api/**}, {@code /tmf-api/**}) is stateless with Bearer tokens and
 * answers 401/403 as problem details. The pages use a session (idle and absolute timeouts, a new
 * session id at sign-in, CSRF tokens) and send strangers to the sign-in page.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final Duration ABSOLUTE_SESSION_TIMEOUT = Duration.ofHours(8);
    static final String SESSION_STARTED = "telehall.sessionStarted";

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    @Bean
    JwtDecoder jwtDecoder(Secrets secrets, java.time.Clock clock) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(ApiTokens.key(secrets)).macAlgorithm(MacAlgorithm.HS256).build();
        // expiry checked on the hall's clock, the one that issued the token
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(ApiTokens.ISSUER));
        decoder.setJwtValidator(validator);
        // tokens live 30 minutes (people's and network clients'); a token is remembered no longer than that plus the
        // validator's clock skew, and the validator runs on every use anyway
        return new CheckedTokens(decoder, validator, 10_000, ApiTokens.LIFETIME.plus(Duration.ofMinutes(2)));
    }

    /**
     * The payment providers' door: their asynchronous notifications, which carry the provider's signature instead of a
     * token (nothing in one is trusted until that signature checks out), and the simulated providers' controls
     * ({@code /sim/{provider}/orders/…}). Nobody signs in here, so the chain keeps only what such a call needs (security
     * headers, no CSRF as for any server-to-server call) and leaves out what it would do for nothing on every call: no
     * Bearer token lookup, no anonymous user, no saved request, no session, no logout, no servlet API wrappers. Three of
     * a top-up's four requests come through here.
     */
    @Bean
    @Order(1)
    SecurityFilterChain providers(HttpSecurity http) throws Exception {
        http.securityMatcher(SecurityConfig::isProviderCall)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                .servletApi(api -> api.disable())
                .logout(logout -> logout.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    /** A provider's notification (POST only) or a simulated provider's control. */
    static boolean isProviderCall(HttpServletRequest request) {
        String path = request.getRequestURI();
        return (path.startsWith("/api/v1/payments/notify/") && "POST".equals(request.getMethod()))
                || (path.startsWith("/sim/") && path.contains("/orders/"));
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        RequestMatcher apiPaths = request -> ApiPaths.isApi(request.getRequestURI());
        http.securityMatcher(apiPaths)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/v1/auth/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/tmf-api/productCatalogManagement/v4/**").permitAll()
                        .requestMatchers("/api/v1/usage-batches", "/api/v1/usage-batches/**").hasRole(Role.NETWORK.name())
                        .anyRequest().hasAnyRole(Role.SUBSCRIBER.name(), Role.AGENT.name(), Role.ADMIN.name()))
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(SecurityConfig::toHallAuthentication))
                        .authenticationEntryPoint((req, res, e) -> ProblemResponses.write(res, HttpStatus.UNAUTHORIZED,
                                "unauthorized", "Authentication required", "a valid Bearer token is required"))
                        .accessDeniedHandler((req, res, e) -> ProblemResponses.write(res, HttpStatus.FORBIDDEN,
                                "forbidden", "Forbidden", "this token may not do that")))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> ProblemResponses.write(res, HttpStatus.UNAUTHORIZED,
                                "unauthorized", "Authentication required", "a valid Bearer token is required"))
                        .accessDeniedHandler((req, res, ex) -> ProblemResponses.write(res, HttpStatus.FORBIDDEN,
                                "forbidden", "Forbidden", "this token may not do that")));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain pages(HttpSecurity http, SecurityContextRepository contexts) throws Exception {
        http.securityContext(c -> c.securityContextRepository(contexts))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/login", "/login/**", "/tariffs", "/lang", "/error", "/favicon.ico",
                                "/css/**", "/js/**", "/img/**", "/webjars/**", "/dev/**", "/sim/**",
                                "/actuator/health/**", "/actuator/prometheus", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        .requestMatchers("/admin/**").hasRole("ADMIN")
                        .requestMatchers("/agent/**").hasAnyRole("AGENT", "ADMIN")
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
                .csrf(csrf -> csrf.csrfTokenRequestHandler(maskedCsrfTokens()))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?bye"))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'")))
                .addFilterBefore(new AbsoluteSessionTimeout(), org.springframework.security.web.context.SecurityContextHolderFilter.class);
        return http.build();
    }

    /** Spring Security's default (a token masked afresh per response, against BREACH), drawing from a few shared generators. */
    private static XorCsrfTokenRequestAttributeHandler maskedCsrfTokens() {
        XorCsrfTokenRequestAttributeHandler handler = new XorCsrfTokenRequestAttributeHandler();
        handler.setSecureRandom(new StripedSecureRandom());
        return handler;
    }

    private static HallAuthentication toHallAuthentication(Jwt jwt) {
        Role role = Role.valueOf(jwt.getClaimAsString("role"));
        if (role == Role.NETWORK) {
            // a network client's subject is its client id; it is nobody's user and no customer's
            return new HallAuthentication(new HallUser(0, jwt.getSubject(), role, null, jwt.getSubject()));
        }
        Number customerId = jwt.getClaim("customer_id");
        return new HallAuthentication(new HallUser(Long.parseLong(jwt.getSubject()), jwt.getClaimAsString("username"),
                role, customerId == null ? null : customerId.longValue(), jwt.getClaimAsString("name")));
    }

    /** Ends a page session a fixed time after sign-in, however active it has been. */
    static final class AbsoluteSessionTimeout extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            HttpSession session = request.getSession(false);
            if (session != null && session.getAttribute(SESSION_STARTED) instanceof Long started
                    && System.currentTimeMillis() - started > ABSOLUTE_SESSION_TIMEOUT.toMillis()) {
                session.invalidate();
            }
            chain.doFilter(request, response);
        }
    }
}

package org.telehall.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.telehall.platform.Secrets;

/**
 * {@code POST /oauth2/token} (Spring Authorization Server) for network clients: client credentials
 * with HTTP Basic. The access token is the same kind of HS256 JWT the hall issues to people, so the
 * one resource-server decoder checks both; it carries the role NETWORK and the hall clock's times.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NetworkClients.class)
class AuthorizationServerConfig {

    static final String NETWORK_SCOPE = "network";
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);

    @Bean
    @Order(0)
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(as -> http.securityMatcher(as.getEndpointsMatcher()))
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint((req, res, ex) -> ProblemResponses.write(res,
                        HttpStatus.UNAUTHORIZED, "unauthorized", "Authentication required", "client credentials are required")));
        return http.build();
    }

    @Bean
    RegisteredClientRepository registeredClients(NetworkClients clients, PasswordEncoder passwords) {
        Map<String, RegisteredClient> byClientId = clients.networkClients().stream()
                .map(c -> RegisteredClient.withId(UUID.nameUUIDFromBytes(c.id().getBytes()).toString())
                        .clientId(c.id())
                        .clientSecret(passwords.encode(c.secret()))
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                        .scope(NETWORK_SCOPE)
                        .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(TOKEN_LIFETIME).build())
                        .build())
                .collect(Collectors.toUnmodifiableMap(RegisteredClient::getClientId, Function.identity()));
        Map<String, RegisteredClient> byId = byClientId.values().stream()
                .collect(Collectors.toUnmodifiableMap(RegisteredClient::getId, Function.identity()));
        return new RegisteredClientRepository() {
            @Override
            public void save(RegisteredClient registeredClient) {
                throw new UnsupportedOperationException("network clients come from configuration");
            }

            @Override
            public RegisteredClient findById(String id) {
                return byId.get(id);
            }

            @Override
            public RegisteredClient findByClientId(String clientId) {
                return byClientId.get(clientId);
            }
        };
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder().build();
    }

    @Bean
    JwtEncoder networkTokenEncoder(Secrets secrets) {
        return NimbusJwtEncoder.withSecretKey(ApiTokens.key(secrets)).build();
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> networkTokenClaims(Clock clock) {
        return context -> {
            Instant now = clock.instant();
            String client = context.getRegisteredClient().getClientId();
            context.getJwsHeader().algorithm(MacAlgorithm.HS256);
            context.getClaims().issuer(ApiTokens.ISSUER).issuedAt(now).notBefore(now).expiresAt(now.plus(TOKEN_LIFETIME))
                    .claim("role", Role.NETWORK.name()).claim("username", client).claim("name", client);
        };
    }
}

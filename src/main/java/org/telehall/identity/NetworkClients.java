package org.telehall.identity;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * API clients of the network (mediation, switches): they post usage with OAuth2 client credentials
 * and get the role {@code network}, never a subscriber's rights. None unless configured; the demo
 * profile has {@code demo-network}.
 */
@ConfigurationProperties("telehall")
record NetworkClients(List<Client> networkClients) {

    record Client(String id, String secret) {
    }

    NetworkClients {
        networkClients = networkClients == null ? List.of() : List.copyOf(networkClients);
    }
}

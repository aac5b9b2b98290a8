package org.telehall.payment.simulator;

import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.telehall.payment.PaymentMethod;

/**
 * The three simulated providers, on unless {@code telehall.payments.simulator=false} (an operator
 * with real provider adapters configures those instead).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "telehall.payments.simulator", havingValue = "true", matchIfMissing = true)
class SimulatorConfig {

    @Bean
    SimulatedProvider alipaySimulator(JdbcClient jdbc, Clock clock, @Value("${telehall.base-url}") String baseUrl,
                                     @Value("${telehall.payments.settlement-dir}") Path settlementDir, SimulatorNotifier notifier) {
        return new SimulatedProvider(PaymentMethod.ALIPAY, jdbc, clock, baseUrl, settlementDir, notifier);
    }

    @Bean
    SimulatedProvider wechatSimulator(JdbcClient jdbc, Clock clock, @Value("${telehall.base-url}") String baseUrl,
                                     @Value("${telehall.payments.settlement-dir}") Path settlementDir, SimulatorNotifier notifier) {
        return new SimulatedProvider(PaymentMethod.WECHAT, jdbc, clock, baseUrl, settlementDir, notifier);
    }

    @Bean
    SimulatedProvider unionpaySimulator(JdbcClient jdbc, Clock clock, @Value("${telehall.base-url}") String baseUrl,
                                     @Value("${telehall.payments.settlement-dir}") Path settlementDir, SimulatorNotifier notifier) {
        return new SimulatedProvider(PaymentMethod.UNIONPAY, jdbc, clock, baseUrl, settlementDir, notifier);
    }

    @Bean
    SimulatorNotifier simulatorNotifier(@Value("${telehall.payments.simulator-late-by:5s}") Duration lateBy) {
        return new SimulatorNotifier(lateBy);
    }
}

package dev.switchboard.server.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SipMetricsTest {

    @Test
    void finalResponsesAreTimedPerStatusAsPrometheusShowsThem() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SipMetrics metrics = new SipMetrics(registry);

        metrics.sent(486, Duration.ofMillis(4));
        metrics.sent(486, Duration.ofMillis(6));
        metrics.sent(200, Duration.ofMillis(900));

        String scrape = registry.scrape();
        assertThat(scrape).contains("switchboard_sip_final_response_seconds_count{status=\"486\"} 2",
                "switchboard_sip_final_response_seconds_sum{status=\"486\"} 0.01",
                "switchboard_sip_final_response_seconds_count{status=\"200\"} 1",
                "switchboard_sip_final_response_seconds{status=\"486\",quantile=\"0.99\"}");
    }
}

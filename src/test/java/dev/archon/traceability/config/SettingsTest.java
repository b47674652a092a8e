package dev.archon.traceability.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archon.traceability.db.DatabaseSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings of(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void durationsTakeUnitsAndBareSeconds() {
        Settings s = of(Map.of("a", "500ms", "b", "30s", "c", "5m", "d", "2h", "e", "60", "f", " 1d "));
        assertThat(s.duration("a", null)).isEqualTo(Duration.ofMillis(500));
        assertThat(s.duration("b", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.duration("c", null)).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.duration("d", null)).isEqualTo(Duration.ofHours(2));
        assertThat(s.duration("e", null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.duration("f", null)).isEqualTo(Duration.ofDays(1));
        assertThat(s.duration("missing", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void blankMeansUnset() {
        assertThat(of(Map.of("k", "  ")).optional("k")).isEmpty();
        assertThat(of(Map.of("k", "")).integer("k", 5)).isEqualTo(5);
    }

    @Test
    void invalidValuesNameTheKeyTheValueAndTheEnvironmentVariable() {
        Settings s = of(Map.of("traceability.db.pool.max-size", "twenty", "x.flag", "yes", "x.t", "10 parsecs"));
        assertThatThrownBy(() -> s.integer("traceability.db.pool.max-size", 20))
                .hasMessage("Setting traceability.db.pool.max-size = 'twenty' is invalid: expected a whole number"
                        + " (set it in config/application.properties or with the environment variable"
                        + " TRACEABILITY_DB_POOL_MAX_SIZE)");
        assertThatThrownBy(() -> s.bool("x.flag", false)).hasMessageContaining("expected true or false");
        assertThatThrownBy(() -> s.duration("x.t", null)).hasMessageContaining("expected a duration");
    }

    @Test
    void databaseDefaultsAreTheRunbooks() {
        DatabaseSettings db = DatabaseSettings.from(of(Map.of()));
        assertThat(db.external()).isEmpty();
        assertThat(db.poolMinIdle()).isEqualTo(5);
        assertThat(db.poolMaxSize()).isEqualTo(20);
        assertThat(db.poolIdleTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(db.statementTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(db.embeddedDataDir().toString()).isEqualTo("data/postgres");
    }

    @Test
    void poolBoundsAreChecked() {
        assertThatThrownBy(() -> DatabaseSettings.from(of(Map.of("traceability.db.pool.min-idle", "30"))))
                .hasMessageContaining("min-idle");
    }
}

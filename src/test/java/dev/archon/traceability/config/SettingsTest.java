package dev.archon.traceability.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archon.traceability.db.DatabaseSettings;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings of(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }

    /** The shipped defaults: config/application.properties, the one place they live. */
    private static Map<String, String> defaults() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("config/application.properties"))) {
            p.load(r);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    @Test
    void durationsTakeUnitsAndBareSeconds() {
        Settings s = of(Map.of("a", "500ms", "b", "30s", "c", "5m", "d", "2h", "e", "60", "f", " 1d "));
        assertThat(s.duration("a")).isEqualTo(Duration.ofMillis(500));
        assertThat(s.duration("b")).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.duration("c")).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.duration("d")).isEqualTo(Duration.ofHours(2));
        assertThat(s.duration("e")).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.duration("f")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void blankMeansUnsetAndAMissingKeyIsNamed() {
        assertThat(of(Map.of("k", "  ")).optional("k")).isEmpty();
        assertThatThrownBy(() -> of(Map.of("traceability.x", "")).integer("traceability.x"))
                .hasMessage("Setting traceability.x has no value (set it in config/application.properties or with"
                        + " the environment variable TRACEABILITY_X)");
    }

    @Test
    void invalidValuesNameTheKeyTheValueAndTheEnvironmentVariable() {
        Settings s = of(Map.of("traceability.db.pool.max-size", "twenty", "x.flag", "yes", "x.t", "10 parsecs"));
        assertThatThrownBy(() -> s.integer("traceability.db.pool.max-size"))
                .hasMessage("Setting traceability.db.pool.max-size = 'twenty' is invalid: expected a whole number"
                        + " (set it in config/application.properties or with the environment variable"
                        + " TRACEABILITY_DB_POOL_MAX_SIZE)");
        assertThatThrownBy(() -> s.bool("x.flag")).hasMessageContaining("expected true or false");
        assertThatThrownBy(() -> s.duration("x.t")).hasMessageContaining("expected a duration");
    }

    @Test
    void databaseDefaultsAreTheRunbooks() throws Exception {
        DatabaseSettings db = DatabaseConfiguration.databaseSettings(of(defaults()));
        assertThat(db.external()).isEmpty();
        assertThat(db.poolMinIdle()).isEqualTo(5);
        assertThat(db.poolMaxSize()).isEqualTo(20);
        assertThat(db.poolIdleTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(db.statementTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(db.embeddedDataDir().toString()).isEqualTo("data/postgres");
    }

    @Test
    void poolBoundsAreChecked() throws Exception {
        Map<String, String> settings = defaults();
        settings.put("traceability.db.pool.min-idle", "30");
        assertThatThrownBy(() -> DatabaseConfiguration.databaseSettings(of(settings))).hasMessageContaining("min-idle");
    }
}

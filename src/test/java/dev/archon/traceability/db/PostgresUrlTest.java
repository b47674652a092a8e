package dev.archon.traceability.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    @Test
    void libpqUriWithPasswordAndSslMode() {
        PostgresUrl url = PostgresUrl.parse("postgresql://archon:s3cr%40t@db.internal:6543/omninode_bridge?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/omninode_bridge?sslmode=require");
        assertThat(url.user()).isEqualTo("archon");
        assertThat(url.password()).isEqualTo("s3cr@t");
        assertThat(url.database()).isEqualTo("omninode_bridge");
        assertThat(url.toString()).doesNotContain("s3cr").contains("archon:***@db.internal");
    }

    @Test
    void withoutPasswordOrPortAndWithThePostgresScheme() {
        PostgresUrl url = PostgresUrl.parse("postgres://archon@localhost/bridge");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/bridge");
        assertThat(url.user()).isEqualTo("archon");
        assertThat(url.password()).isNull();
    }

    @Test
    void databaseDefaultsToTheUserNameAsInLibpq() {
        assertThat(PostgresUrl.parse("postgresql://archon@host:5432").database()).isEqualTo("archon");
        assertThat(PostgresUrl.parse("postgresql://archon@host:5432/").database()).isEqualTo("archon");
    }

    @Test
    void libpqParametersBecomeTheirJdbcNames() {
        PostgresUrl url = PostgresUrl.parse("postgresql://u@h1:5432,h2:5433/db?application_name=trace"
                + "&connect_timeout=5&target_session_attrs=read-write&user=ignored");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/db"
                + "?ApplicationName=trace&connectTimeout=5&targetServerType=primary");
        assertThat(url.user()).isEqualTo("u");
    }

    @Test
    void credentialsMayComeAsParameters() {
        PostgresUrl url = PostgresUrl.parse("postgresql://host/db?user=archon&password=pw");
        assertThat(url.user()).isEqualTo("archon");
        assertThat(url.password()).isEqualTo("pw");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host/db");
    }

    @Test
    void rejectsOtherSchemesAndUnknownParametersClearly() {
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://root:pw@host/db"))
                .hasMessageContaining("expected a libpq URI").hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://h/db?sslmod=require"))
                .hasMessageContaining("unsupported connection parameter 'sslmod'").hasMessageContaining("sslmode");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://h/db?sslmode"))
                .hasMessageContaining("'sslmode' has no value");
    }

    @Test
    void anotherDatabaseOnTheSameServerAndCredentials() {
        PostgresUrl url = PostgresUrl.parse("postgresql://a:pw@h:5433/live?sslmode=require&dbname=live");
        PostgresUrl scratch = url.withDatabase("phase4_recovery_1");
        assertThat(scratch.database()).isEqualTo("phase4_recovery_1");
        assertThat(scratch.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5433/phase4_recovery_1?sslmode=require");
        assertThat(scratch.password()).isEqualTo("pw");
        assertThat(scratch.withoutPassword()).isEqualTo("postgresql://a@h:5433/phase4_recovery_1?sslmode=require");
    }

    @Test
    void redactsPasswordsInBothPlaces() {
        assertThat(PostgresUrl.redact("postgresql://a:b@h/db?password=c&sslmode=x"))
                .isEqualTo("postgresql://a:***@h/db?password=***&sslmode=x");
    }
}

package dev.archon.traceability.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The migration folder's rules, read from the files: every SQL function has its current definition in a repeatable
 * migration (R__*.sql), so the next change is an edit of one file rather than a new V file restating it; and the
 * README's layout names every versioned migration.
 */
class MigrationFilesTest {

    private static final Path MIGRATIONS = Path.of("sql/migrations");
    private static final Pattern FUNCTION = Pattern.compile(
            "CREATE\\s+(?:OR\\s+REPLACE\\s+)?FUNCTION\\s+([a-z_][a-z0-9_]*)\\s*\\(", Pattern.CASE_INSENSITIVE);

    @Test
    void everyFunctionAVersionedMigrationCreatedIsDefinedInARepeatableOne() throws IOException {
        Set<String> versioned = functions(files("V"));
        Set<String> repeatable = functions(files("R__"));
        assertThat(versioned).contains("get_lineage_path", "ensure_monthly_partition", "rebuild_execution_rollups");
        assertThat(repeatable).as("functions whose current definition is in R__*.sql").containsAll(versioned);
        assertThat(Tables.FUNCTIONS).as("Tables.FUNCTIONS").containsExactlyInAnyOrderElementsOf(repeatable);
    }

    @Test
    void theReadmesLayoutNamesEveryVersionedMigration() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String layout = readme.substring(readme.indexOf("## Layout"));
        layout = layout.substring(layout.indexOf("sql/migrations/"), layout.indexOf("sql/queries/"));
        for (Path v : files("V")) {
            String version = v.getFileName().toString().replaceFirst("__.*", "");
            assertThat(layout).as(v.getFileName().toString()).containsPattern("\\b" + version + "\\b");
        }
    }

    private static List<Path> files(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }

    private static Set<String> functions(List<Path> files) throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path f : files) {
            Matcher m = FUNCTION.matcher(Files.readString(f));
            while (m.find()) {
                names.add(m.group(1).toLowerCase());
            }
        }
        return names;
    }
}

package dev.archon.traceability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void noArgumentsStartTheService() {
        assertThat(CommandLine.parse()).isInstanceOf(CommandLine.Serve.class);
    }

    @Test
    void helpInEachSpelling() {
        assertThat(CommandLine.parse("help")).isInstanceOf(CommandLine.Help.class);
        assertThat(CommandLine.parse("--help")).isInstanceOf(CommandLine.Help.class);
        assertThat(CommandLine.parse("-h")).isInstanceOf(CommandLine.Help.class);
        assertThat(CommandLine.USAGE).contains("maintenance", "weekly-maintenance", "archive", "backup",
                "health-check", "restore <file | name | latest> [--pattern <uuid>] [--dry-run]", "Exit codes");
    }

    @Test
    void jobCommandsNameTheirJob() {
        assertThat(CommandLine.parse("maintenance")).isEqualTo(new CommandLine.Job("daily-maintenance", false));
        assertThat(CommandLine.parse("archive", "--dry-run")).isEqualTo(new CommandLine.Job("archival", true));
        assertThat(CommandLine.parse("backup")).isEqualTo(new CommandLine.Job("backup", false));
    }

    @Test
    void restoreTakesADumpAndOptionallyAPattern() {
        UUID p = UUID.randomUUID();
        assertThat(CommandLine.parse("restore", "latest")).isEqualTo(new CommandLine.Restore("latest", null, false));
        assertThat(CommandLine.parse("restore", "--pattern", p.toString(), "x.dump", "--dry-run"))
                .isEqualTo(new CommandLine.Restore("x.dump", p, true));
    }

    @Test
    void badUsageSaysWhat() {
        assertThat(CommandLine.parse("frobnicate")).isEqualTo(new CommandLine.Usage("unknown command 'frobnicate'"));
        assertThat(CommandLine.parse("restore")).isInstanceOf(CommandLine.Usage.class)
                .extracting(u -> ((CommandLine.Usage) u).error()).asString().contains("which dump?");
        assertThat(CommandLine.parse("restore", "latest", "--pattern")).isEqualTo(
                new CommandLine.Usage("restore: --pattern needs a pattern id (uuid)"));
        assertThat(CommandLine.parse("restore", "latest", "--pattern", "nope")).isEqualTo(
                new CommandLine.Usage("restore: --pattern nope is not a UUID"));
        assertThat(CommandLine.parse("backup", "--force")).isEqualTo(
                new CommandLine.Usage("backup: unexpected --force"));
        assertThat(CommandLine.parse("health-check", "--dry-run")).isInstanceOf(CommandLine.Usage.class);
    }
}

package dev.archon.traceability.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ops/RUNBOOK.md against the files it names: every alert's runbook link lands on a section, every link inside the
 * runbook resolves, every runnable block is valid bash, and the scripts, rules and unit it names are there and agree.
 * (OpsRunbookIT runs the runnable blocks against a started instance.)
 */
class RunbookTest {

    private final RunbookFile runbook = RunbookFile.read();

    RunbookTest() throws Exception {
    }

    @Test
    void everyAlertsRunbookAnnotationPointsToASectionOfTheRunbook() throws Exception {
        String rules = Files.readString(Path.of("ops/prometheus/phase4_alerts.yml"));
        List<String> alerts = all(Pattern.compile("- alert: (\\S+)"), rules);
        List<String> links = all(Pattern.compile("runbook: ops/RUNBOOK\\.md#(\\S+)"), rules);
        assertThat(alerts).hasSize(11);
        assertThat(links).as("one runbook link per alert, named after it")
                .containsExactlyElementsOf(alerts.stream().map(a -> a.toLowerCase()).toList());
        assertThat(runbook.anchors()).containsAll(links);
    }

    @Test
    void everyLinkInsideTheRunbookResolves() {
        List<String> anchors = all(Pattern.compile("\\]\\(#([^)]+)\\)"), runbook.text());
        assertThat(anchors).isNotEmpty();
        assertThat(runbook.anchors()).containsAll(anchors);
        for (String file : all(Pattern.compile("\\]\\((?!#|https?:)([^)#]+)\\)"), runbook.text())) {
            assertThat(RunbookFile.PATH.resolveSibling(file)).as(file).exists();
        }
    }

    @Test
    void everyRunnableBlockIsValidBashAndTheScriptsItRunsAreThere() throws Exception {
        List<RunbookFile.Block> blocks = runbook.runnableBlocks();
        assertThat(blocks).hasSizeGreaterThan(20);
        for (RunbookFile.Block block : blocks) {
            Process p = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
            p.getOutputStream().write(block.code().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(block + ": " + out).isZero();
        }
        for (String script : all(Pattern.compile("(ops/scripts/[\\w.]+\\.sh)"), runbook.text())) {
            assertThat(Path.of(script)).as(script).isExecutable();
        }
    }

    @Test
    void theSystemdUnitRunsTheJarWhereTheRunbookInstallsIt() throws Exception {
        String unit = Files.readString(Path.of("ops/systemd/pattern-traceability.service"));
        assertThat(unit).contains("WorkingDirectory=/opt/pattern-traceability\n")
                .contains("-jar /opt/pattern-traceability/pattern-traceability.jar")
                .contains("EnvironmentFile=-/etc/pattern-traceability/env")
                .contains("SuccessExitStatus=143");
        assertThat(runbook.text()).contains("/opt/pattern-traceability/pattern-traceability.jar")
                .contains("/etc/pattern-traceability/env").contains("ops/systemd/pattern-traceability.service");
        // the scrape config the runbook points to has the job the rules expect
        assertThat(Files.readString(Path.of("ops/prometheus/prometheus.yml"))).contains("job_name: pattern-traceability");
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}

package dev.archon.traceability.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The service's log: one line for each inbox file ingested, each job run and each feedback-loop workflow, each with
 * its correlation id (MDC correlation_id: the file's content hash, the run id, the workflow id); and the JSON format
 * chosen by the one setting TRACEABILITY_LOG_FORMAT, with that id in the line's mdc.
 */
class LogLinesTest {

    @TempDir
    static Path inbox;

    private static final List<ILoggingEvent> LINES = new CopyOnWriteArrayList<>();
    private static final AppenderBase<ILoggingEvent> CAPTURE = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // the MDC of the thread that logged, now
            LINES.add(event);
        }
    };

    private static RunningService service;

    @BeforeAll
    static void start() {
        CAPTURE.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        CAPTURE.start();
        root().addAppender(CAPTURE);
        service = RunningService.onExternal(TestPostgres.server().createDatabase(),
                RunningService.props("traceability.inbox.dir", inbox.toString()));
    }

    @AfterAll
    static void stop() {
        root().detachAppender(CAPTURE);
        if (service != null) {
            service.close();
        }
    }

    @Test
    void anInboxFileLogsOneLineWithItsContentHash() throws Exception {
        byte[] content = "{\"event_type\":\"pattern_created\",\"pattern_name\":\"logged-file\"}\n"
                .getBytes(StandardCharsets.UTF_8);
        String id = "file-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))
                .substring(0, 16);
        Path dir = Files.createDirectories(inbox.resolve("lineage"));
        Files.write(dir.resolve("logged.ndjson.tmp"), content);
        Files.move(dir.resolve("logged.ndjson.tmp"), dir.resolve("logged.ndjson"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !about("Inbox file logged.ndjson").isEmpty());
        List<ILoggingEvent> lines = about("Inbox file logged.ndjson");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).getFormattedMessage()).contains("1 stored");
        assertThat(lines.get(0).getMDCPropertyMap()).containsEntry("correlation_id", id);
    }

    @Test
    void aJobRunLogsItsOutcomeWithItsRunId() throws Exception {
        Response run = service.send(HttpRequest.newBuilder(service.uri("/api/admin/jobs/health-check/run"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(run.status()).as(run.body()).isEqualTo(202);
        String runId = Json.mapper().readTree(run.body()).get("run_id").asText();

        await().atMost(Duration.ofSeconds(30)).until(() -> !about("Job health-check succeeded").isEmpty());
        List<ILoggingEvent> outcome = about("Job health-check succeeded");
        assertThat(outcome).hasSize(1);
        assertThat(outcome.get(0).getMDCPropertyMap()).containsEntry("correlation_id", runId);
    }

    @Test
    void aWorkflowLogsItsOutcomeWithItsIdAndTheJsonFormatCarriesIt() throws Exception {
        Response tracked = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"event_type\":\"pattern_created\",\"pattern_name\":\"logged-workflow\"}")));
        assertThat(tracked.status()).as(tracked.body()).isEqualTo(201);
        String pattern = Json.mapper().readTree(tracked.body()).get("pattern_id").asText();
        Response triggered = service.send(HttpRequest.newBuilder(service.uri("/api/feedback-loop/trigger"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"pattern_id\":\"" + pattern + "\"}")));
        assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
        String workflow = Json.mapper().readTree(triggered.body()).get("workflow_id").asText();

        String ended = "Workflow " + workflow + " of pattern " + pattern + " ended";
        await().atMost(Duration.ofSeconds(30)).until(() -> !about(ended).isEmpty());
        List<ILoggingEvent> lines = about(ended);
        assertThat(lines).hasSize(1);
        ILoggingEvent line = lines.get(0);
        assertThat(line.getMDCPropertyMap()).containsEntry("correlation_id", workflow);

        // the same line as TRACEABILITY_LOG_FORMAT=json writes it (logback.xml, configured with that one setting)
        JsonNode json = Json.mapper().readTree(encode("json", line));
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("formattedMessage").asText()).startsWith(ended);
        assertThat(json.at("/mdc/correlation_id").asText()).isEqualTo(workflow);
        // and as the default text format does
        assertThat(encode(null, line)).contains("[" + workflow + "] - " + ended).doesNotContain("{\"");
    }

    /** One line encoded by the appender logback.xml makes with TRACEABILITY_LOG_FORMAT = format (null: unset). */
    private static String encode(String format, ILoggingEvent event) throws Exception {
        LoggerContext context = new LoggerContext();
        if (format != null) {
            context.putProperty("TRACEABILITY_LOG_FORMAT", format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogLinesTest.class.getClassLoader().getResource("logback.xml"));
        try {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            String name = format == null ? "text" : format;
            OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>) root.getAppender(name);
            assertThat(appender).as("root appender " + name).isNotNull();
            assertThat(root.getAppender(format == null ? "json" : "text")).as("only one format at a time").isNull();
            Encoder<ILoggingEvent> encoder = appender.getEncoder();
            if (format != null) {
                assertThat(encoder).isInstanceOf(JsonEncoder.class);
            }
            String out = new String(encoder.encode(event), StandardCharsets.UTF_8);
            assertThat(out).endsWith("\n").satisfies(s -> assertThat(s.strip()).doesNotContain("\n"));
            return out;
        } finally {
            context.stop();
        }
    }

    private static List<ILoggingEvent> about(String start) {
        return LINES.stream().filter(e -> e.getFormattedMessage().startsWith(start)).toList();
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    }
}

package dev.archon.traceability.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.EventType;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.PatternIds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an as-built track request is checked and becomes our event: no database, no HTTP. */
class ArchonTrackingTest {

    private final ArchonTracking tracking = new ArchonTracking(Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"),
            ZoneOffset.UTC), 1000);

    private static TrackRequest request(String json) throws Exception {
        return TrackRequest.read(Json.mapper().readTree(json));
    }

    @Test
    void defaultsAreTheAsBuiltOnesAndUnknownFieldsAreIgnored() throws Exception {
        TrackRequest r = request("{\"event_type\":\"pattern_created\",\"pattern_id\":\"abc\",\"session_id\":\"x\"}");
        assertThat(r.patternName()).isEmpty();
        assertThat(r.patternType()).isEqualTo("code");
        assertThat(r.patternVersion()).isEqualTo("1.0.0");
        assertThat(r.triggeredBy()).isEqualTo("api");
        assertThat(r.parentPatternIds()).isEmpty();
        assertThat(r.patternData().isEmpty()).isTrue();
    }

    @Test
    void schemaErrorsAreCollectedAsPydanticDoes() {
        assertThatThrownBy(() -> request("{\"event_type\":1,\"pattern_name\":null,\"parent_pattern_ids\":[\"a\",2]}"))
                .isInstanceOfSatisfying(CompatException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> errors = (List<Map<String, Object>>) e.detail();
                    assertThat(errors).extracting(m -> m.get("type") + " " + m.get("loc")).containsExactly(
                            "string_type [body, event_type]", "missing [body, pattern_id]",
                            "string_type [body, pattern_name]", "string_type [body, parent_pattern_ids, 1]");
                });
    }

    @Test
    void semanticChecksAre400() throws Exception {
        assertThat(invalid("{\"event_type\":\"debug_test\",\"pattern_id\":\"a\"}")).contains("'debug_test'");
        assertThat(invalid("{\"event_type\":\"pattern_created\",\"pattern_id\":\"" + "x".repeat(256) + "\","
                + "\"pattern_data\":{\"a\":1}}")).contains("pattern_id", "255");
        assertThat(invalid("{\"event_type\":\"pattern_validated\",\"pattern_id\":\"a\"}")).contains("pattern_data");
        assertThat(invalid("{\"event_type\":\"pattern_created\",\"pattern_id\":\"a\",\"pattern_data\":{\"code\":\""
                + "y".repeat(1001) + "\"}}")).contains("traceability.compat.max-code-chars");
        assertThat(invalid("{\"event_type\":\"pattern_created\",\"pattern_id\":\"a\",\"pattern_data\":{\"k\":[\"ok\","
                + "\"\\u0000\"]}}")).contains("pattern_data.k[1]", "NUL");
        // lenient: no parents on a modification, an unknown edge label
        tracking.check(request("{\"event_type\":\"pattern_modified\",\"pattern_id\":\"a\",\"edge_type\":\"created_from\","
                + "\"transformation_type\":\"modification\"}"));
    }

    private String invalid(String json) throws Exception {
        TrackRequest r = request(json);
        try {
            tracking.check(r);
        } catch (CompatException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void aRequestBecomesAnOpenEndedEventOfTheExternalPattern() throws Exception {
        TrackRequest r = request("""
                {"event_type":"pattern_forked","pattern_id":"child","pattern_version":"1.1.0","pattern_name":"c.py",
                 "parent_pattern_ids":["parent","other"],"edge_type":"inspired_by","reason":"why",
                 "pattern_data":{"code":"print(1)"},"metadata":{"session_id":"s"},"correlation_id":"corr"}""");
        LineageEvent e = tracking.event(r, "request-id");
        assertThat(e.type()).isEqualTo(EventType.PATTERN_MODIFIED);
        assertThat(e.createOrAppend()).isTrue();
        assertThat(e.patternId()).isEqualTo(PatternIds.fromExternalId("child"));
        assertThat(e.parentPatternIds()).containsExactly(PatternIds.fromExternalId("parent"));
        assertThat(e.edgeType()).isEqualTo("RELATED_TO");
        JsonNode edgeMetadata = Json.mapper().readTree(e.edgeMetadataJson());
        assertThat(edgeMetadata.get("label").asText()).isEqualTo("inspired_by");
        assertThat(edgeMetadata.get("transformation_type").asText()).isEqualTo("refactor");
        assertThat(edgeMetadata.get("reason").asText()).isEqualTo("why");
        assertThat(e.node().externalPatternId()).isEqualTo("child");
        assertThat(e.node().externalVersion()).isEqualTo("1.1.0");
        assertThat(e.node().templateCode()).isEqualTo("print(1)");
        assertThat(e.correlationId()).isEqualTo("corr");
        JsonNode payload = Json.mapper().readTree(e.payload());
        assertThat(payload.at("/metadata/session_id").asText()).isEqualTo("s");
        // the code is stored once, as the node's template_code
        assertThat(payload.at("/pattern_data/code/stored_as").asText()).isEqualTo("lineage_nodes.template_code");
        assertThat(payload.at("/pattern_data/code/length").asInt()).isEqualTo(8);
    }

    @Test
    void theSameContentIsTheSameEventWhateverElseChanges() throws Exception {
        String base = "{\"event_type\":\"%s\",\"pattern_id\":\"p\",\"pattern_data\":{\"code\":\"%s\",\"ts\":\"%s\"},"
                + "\"reason\":\"%s\"}";
        var a = tracking.event(request(base.formatted("pattern_created", "x", "1", "plain")), "r1").eventId();
        var b = tracking.event(request(base.formatted("pattern_modified", "x", "2", "corrected")), "r2").eventId();
        var c = tracking.event(request(base.formatted("pattern_created", "y", "1", "plain")), "r3").eventId();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        var applied = tracking.event(request("{\"event_type\":\"pattern_applied\",\"pattern_id\":\"p\"}"), "r4");
        var again = tracking.event(request("{\"event_type\":\"pattern_applied\",\"pattern_id\":\"p\"}"), "r5");
        assertThat(applied.eventId()).isNotEqualTo(again.eventId()); // each application is an event of its own
    }

    @Test
    void edgeLabelsMapToOurTypes() {
        assertThat(ArchonTracking.ourEdgeType("modified_from")).isEqualTo("DERIVED_FROM");
        assertThat(ArchonTracking.ourEdgeType("merged_from")).isEqualTo("MERGED_INTO");
        assertThat(ArchonTracking.ourEdgeType("deprecated_by")).isEqualTo("DEPRECATED_BY");
        assertThat(ArchonTracking.ourEdgeType("IMPROVED_VERSION")).isEqualTo("IMPROVED_VERSION");
        assertThat(ArchonTracking.ourEdgeType("created_from")).isEqualTo("RELATED_TO");
    }

    @Test
    void timesAreWrittenAsPythonsIsoformat() {
        assertThat(CompatTime.iso(Instant.parse("2025-10-18T12:34:56.789012345Z")))
                .isEqualTo("2025-10-18T12:34:56.789012+00:00");
        assertThat(CompatTime.iso(Instant.parse("2025-10-18T12:34:56Z"))).isEqualTo("2025-10-18T12:34:56+00:00");
    }
}

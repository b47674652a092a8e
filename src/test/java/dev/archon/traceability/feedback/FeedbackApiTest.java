package dev.archon.traceability.feedback;

import static dev.archon.traceability.feedback.FeedbackLoopTest.ended;
import static dev.archon.traceability.feedback.FeedbackLoopTest.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.feedback.FeedbackSeed.Versions;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.PatternIds;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /api/feedback and GET /api/feedback/pattern/{id} over real HTTP, and feedback read by a workflow. */
class FeedbackApiTest {

    private static String db;
    private static RunningService service;

    @BeforeAll
    static void start() {
        db = TestPostgres.server().createDatabase();
        service = RunningService.onExternal(db, RunningService.props(
                "traceability.jobs.health-check.enabled", "false",
                "traceability.jobs.daily-maintenance.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        service.close();
        FeedbackSeed.drop(db);
    }

    private static Response feedback(String body) {
        return service.send(HttpRequest.newBuilder(service.uri("/api/feedback"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode json(Response r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void oneItemIsStoredOnceWithItsSentimentReadFromTheRating() throws Exception {
        String name = "fb-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        String item = "{\"feedback_id\":\"" + id + "\",\"pattern_name\":\"" + name + "\",\"rating\":2,"
                + "\"feedback_type\":\"performance\",\"comments\":\"slow on large repos\",\"metadata\":{\"ide\":\"x\"}}";
        Response first = feedback(item);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(json(first).get("status").asText()).isEqualTo("stored");
        assertThat(json(first).get("pattern_id").asText()).isEqualTo(PatternIds.fromName(name).toString());
        Response again = feedback(item);
        assertThat(again.status()).isEqualTo(200);
        assertThat(json(again).get("status").asText()).isEqualTo("duplicate");
        assertThat(TestPostgres.strings(db, "SELECT rating || ' ' || sentiment || ' ' || feedback_type || ' '"
                + " || (metadata->>'ide') FROM pattern_feedback WHERE feedback_id = '" + id + "'"))
                .containsExactly("2 negative performance x");
    }

    @Test
    void anArrayIsAnsweredItemByItemAndBadItemsNameTheirField() throws Exception {
        String name = "fb-array-" + UUID.randomUUID();
        Response r = feedback("[{\"pattern_name\":\"" + name + "\",\"sentiment\":\"positive\"},"
                + "{\"pattern_name\":\"" + name + "\",\"rating\":6},"
                + "{\"rating\":4},"
                + "{\"pattern_name\":\"" + name + "\",\"sentiment\":\"angry\"},"
                + "{\"pattern_name\":\"" + name + "\"},"
                + "{\"pattern_name\":\"" + name + "\",\"rating\":3,\"feedback_type\":\"speed\"},"
                + "{\"pattern_name\":\"" + name + "\",\"comments\":\"fine\",\"node_id\":\"nope\"}]");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.get("received").asInt()).isEqualTo(7);
        assertThat(answer.get("stored").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected").asInt()).isEqualTo(6);
        List<String> fields = new ArrayList<>();
        for (JsonNode result : answer.get("results")) {
            fields.add(result.get("index").asInt() + ":" + result.at("/error/field").asText(result.get("status")
                    .asText()));
        }
        assertThat(fields).containsExactly("0:stored", "1:rating", "2:pattern_id", "3:sentiment", "4:rating",
                "5:feedback_type", "6:node_id");
        assertThat(service.get("/observe/metrics").body())
                .contains("ingest_items_total{kind=\"feedback\",outcome=\"stored\",transport=\"http\"}");
    }

    @Test
    void requestsAreCheckedAsEveryIngestDoorChecksThem() {
        Response text = service.send(HttpRequest.newBuilder(service.uri("/api/feedback"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("great")));
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.body()).contains("UNSUPPORTED_MEDIA_TYPE");
        assertThat(feedback("{\"pattern_name\":").status()).isEqualTo(400);
        assertThat(feedback("[]").body()).contains("the array is empty");
        assertThat(feedback("").body()).contains("the request body is empty");
    }

    @Test
    void aPatternsFeedbackIsPagedNewestFirstWithAggregatesOverAllOfIt() throws Exception {
        Versions p = FeedbackSeed.pattern(service, "fb-page-" + UUID.randomUUID());
        int[] ratings = {5, 4, 1, 2, 3, 5, 2};
        String[] types = {"quality", "quality", "performance", "quality", "usage", "general", "performance"};
        List<String> items = new ArrayList<>();
        for (int i = 0; i < ratings.length; i++) {
            items.add("{\"pattern_id\":\"" + p.pattern() + "\",\"rating\":" + ratings[i] + ",\"feedback_type\":\""
                    + types[i] + "\",\"timestamp\":\"2026-11-20T10:0" + i + ":00Z\"}");
        }
        items.add("{\"pattern_id\":\"" + p.pattern() + "\",\"comments\":\"no rating\",\"timestamp\":"
                + "\"2026-11-20T11:00:00Z\"}");
        assertThat(json(feedback("[" + String.join(",", items) + "]")).get("stored").asInt()).isEqualTo(8);

        Set<String> seen = new HashSet<>();
        String after = null;
        int pages = 0;
        String previous = "9999";
        do {
            Response r = service.get("/api/feedback/pattern/" + p.pattern() + "?limit=3"
                    + (after == null ? "" : "&after=" + after));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode page = json(r);
            JsonNode aggregates = page.get("aggregates");
            assertThat(aggregates.get("count").asInt()).isEqualTo(8);
            assertThat(aggregates.get("ratings").asInt()).isEqualTo(7);
            // (5 + 4 + 1 + 2 + 3 + 5 + 2) / 7 = 22 / 7
            assertThat(aggregates.get("average_rating").asDouble()).isCloseTo(22.0 / 7, within(0.0005));
            // sentiments read from ratings: 4-5 positive (3), 3 neutral (1), 1-2 negative (3); none for comments only
            assertThat(aggregates.at("/sentiment/positive").asInt()).isEqualTo(3);
            assertThat(aggregates.at("/sentiment/neutral").asInt()).isEqualTo(1);
            assertThat(aggregates.at("/sentiment/negative").asInt()).isEqualTo(3);
            for (JsonNode f : page.get("feedback")) {
                assertThat(seen.add(f.get("feedback_id").asText())).isTrue();
                String at = f.get("created_at").asText();
                assertThat(at).endsWith("Z").isLessThan(previous);
                previous = at;
            }
            after = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (after != null);
        assertThat(seen).hasSize(8);
        assertThat(pages).isEqualTo(3);

        JsonNode quality = json(service.get("/api/feedback/pattern/" + p.pattern() + "?feedback_type=quality"));
        assertThat(quality.at("/aggregates/count").asInt()).isEqualTo(3);
        assertThat(quality.at("/aggregates/average_rating").asDouble()).isCloseTo(11.0 / 3, within(0.0005));
        assertThat(quality.get("count").asInt()).isEqualTo(3);
        assertThat(quality.get("next_cursor").isNull()).isTrue();

        Response unknown = service.get("/api/feedback/pattern/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).at("/error/code").asText()).isEqualTo("INVALID_PATTERN_ID");
        // feedback on a pattern the lineage does not know (yet) is still readable
        String loose = "fb-loose-" + UUID.randomUUID();
        feedback("{\"pattern_name\":\"" + loose + "\",\"rating\":4}");
        assertThat(service.get("/api/feedback/pattern/" + PatternIds.fromName(loose)).status()).isEqualTo(200);
        assertThat(service.get("/api/feedback/pattern/" + p.pattern() + "?limit=0").body())
                .contains("\"field\":\"limit\"");
        assertThat(service.get("/api/feedback/pattern/" + p.pattern() + "?feedback_type=speed").status())
                .isEqualTo(400);
        assertThat(service.get("/api/feedback/pattern/" + p.pattern() + "?after=garbage").status()).isEqualTo(400);
    }

    @Test
    void aWorkflowCollectsTheFeedbackAndNegativeFeedbackProposesItsMetric() throws Exception {
        Versions p = FeedbackSeed.pattern(service, "fb-loop-" + UUID.randomUUID());
        FeedbackSeed.executions(db, p.pattern(), p.v1(), 40, 100, 20, 1.7, 0);
        FeedbackSeed.executions(db, p.pattern(), p.v2(), 40, 100, 20, 1.3, 0);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add("{\"pattern_id\":\"" + p.pattern() + "\",\"node_id\":\"" + p.v1() + "\",\"rating\":"
                    + (i < 4 ? 1 : 5) + ",\"feedback_type\":\"" + (i < 4 ? "quality" : "usage") + "\"}");
        }
        feedback("[" + String.join(",", items) + "]");
        JsonNode w = ended(service, started(service, "{\"pattern_id\":\"" + p.pattern() + "\"}"));
        assertThat(w.get("status").asText()).isEqualTo("completed");
        assertThat(w.at("/results/feedback_collected").asInt()).isEqualTo(6);
        assertThat(w.at("/stages/0/figures/feedback/negative").asInt()).isEqualTo(4);
        JsonNode quality = null;
        for (JsonNode proposal : w.get("proposals")) {
            if (proposal.get("metric").asText().equals("quality")) {
                quality = proposal;
            }
        }
        assertThat(quality).as(w.get("proposals").toString()).isNotNull();
        assertThat(quality.at("/reasons/0/rule").asText()).isEqualTo("negative_feedback");
        assertThat(quality.at("/reasons/0/detail").asText()).startsWith("4 of 6 feedback items are negative");
        // same quality scores in both versions: not better, so rejected
        assertThat(quality.get("status").asText()).isEqualTo("rejected");
        assertThat(w.at("/results/improvements_identified").asInt()).isEqualTo(2);
    }
}

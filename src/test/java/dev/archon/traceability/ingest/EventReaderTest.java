package dev.archon.traceability.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.HookExecution;
import dev.archon.traceability.feedback.Feedback;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.EventType;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.PatternIds;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Validation of incoming JSON: what parses into which fields, and how each bad input is named. */
class EventReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:15:30Z");
    private static final String P = "11111111-1111-1111-1111-111111111111";
    private static final String N1 = "22222222-2222-2222-2222-222222222222";
    private static final String N2 = "33333333-3333-3333-3333-333333333333";
    private static final String R = "44444444-4444-4444-4444-444444444444";
    private static final String E = "55555555-5555-5555-5555-555555555555";
    private static final UUID SUPPLIED = UUID.fromString("99999999-9999-9999-9999-999999999999");

    private final EventReader reader = new EventReader(Clock.fixed(NOW, ZoneOffset.UTC));

    @Nested
    class ValidEvents {

        @Test
        void patternCreatedMapsEveryField() {
            String text = json("""
                    {'event_type':'pattern_created','event_id':'%s','pattern_id':'%s','pattern_name':'retry',
                     'pattern_type':'resilience','template_code':'do { } while (x);','confidence_score':0.8,
                     'performance_baseline':{'p50_ms':10,'p95_ms':40},'quality_baseline':0.7,
                     'success_rate_baseline':0.95,'created_by':'alice','correlation_id':'c-1',
                     'timestamp':'2026-01-02T03:04:05+02:00','source':'hook','user_id':'u-7','metadata':{'k':'v'}}
                    """.formatted(E, P));

            LineageEvent e = lineage(text);

            assertThat(e.eventId()).isEqualTo(uuid(E));
            assertThat(e.type()).isEqualTo(EventType.PATTERN_CREATED);
            assertThat(e.patternId()).isEqualTo(uuid(P));
            assertThat(e.parentNodeIds()).isEmpty();
            assertThat(e.parentPatternIds()).isEmpty();
            assertThat(e.improvement()).isFalse();
            assertThat(e.node()).isEqualTo(new LineageEvent.NodeFields("retry", "resilience", "do { } while (x);",
                    0.8, "{\"p50_ms\":10,\"p95_ms\":40}", 0.7, 0.95, "alice"));
            assertThat(e.correlationId()).isEqualTo("c-1");
            assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-01-02T01:04:05Z"));
            assertThat(e.source()).isEqualTo("hook");
            assertThat(e.userId()).isEqualTo("u-7");
            assertThat(tree(e.payload())).isEqualTo(tree(text));
            assertThat(e.execution()).isNull();
        }

        @Test
        void patternModifiedTakesItsParentVersionAndImprovementFlag() {
            LineageEvent e = lineage(json("""
                    {'event_type':'pattern_modified','pattern_id':'%s','parent_node_ids':['%s'],'is_improvement':true}
                    """.formatted(P, N1)));

            assertThat(e.type()).isEqualTo(EventType.PATTERN_MODIFIED);
            assertThat(e.parentNodeIds()).containsExactly(uuid(N1));
            assertThat(e.improvement()).isTrue();
        }

        @Test
        void patternForkedTakesOneSourceNodeOrPattern() {
            LineageEvent byNode = lineage(json("""
                    {'event_type':'pattern_forked','pattern_id':'%s','parent_node_ids':['%s']}""".formatted(P, N1)));
            LineageEvent byPattern = lineage(json("""
                    {'event_type':'pattern_forked','pattern_id':'%s','parent_pattern_ids':['%s']}""".formatted(P, R)));

            assertThat(byNode.type()).isEqualTo(EventType.PATTERN_FORKED);
            assertThat(byNode.parentNodeIds()).containsExactly(uuid(N1));
            assertThat(byNode.parentPatternIds()).isEmpty();
            assertThat(byPattern.parentNodeIds()).isEmpty();
            assertThat(byPattern.parentPatternIds()).containsExactly(uuid(R));
        }

        @Test
        void patternMergedTakesParentNodesAndPatterns() {
            LineageEvent e = lineage(json("""
                    {'event_type':'pattern_merged','pattern_id':'%s','parent_node_ids':['%s','%s'],
                     'parent_pattern_ids':['%s']}""".formatted(P, N1, N2, R)));

            assertThat(e.type()).isEqualTo(EventType.PATTERN_MERGED);
            assertThat(e.patternId()).isEqualTo(uuid(P));
            assertThat(e.parentNodeIds()).containsExactly(uuid(N1), uuid(N2));
            assertThat(e.parentPatternIds()).containsExactly(uuid(R));
        }

        @Test
        void patternDeprecatedTakesAReplacementAndTheVersionConcerned() {
            LineageEvent e = lineage(json("""
                    {'event_type':'pattern_deprecated','pattern_id':'%s','replacement_pattern_id':'%s','node_id':'%s'}
                    """.formatted(P, R, N1)));

            assertThat(e.type()).isEqualTo(EventType.PATTERN_DEPRECATED);
            assertThat(e.replacementPatternId()).isEqualTo(uuid(R));
            assertThat(e.nodeId()).isEqualTo(uuid(N1));
        }

        @Test
        void patternAppliedCarriesItsExecutionWhichInheritsFromTheEvent() {
            LineageEvent e = lineage(json("""
                    {'event_type':'pattern_applied','event_id':'%s','pattern_id':'%s','node_id':'%s',
                     'correlation_id':'c-9','timestamp':'2026-05-06T07:08:09Z',
                     'execution':{'status':'success','duration_ms':12.5,'quality_score':0.9,'hook_name':'pre-commit',
                                  'quality_gates_passed':true}}""".formatted(E, P, N1)));

            assertThat(e.type()).isEqualTo(EventType.PATTERN_APPLIED);
            assertThat(e.nodeId()).isEqualTo(uuid(N1));
            HookExecution x = e.execution();
            assertThat(x.executionId()).as("execution id defaults to the event id").isEqualTo(uuid(E));
            assertThat(x.patternId()).isEqualTo(uuid(P));
            assertThat(x.correlationId()).isEqualTo("c-9");
            assertThat(x.startedAt()).isEqualTo(Instant.parse("2026-05-06T07:08:09Z"));
            assertThat(x.status()).isEqualTo("success");
            assertThat(x.durationMs()).isEqualTo(12.5);
            assertThat(x.qualityScore()).isEqualTo(0.9);
            assertThat(x.hookName()).isEqualTo("pre-commit");
            assertThat(x.qualityGatesPassed()).isTrue();
        }

        @Test
        void patternNameWithoutIdMapsToAStableId() {
            String text = json("{'event_type':'pattern_created','pattern_name':'retry-wrapper'}");

            UUID first = lineage(text).patternId();
            UUID second = new EventReader(Clock.systemUTC()).lineage(tree(text), UUID::randomUUID).patternId();

            assertThat(first).isEqualTo(PatternIds.fromName("retry-wrapper")).isEqualTo(second);
            assertThat(lineage(json("{'event_type':'pattern_created','pattern_name':'other'}")).patternId())
                    .isNotEqualTo(first);
        }

        @Test
        void missingEventIdAndTimestampAreFilledIn() {
            LineageEvent e = lineage(json("{'event_type':'pattern_created','pattern_id':'%s'}".formatted(P)));

            assertThat(e.eventId()).isEqualTo(SUPPLIED);
            assertThat(e.timestamp()).isEqualTo(NOW);
        }

        @Test
        void aNameOfExactlyTheMaximumLengthIsAccepted() {
            String name = "n".repeat(512);

            LineageEvent e = lineage(json("{'event_type':'pattern_created','pattern_name':'%s'}".formatted(name)));

            assertThat(e.node().patternName()).isEqualTo(name);
        }

        @Test
        void aStandaloneExecutionParses() {
            HookExecution x = execution(json("""
                    {'pattern_id':'%s','status':'timeout','duration_ms':0,'quality_score':1,
                     'started_at':'2026-03-04T05:06:07Z','metadata':{'a':1}}""".formatted(P)));

            assertThat(x.executionId()).isEqualTo(SUPPLIED);
            assertThat(x.patternId()).isEqualTo(uuid(P));
            assertThat(x.status()).isEqualTo("timeout");
            assertThat(x.durationMs()).isEqualTo(0.0);
            assertThat(x.qualityScore()).isEqualTo(1.0);
            assertThat(x.startedAt()).isEqualTo(Instant.parse("2026-03-04T05:06:07Z"));
            assertThat(x.metadataJson()).isEqualTo("{\"a\":1}");
        }

        @Test
        void aStandaloneExecutionWithoutStartStartsNow() {
            HookExecution x = execution(json("{'pattern_id':'%s','status':'failure'}".formatted(P)));

            assertThat(x.startedAt()).isEqualTo(NOW);
        }
    }

    @Nested
    class InvalidEvents {

        @Test
        void missingEventType() {
            assertProblem(() -> lineage(json("{'pattern_id':'%s'}".formatted(P))),
                    ErrorCode.VALIDATION_FAILED, "event_type", "required");
        }

        @Test
        void unknownEventTypeListsTheValidOnes() {
            assertProblem(() -> lineage(json("{'event_type':'pattern_exploded','pattern_id':'%s'}".formatted(P))),
                    ErrorCode.VALIDATION_FAILED, "event_type", "unknown", "pattern_exploded", "pattern_created",
                    "pattern_modified", "pattern_forked", "pattern_merged", "pattern_deprecated", "pattern_applied");
        }

        @Test
        void eventIdNotAUuid() {
            assertInvalid(created("'event_id':'not-a-uuid'"), "event_id", "not a UUID", "not-a-uuid");
        }

        @Test
        void patternIdANumber() {
            assertInvalid("{'event_type':'pattern_created','pattern_id':42}", "pattern_id", "UUID", "number");
        }

        @Test
        void neitherPatternIdNorPatternName() {
            assertInvalid("{'event_type':'pattern_created','pattern_type':'x'}", "pattern_id", "required",
                    "pattern_name");
        }

        @Test
        void parentNodeIdsNotAnArray() {
            assertInvalid(modified("'parent_node_ids':'%s'".formatted(N1)), "parent_node_ids", "array");
        }

        @Test
        void parentNodeIdsWithABadUuidNamesTheEntry() {
            assertInvalid(merged("'parent_node_ids':['%s','nope']".formatted(N1)), "parent_node_ids[1]",
                    "not a UUID", "nope");
        }

        @Test
        void parentsOnPatternCreated() {
            assertInvalid(created("'parent_node_ids':['%s']".formatted(N1)), "parent_node_ids", "not allowed",
                    "pattern_created");
            assertInvalid(created("'parent_pattern_ids':['%s']".formatted(R)), "parent_pattern_ids",
                    "not allowed", "pattern_created");
        }

        @Test
        void patternForkedWithoutParent() {
            assertInvalid(forked(""), "parent_node_ids", "exactly one", "got 0");
        }

        @Test
        void patternForkedWithTwoParents() {
            assertInvalid(forked("'parent_node_ids':['%s'],'parent_pattern_ids':['%s']".formatted(N1, R)),
                    "parent_pattern_ids", "exactly one", "got 2");
        }

        @Test
        void patternMergedWithoutParents() {
            assertInvalid(merged(""), "parent_node_ids", "at least one");
        }

        @Test
        void isImprovementOnANonModifiedEvent() {
            assertInvalid(created("'is_improvement':true"), "is_improvement", "only allowed", "pattern_modified");
        }

        @Test
        void replacementOnANonDeprecatedEvent() {
            assertInvalid(modified("'replacement_pattern_id':'%s'".formatted(R)), "replacement_pattern_id",
                    "only allowed", "pattern_deprecated");
        }

        @Test
        void replacementEqualToThePatternItself() {
            assertProblem(() -> lineage(json("{'event_type':'pattern_deprecated','pattern_id':'%s',"
                            .formatted(P) + "'replacement_pattern_id':'%s'}".formatted(P))),
                    ErrorCode.CIRCULAR_DEPENDENCY, "replacement_pattern_id", "itself");
        }

        @Test
        void confidenceScoreAboveOne() {
            assertInvalid(created("'confidence_score':1.5"), "confidence_score", "between 0 and 1", "1.5");
        }

        @Test
        void timestampNotIso() {
            assertInvalid(created("'timestamp':'yesterday'"), "timestamp", "ISO-8601", "yesterday");
        }

        @Test
        void metadataNotAnObject() {
            assertInvalid(created("'metadata':['a']"), "metadata", "JSON object", "array");
        }

        @Test
        void patternNameTooLong() {
            assertInvalid(created("'pattern_name':'%s'".formatted("n".repeat(513))), "pattern_name",
                    "longer than 512", "513");
        }

        @Test
        void patternAppliedWithoutExecution() {
            assertInvalid("{'event_type':'pattern_applied','pattern_id':'%s'}".formatted(P), "execution",
                    "required", "pattern_applied");
        }

        @Test
        void patternAppliedWithABadExecutionStatusNamesTheNestedField() {
            assertInvalid("{'event_type':'pattern_applied','pattern_id':'%s','execution':{'status':'bad'}}"
                    .formatted(P), "execution.status", "success, failure or timeout", "bad");
        }
    }

    @Nested
    class InvalidExecutions {

        @Test
        void missingStatus() {
            assertInvalidExecution("{'pattern_id':'%s'}".formatted(P), "status", "required");
        }

        @Test
        void negativeDuration() {
            assertInvalidExecution(exec("'duration_ms':-1"), "duration_ms", "negative", "-1");
        }

        @Test
        void qualityScoreAboveOne() {
            assertInvalidExecution(exec("'quality_score':1.01"), "quality_score", "between 0 and 1", "1.01");
        }

        @Test
        void malformedStartedAt() {
            assertInvalidExecution(exec("'started_at':'2026-11-27 10:15'"), "started_at", "ISO-8601",
                    "2026-11-27 10:15");
        }

        @Test
        void inputNotAnObject() {
            assertInvalidExecution("['status','success']", "", "expected a JSON object", "array");
        }
    }

    @Nested
    class FeedbackItems {

        private Feedback feedback(String text) {
            return reader.feedback(tree(json(text)), supplied());
        }

        private Problem problem(String text) {
            ProblemException e = catchThrowableOfType(ProblemException.class, () -> feedback(text));
            assertThat(e).as("expected a problem for " + text).isNotNull();
            return e.problem();
        }

        @Test
        void everyFieldIsRead() {
            Feedback f = feedback("""
                    {'feedback_id':'%s','pattern_id':'%s','node_id':'%s','execution_id':'%s','rating':4,
                     'sentiment':'neutral','feedback_type':'quality','comments':'ok','user_id':'u','source':'ide',
                     'correlation_id':'c','timestamp':'2026-01-02T03:04:05Z','metadata':{'k':1}}
                    """.formatted(E, P, N1, N2));
            assertThat(f).isEqualTo(new Feedback(uuid(E), uuid(P), uuid(N1), uuid(N2), "quality", 4, "neutral", "ok",
                    "{\"k\":1}", "u", "ide", "c", Instant.parse("2026-01-02T03:04:05Z")));
        }

        @Test
        void defaultsAndTheSentimentOfARating() {
            Feedback f = feedback("{'pattern_name':'retry','rating':1}");
            assertThat(f.patternId()).isEqualTo(PatternIds.fromName("retry"));
            assertThat(f.feedbackId()).isEqualTo(SUPPLIED);
            assertThat(f.feedbackType()).isEqualTo("general");
            assertThat(f.sentiment()).isEqualTo("negative");
            assertThat(f.createdAt()).isEqualTo(NOW);
            assertThat(feedback("{'pattern_name':'r','rating':3}").sentiment()).isEqualTo("neutral");
            assertThat(feedback("{'pattern_name':'r','rating':4}").sentiment()).isEqualTo("positive");
            assertThat(feedback("{'pattern_name':'r','comments':'just a note'}").sentiment()).isNull();
        }

        @Test
        void badItemsNameTheirField() {
            assertThat(problem("{'pattern_name':'r','rating':0}").field()).isEqualTo("rating");
            assertThat(problem("{'pattern_name':'r','rating':6}").message()).contains("from 1 to 5");
            assertThat(problem("{'pattern_name':'r','rating':2.5}").field()).isEqualTo("rating");
            assertThat(problem("{'pattern_name':'r','rating':'5'}").message()).contains("expected a number");
            assertThat(problem("{'pattern_name':'r','sentiment':'angry'}").field()).isEqualTo("sentiment");
            assertThat(problem("{'pattern_name':'r','rating':3,'feedback_type':'speed'}").field())
                    .isEqualTo("feedback_type");
            assertThat(problem("{'pattern_name':'r'}").message()).contains("needs a rating");
            assertThat(problem("{'rating':3}").field()).isEqualTo("pattern_id");
            assertThat(problem("{'pattern_name':'r','rating':3,'timestamp':'yesterday'}").field())
                    .isEqualTo("timestamp");
            assertThat(problem("{'pattern_name':'r','rating':3,'metadata':[1]}").field()).isEqualTo("metadata");
            assertThat(problem("{'pattern_name':'r','rating':3,'node_id':'x'}").code())
                    .isEqualTo(ErrorCode.VALIDATION_FAILED);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private LineageEvent lineage(String text) {
        return reader.lineage(tree(text), supplied());
    }

    private HookExecution execution(String text) {
        return reader.execution(tree(text), supplied());
    }

    private void assertInvalid(String lineageJson, String field, String... reasonWords) {
        assertProblem(() -> lineage(json(lineageJson)), ErrorCode.VALIDATION_FAILED, field, reasonWords);
    }

    private void assertInvalidExecution(String executionJson, String field, String... reasonWords) {
        assertProblem(() -> execution(json(executionJson)), ErrorCode.VALIDATION_FAILED, field, reasonWords);
    }

    private static void assertProblem(ThrowingCallable read, ErrorCode code, String field, String... reasonWords) {
        ProblemException thrown = catchThrowableOfType(ProblemException.class, read);
        assertThat(thrown).as("expected a ProblemException").isNotNull();
        Problem problem = thrown.problem();
        assertThat(problem.code()).isEqualTo(code);
        assertThat(problem.field()).isEqualTo(field);
        assertThat(problem.message()).contains(reasonWords);
    }

    private static String created(String fields) {
        return event("pattern_created", fields);
    }

    private static String modified(String fields) {
        return event("pattern_modified", fields);
    }

    private static String forked(String fields) {
        return event("pattern_forked", fields);
    }

    private static String merged(String fields) {
        return event("pattern_merged", fields);
    }

    /** A lineage event of the given type about pattern P, with extra fields (single-quoted JSON). */
    private static String event(String type, String fields) {
        return "{'event_type':'" + type + "','pattern_id':'" + P + "'" + (fields.isEmpty() ? "" : "," + fields)
                + "}";
    }

    /** A valid standalone execution plus extra fields (single-quoted JSON). */
    private static String exec(String fields) {
        return "{'pattern_id':'" + P + "','status':'success'," + fields + "}";
    }

    /** Single quotes stand for double quotes, to keep the JSON in tests readable. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static JsonNode tree(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Supplier<UUID> supplied() {
        return () -> SUPPLIED;
    }

    private static UUID uuid(String s) {
        return UUID.fromString(s);
    }
}

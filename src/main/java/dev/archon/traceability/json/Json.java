package dev.archon.traceability.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.sql.Timestamp;
import org.postgresql.util.PGobject;

/**
 * The one JSON mapper configuration of the service: compact output, ISO timestamps, and strict, bounded input:
 * nesting deeper than {@value #MAX_NESTING} levels, strings longer than {@value #MAX_STRING} characters, repeated
 * keys and trailing content after the value are errors, not surprises.
 */
public final class Json {

    public static final int MAX_NESTING = 64;
    public static final int MAX_STRING = 4_000_000;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(MAX_STRING)
                    .build())
            .build())
            .findAndRegisterModules()
            .registerModule(databaseValues())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    /**
     * Values as the JDBC driver returns them (rows of camel-sql queries): json/jsonb as the JSON they hold, not as a
     * driver object; timestamps as ISO-8601 instants in UTC, like every other time the service writes.
     */
    private static SimpleModule databaseValues() {
        SimpleModule m = new SimpleModule("database-values");
        m.addSerializer(PGobject.class, new JsonSerializer<>() {
            @Override
            public void serialize(PGobject v, JsonGenerator gen, SerializerProvider p) throws IOException {
                if (v.getValue() == null) {
                    gen.writeNull();
                } else if ("json".equals(v.getType()) || "jsonb".equals(v.getType())) {
                    gen.writeRawValue(v.getValue());
                } else {
                    gen.writeString(v.getValue());
                }
            }
        });
        m.addSerializer(Timestamp.class, new JsonSerializer<>() {
            @Override
            public void serialize(Timestamp v, JsonGenerator gen, SerializerProvider p) throws IOException {
                gen.writeString(v.toInstant().toString());
            }
        });
        return m;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON text the service stored itself (a jsonb column read as text); null stays null. */
    public static JsonNode stored(String text) {
        try {
            return text == null ? null : MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the database: " + e.getOriginalMessage(), e);
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** What kind of JSON value this is, for messages: "a string", "an array", "null", ... */
    public static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase();
        };
    }

    /** A parse error as a producer can act on it: where (line, column) and what, without the parser's internals. */
    public static String describe(JsonProcessingException e) {
        return describe(e, 0);
    }

    /**
     * The same for text that is one line of a larger input (an NDJSON line): {@code line} is that line's number in
     * the whole input, which the parser, seeing the line alone, cannot know.
     */
    public static String describe(JsonProcessingException e, long line) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? ""
                : " at line " + (line > 0 ? line : at.getLineNr()) + ", column " + at.getColumnNr();
        return "malformed JSON" + where + ": " + reason(e);
    }

    private static String reason(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (e instanceof StreamConstraintsException) {
            if (m.contains("nesting depth")) {
                return "nested deeper than " + MAX_NESTING + " levels";
            }
            if (m.contains("String value length")) {
                return "a string longer than " + MAX_STRING + " characters";
            }
            if (m.contains("Number value length")) {
                return "a number with too many digits";
            }
        }
        if (m.startsWith("Trailing token")) {
            return "more content after the JSON value (one value per document; several records go in an array"
                    + " or NDJSON)";
        }
        // the parser's own words, without its class and option names or a description of the input source
        return m.replaceAll(" \\(bound as `[^`]*`\\)", "")
                .replaceAll(":? ?not allowed as per `[^`]*`", "")
                .replaceAll("\\s*\\(StreamReadFeature[^)]*\\)", "")
                .replaceAll("\\s*at \\[Source: .*", "")
                .replaceAll("\\s*\\[Source: .*", "")
                .trim();
    }
}

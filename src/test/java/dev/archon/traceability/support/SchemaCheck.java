package dev.archon.traceability.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Checks a JSON value against an OpenAPI 3.0 schema of a document: the keywords our document uses ($ref, allOf,
 * oneOf, nullable, type, required, properties, additionalProperties, items, enum, minimum, maximum, minItems,
 * maxItems, maxLength, and the formats uuid and date-time). Returns what does not match, each with its JSON path.
 */
public final class SchemaCheck {

    private final JsonNode document;

    public SchemaCheck(JsonNode document) {
        this.document = document;
    }

    public List<String> errors(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors;
    }

    /** The node a local reference ({@code #/components/schemas/X}) points to. */
    public JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = document.at(node.get("$ref").asText().substring(1));
            if (node.isMissingNode()) {
                throw new IllegalArgumentException("unresolved reference");
            }
        }
        return node;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> errors) {
        schema = resolve(schema);
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && (schema.has("type") || schema.has("properties"))) {
                errors.add(at + ": null, but not nullable");
            }
            return;
        }
        for (JsonNode part : schema.path("allOf")) {
            check(part, value, at, errors);
        }
        if (schema.has("oneOf")) {
            int matching = 0;
            for (JsonNode option : schema.get("oneOf")) {
                if (errors(option, value).isEmpty()) {
                    matching++;
                }
            }
            if (matching != 1) {
                errors.add(at + ": matches " + matching + " of the oneOf schemas, not exactly one");
            }
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode allowed : schema.get("enum")) {
                found |= allowed.asText().equals(value.asText());
            }
            if (!found) {
                errors.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> object(schema, value, at, errors);
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(at + ": expected an array, got " + value.getNodeType());
                    return;
                }
                bound(schema, "minItems", value.size(), true, at, errors);
                bound(schema, "maxItems", value.size(), false, at, errors);
                for (int i = 0; i < value.size(); i++) {
                    check(schema.get("items"), value.get(i), at + "[" + i + "]", errors);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    errors.add(at + ": expected a string, got " + value.getNodeType());
                    return;
                }
                bound(schema, "maxLength", value.asText().length(), false, at, errors);
                format(schema.path("format").asText(""), value.asText(), at, errors);
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    errors.add(at + ": expected an integer, got " + value);
                    return;
                }
                bound(schema, "minimum", value.asDouble(), true, at, errors);
                bound(schema, "maximum", value.asDouble(), false, at, errors);
            }
            case "number" -> {
                if (!value.isNumber()) {
                    errors.add(at + ": expected a number, got " + value);
                    return;
                }
                bound(schema, "minimum", value.asDouble(), true, at, errors);
                bound(schema, "maximum", value.asDouble(), false, at, errors);
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    errors.add(at + ": expected a boolean, got " + value);
                }
            }
            default -> {
                if (schema.has("properties") && value.isObject()) {
                    object(schema, value, at, errors);
                }
            }
        }
    }

    private void object(JsonNode schema, JsonNode value, String at, List<String> errors) {
        if (!value.isObject()) {
            errors.add(at + ": expected an object, got " + value.getNodeType());
            return;
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(at + ": has no " + required.asText());
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = at + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), path, errors);
            } else if (additional.isBoolean() && !additional.asBoolean()) {
                errors.add(path + ": not a property of the schema");
            } else if (additional.isObject()) {
                check(additional, field.getValue(), path, errors);
            }
        }
    }

    private static void bound(JsonNode schema, String keyword, double actual, boolean lower, String at,
                              List<String> errors) {
        if (schema.has(keyword) && (lower ? actual < schema.get(keyword).asDouble()
                : actual > schema.get(keyword).asDouble())) {
            errors.add(at + ": " + actual + " breaks " + keyword + " " + schema.get(keyword));
        }
    }

    private static void format(String format, String text, String at, List<String> errors) {
        try {
            if (format.equals("uuid") && (text.length() != 36 || UUID.fromString(text) == null)) {
                errors.add(at + ": not a UUID: " + text);
            } else if (format.equals("date-time")) {
                OffsetDateTime.parse(text);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            errors.add(at + ": not a " + format + ": " + text);
        }
    }
}

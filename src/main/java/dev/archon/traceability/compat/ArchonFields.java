package dev.archon.traceability.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.archon.traceability.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a request body's fields as the as-built service's pydantic v2 models did: a missing required field, a value
 * of the wrong type (no int-to-string coercion), an explicit null for a field that is not optional, or a number out
 * of its bounds is collected as an error entry {@code {type, loc: ["body", field], msg, input}}; {@link #check()}
 * throws them all as one 422. Unknown fields are ignored. Also reads query parameters ({@code loc: ["query", ...]}).
 */
final class ArchonFields {

    private final JsonNode object;
    private final List<Object> location;
    private final List<Map<String, Object>> errors = new ArrayList<>();

    private ArchonFields(JsonNode object, List<Object> location) {
        this.object = object;
        this.location = location;
    }

    /** The fields of a JSON body; a body that is not a JSON object is itself a 422. */
    static ArchonFields body(JsonNode json) {
        return object(json, List.of("body"));
    }

    /** The fields of an object inside the body, at {@code location} (e.g. body, events, 3). */
    static ArchonFields object(JsonNode json, List<Object> location) {
        ArchonFields f = new ArchonFields(json, location);
        if (json == null || !json.isObject()) {
            f.error(null, "model_attributes_type", "Input should be a valid dictionary or object to extract fields"
                    + " from", json);
            f.check();
        }
        return f;
    }

    /** The body of a request: JSON, or a 422 json_invalid as FastAPI answers a body it cannot parse. */
    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw CompatException.schema(List.of(entry("missing", List.of("body"), "Field required", null)));
        }
        String error;
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            error = Json.describe(e);
        } catch (IOException e) {
            error = String.valueOf(e.getMessage());
        }
        throw CompatException.schema(List.of(entry("json_invalid", List.of("body", 0), "JSON decode error",
                Map.of("error", error))));
    }

    /** Query parameters, given as a JSON object of strings (the route's headers). */
    static ArchonFields query(Map<String, Object> params) {
        return new ArchonFields(Json.mapper().valueToTree(params), List.of("query"));
    }

    boolean has(String field) {
        return object.hasNonNull(field);
    }

    JsonNode node(String field) {
        return object.get(field);
    }

    String requiredString(String field) {
        JsonNode v = object.get(field);
        if (v == null) {
            error(field, "missing", "Field required", null);
            return null;
        }
        return string(field, v);
    }

    /** A str field with a default: absent gives the default; null is refused (the field is not Optional). */
    String string(String field, String defaultValue) {
        JsonNode v = object.get(field);
        return v == null ? defaultValue : string(field, v);
    }

    /** An Optional[str] field: absent or null gives null. */
    String optionalString(String field) {
        JsonNode v = object.get(field);
        return v == null || v.isNull() ? null : string(field, v);
    }

    private String string(String field, JsonNode v) {
        if (!v.isTextual()) {
            error(field, "string_type", "Input should be a valid string", v);
            return null;
        }
        return v.textValue();
    }

    /** A dict field with a default of {}: null and non-objects refused. */
    JsonNode object(String field) {
        JsonNode v = object.get(field);
        if (v == null) {
            return Json.mapper().createObjectNode();
        }
        if (!v.isObject()) {
            error(field, "dict_type", "Input should be a valid dictionary", v);
            return Json.mapper().createObjectNode();
        }
        return v;
    }

    /** An Optional[dict] field (our additions, such as metadata): absent or null gives null. */
    JsonNode optionalObject(String field) {
        JsonNode v = object.get(field);
        return v == null || v.isNull() ? null : object(field);
    }

    /** A list[str] field with a default of []: null refused, each item a string. */
    List<String> stringList(String field) {
        JsonNode v = object.get(field);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            error(field, "list_type", "Input should be a valid list", v);
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (item.isTextual()) {
                out.add(item.textValue());
            } else {
                errors.add(entry("string_type", loc(field, i), "Input should be a valid string", value(item)));
            }
        }
        return out;
    }

    Boolean bool(String field, Boolean defaultValue) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull() && defaultValue == null) {
            return defaultValue;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) { // pydantic accepts these strings (query parameters are strings)
            switch (v.textValue().toLowerCase()) {
                case "true", "1", "yes", "on", "t", "y" -> {
                    return true;
                }
                case "false", "0", "no", "off", "f", "n" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        if (v.isInt() && (v.intValue() == 0 || v.intValue() == 1)) {
            return v.intValue() == 1;
        }
        error(field, "bool_parsing", "Input should be a valid boolean", v);
        return defaultValue;
    }

    /** An int field within [min, max] (null bounds: none); absent gives the default, null is refused unless optional. */
    Integer integer(String field, Integer defaultValue, Integer min, Integer max, boolean optional) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull() && optional) {
            return defaultValue;
        }
        Long n = null;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            n = v.longValue();
        } else if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())) {
            n = (long) v.doubleValue();
        } else if (v.isTextual()) {
            try {
                n = Long.parseLong(v.textValue().trim());
            } catch (NumberFormatException e) {
                n = null;
            }
        }
        if (n == null) {
            error(field, "int_parsing", "Input should be a valid integer", v);
            return defaultValue;
        }
        if (min != null && n < min) {
            error(field, "greater_than_equal", "Input should be greater than or"
                    + " equal to " + min, v);
            return defaultValue;
        }
        if (max != null && n > max) {
            error(field, "less_than_equal", "Input should be less than or equal to " + max, v);
            return defaultValue;
        }
        return n.intValue();
    }

    /** A float field within [min, max]; absent gives the default. */
    Double number(String field, Double defaultValue, Double min, Double max) {
        JsonNode v = object.get(field);
        if (v == null) {
            return defaultValue;
        }
        Double d = null;
        if (v.isNumber()) {
            d = v.doubleValue();
        } else if (v.isTextual()) {
            try {
                d = Double.parseDouble(v.textValue().trim());
            } catch (NumberFormatException e) {
                d = null;
            }
        }
        if (d == null || d.isNaN()) {
            error(field, "float_parsing", "Input should be a valid number", v);
            return defaultValue;
        }
        if (min != null && d < min) {
            error(field, "greater_than_equal", "Input should be greater than or equal to " + min, v);
            return defaultValue;
        }
        if (max != null && d > max) {
            error(field, "less_than_equal", "Input should be less than or equal to " + max, v);
            return defaultValue;
        }
        return d;
    }

    /** Adds an error of our own naming a field (e.g. a value the as-built model would have refused by its type). */
    void error(String field, String type, String message, JsonNode input) {
        errors.add(entry(type, field == null ? location : loc(field), message, value(input)));
    }

    /** Throws the collected errors as one 422; does nothing when there are none. */
    void check() {
        if (!errors.isEmpty()) {
            throw CompatException.schema(errors);
        }
    }

    private List<Object> loc(Object... more) {
        List<Object> loc = new ArrayList<>(location);
        loc.addAll(List.of(more));
        return loc;
    }

    private static Object value(JsonNode input) {
        if (input == null) {
            return null;
        }
        if (input.isContainerNode() && input.toString().length() > 200) {
            return Json.kind(input);
        }
        return input.getNodeType() == JsonNodeType.STRING && input.textValue().length() > 200
                ? input.textValue().substring(0, 200) + "..." : input;
    }

    static Map<String, Object> entry(String type, List<Object> loc, String msg, Object input) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("loc", loc);
        m.put("msg", msg);
        m.put("input", input);
        return m;
    }
}

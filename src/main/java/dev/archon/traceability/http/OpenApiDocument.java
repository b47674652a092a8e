package dev.archon.traceability.http;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.impl.engine.DefaultClassResolver;
import org.apache.camel.model.rest.ParamDefinition;
import org.apache.camel.model.rest.ResponseMessageDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.OpenApiHelper;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;

/**
 * GET /api/openapi.json: the OpenAPI 3.0 document of every endpoint. Camel's reader (camel-openapi-java) turns the
 * rest DSL of routes/*.yaml into the paths, operations, parameters and response codes; the shapes come from one
 * maintained file, {@value #FILE}, an OpenAPI document of its own (its {@code components}, with
 * {@code {{property}}} placeholders for bounds that are settings), joined by the names the rest DSL gives:
 * <ul>
 *   <li>a body parameter's {@code dataType} names a request body of the file (its media types and schemas), or a
 *       schema (sent as application/json);</li>
 *   <li>a {@code responseMessage}'s {@code responseModel} names the schema of that answer;</li>
 *   <li>a path or query parameter's {@code dataType} is an OpenAPI type, or names a schema of the file (a UUID, a
 *       time, bounds); the parameter's {@code allowableValues} and {@code defaultValue} apply to it.</li>
 * </ul>
 * What holds for every endpoint is added here, once: a failure answers the error envelope ({@value #ERROR_ENVELOPE}
 * on every 4xx/5xx answer listed, and as the {@code default} answer: the router's 404, 405, 500 and 503), and the
 * {@code X-Correlation-ID} header is taken on every request and returned on every answer ({@link HttpRouting}).
 * An operation's summary is the first sentence of its description. The paths Camel serves besides the rest DSL
 * (its management endpoints under /observe) are the file's {@code paths}, each listed while Camel serves it.
 */
public final class OpenApiDocument {

    /** The maintained schema file, on the classpath. */
    static final String FILE = "openapi/components.yaml";
    static final String ERROR_ENVELOPE = "ErrorEnvelope";
    private static final String REF = "#/components/";
    private static final String JSON = "application/json";
    private static final int SUMMARY_MAX = 120;

    private final CamelContext camel;

    public OpenApiDocument(CamelContext camel) {
        this.camel = camel;
    }

    /** The processor of GET /api/openapi.json; swagger's mapper writes the model (ours does not know its mixins). */
    public Processor endpoint() {
        return exchange -> new HttpAnswer(200, Json.mapper().writeValueAsBytes(document())).writeTo(exchange);
    }

    /** The document as the endpoint serves it. */
    public OpenAPI document() throws Exception {
        OpenAPI file = file();
        Components components = file.getComponents();
        RestOpenApiSupport support = new RestOpenApiSupport();
        BeanConfig config = new BeanConfig();
        support.initOpenApi(config, camel.getRestConfiguration().getApiProperties());
        List<RestDefinition> rests = support.getRestDefinitions(camel);
        // a responseModel names a schema of the file, not a Java class: Camel's reader gets no class (File: no model)
        OpenAPI api = new RestOpenApiReader().read(camel, rests, config, camel.getName(),
                new DefaultClassResolver(camel) {
                    @Override
                    public Class<?> resolveMandatoryClass(String name) throws ClassNotFoundException {
                        return components.getSchemas().containsKey(name) ? java.io.File.class
                                : super.resolveMandatoryClass(name);
                    }
                });
        if (!camel.getRestConfiguration().isApiVendorExtension()) {
            OpenApiHelper.clearVendorExtensions(api);
        }
        api.setServers(List.of(new Server().url("/").description("this service: the host and port that served this"
                + " document")));
        api.setComponents(components);
        Map<String, VerbDefinition> verbs = new HashMap<>();
        rests.forEach(rest -> rest.getVerbs().forEach(v -> verbs.put(resolve(v.getId()), v)));
        api.getPaths().values().forEach(item -> item.readOperations().forEach(op -> {
            VerbDefinition verb = verbs.get(op.getOperationId());
            if (verb != null) {
                complete(op, verb, components);
            }
        }));
        Set<String> servedByCamel = camel.getComponent("platform-http", PlatformHttpComponent.class)
                .getHttpManagementEndpoints().stream().map(HttpEndpointModel::getUri).collect(Collectors.toSet());
        file.getPaths().forEach((path, item) -> {
            if (servedByCamel.contains(path)) {
                item.readOperations().forEach(op -> {
                    op.getResponses().values().forEach(OpenApiDocument::correlated);
                    addDefault(op.getResponses());
                });
                api.getPaths().addPathItem(path, item);
            }
        });
        return api;
    }

    /** The maintained file, with settings in place of their placeholders; it must parse without a message. */
    private OpenAPI file() throws IOException {
        String text;
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is not on the classpath");
            }
            text = camel.resolvePropertyPlaceholders(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, new ParseOptions());
        if (parsed.getOpenAPI() == null || parsed.getMessages() != null && !parsed.getMessages().isEmpty()) {
            throw new IllegalStateException(FILE + " is not a valid OpenAPI document: " + parsed.getMessages());
        }
        return parsed.getOpenAPI();
    }

    private void complete(Operation op, VerbDefinition verb, Components components) {
        summarize(op);
        for (ParamDefinition param : verb.getParams()) {
            String type = resolve(param.getDataType());
            if (param.getType() == RestParamType.body) {
                op.setRequestBody(requestBody(op.getRequestBody(), type, components));
            } else {
                Parameter parameter = op.getParameters().stream()
                        .filter(p -> p.getName().equals(resolve(param.getName()))).findFirst().orElseThrow();
                Schema<?> named = type == null ? null : components.getSchemas().get(type);
                parameter.setSchema(parameterSchema(named != null ? named : parameter.getSchema(),
                        resolve(param.getDefaultValue()), param.getAllowableValuesAsStringList()));
            }
        }
        op.addParametersItem(new Parameter().$ref(REF + "parameters/CorrelationId"));

        ApiResponses responses = op.getResponses();
        responses.remove(ApiResponses.DEFAULT); // Camel's empty answer where none is listed
        for (ResponseMessageDefinition msg : verb.getResponseMsgs()) {
            String model = resolve(msg.getResponseModel());
            if (model != null) {
                responses.get(resolve(msg.getCode())).setContent(content(verb, model));
            }
        }
        responses.forEach((code, response) -> {
            if (response.getContent() == null && (code.startsWith("4") || code.startsWith("5"))) {
                response.setContent(content(JSON, ERROR_ENVELOPE));
            }
            correlated(response);
        });
        addDefault(responses);
    }

    /** The router's answers to any path: 404, 405, 500 and 503 with the envelope ({@link HttpRouting}). */
    private static void addDefault(ApiResponses responses) {
        responses.addApiResponse(ApiResponses.DEFAULT, correlated(new ApiResponse().description(
                "Any other failure, as the error envelope: 404 NOT_FOUND (no such path), 405 METHOD_NOT_ALLOWED (with"
                        + " Allow), 500 INTERNAL_ERROR, 503 SERVICE_UNAVAILABLE (the service stops or the route is"
                        + " suspended)").content(content(JSON, ERROR_ENVELOPE))));
    }

    /** Camel's reader makes the description the summary: the summary becomes its first sentence. */
    private static void summarize(Operation op) {
        String text = op.getSummary();
        if (text == null) {
            return;
        }
        int end = sentenceEnd(text);
        if (end < text.length()) {
            op.setDescription(text);
            op.setSummary(text.substring(0, end));
        }
    }

    /**
     * Where the summary ends: at the first '.', ':' or ';' outside brackets and followed by a space (or a final
     * '.'); a longer first sentence is cut at its last comma before {@value #SUMMARY_MAX} characters.
     */
    static int sentenceEnd(String text) {
        int depth = 0;
        int lastComma = -1;
        int end = text.endsWith(".") ? text.length() - 1 : text.length();
        for (int i = 0; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && text.charAt(i + 1) == ' ') {
                if (c == '.' || c == ':' || c == ';') {
                    end = i;
                    break;
                }
                if (c == ',' && i < SUMMARY_MAX) {
                    lastComma = i;
                }
            }
        }
        return end > SUMMARY_MAX && lastComma > 0 ? lastComma : end;
    }

    private static RequestBody requestBody(RequestBody camels, String type, Components components) {
        if (type != null && components.getRequestBodies() != null && components.getRequestBodies().containsKey(type)) {
            return new RequestBody().$ref(REF + "requestBodies/" + type);
        }
        if (type != null && components.getSchemas().containsKey(type)) {
            return new RequestBody().required(camels.getRequired()).description(camels.getDescription())
                    .content(content(JSON, type));
        }
        return camels;
    }

    /** A parameter's schema: its type and bounds (from the file, or Camel's), its own enum and default. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> parameterSchema(Schema<?> base, String defaultValue, List<String> allowed) {
        String type = base.getType() == null ? "string" : base.getType();
        Schema schema = switch (type) {
            case "integer" -> new IntegerSchema();
            case "number" -> new NumberSchema();
            case "boolean" -> new BooleanSchema();
            default -> new StringSchema();
        };
        schema.setFormat(base.getFormat());
        schema.setMinimum(base.getMinimum());
        schema.setMaximum(base.getMaximum());
        schema.setMinLength(base.getMinLength());
        schema.setMaxLength(base.getMaxLength());
        schema.setPattern(base.getPattern());
        if (allowed != null && !allowed.isEmpty()) {
            schema.setEnum(new ArrayList<>(allowed));
        } else if (base.getEnum() != null) {
            schema.setEnum(new ArrayList<>(base.getEnum()));
        }
        if (defaultValue != null) {
            schema.setDefault(defaultValue); // each typed schema casts its text: "50" to 50, "true" to true
        }
        return schema;
    }

    private static Content content(VerbDefinition verb, String model) {
        Content content = new Content();
        for (String type : (verb.getProduces() != null ? verb.getProduces() : JSON).split(",")) {
            content.addMediaType(type.trim(), new MediaType().schema(ref(model)));
        }
        return content;
    }

    private static Content content(String mediaType, String model) {
        return new Content().addMediaType(mediaType, new MediaType().schema(ref(model)));
    }

    private static ApiResponse correlated(ApiResponse response) {
        return response.addHeaderObject(HttpAnswer.CORRELATION_ID, new Header().$ref(REF + "headers/CorrelationId"));
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref(REF + "schemas/" + name);
    }

    private String resolve(String text) {
        return text == null ? null : camel.resolvePropertyPlaceholders(text);
    }
}

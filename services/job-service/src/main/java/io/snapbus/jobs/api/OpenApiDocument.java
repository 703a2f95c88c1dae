package io.snapbus.jobs.api;

import io.snapbus.api.ApiProblem;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI documents the job-service serves: {@code /v3/api-docs/v1} is the versioned API alone (committed as
 * {@code docs/openapi/snapbus-v1.json} and compared with it in a test), {@code /v3/api-docs} everything, with the old
 * {@code /api/...} paths marked deprecated (they stay for one release; docs/api.md).
 */
@Configuration
public class OpenApiDocument {
    /** The group of the versioned API. */
    public static final String V1_GROUP = "v1";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_SCHEMA = "#/components/schemas/" + ApiProblem.class.getSimpleName();

    @Bean
    OpenAPI snapbusOpenApi() {
        // A fixed relative server: the document must not change with the host and port it is served from.
        return new OpenAPI().info(new Info().title("snapbus job-service").version("v1")
                        .description("Catalog, repositories, backups, restores and verifications of snapbus. Errors"
                                + " of /api/v1 are RFC 9457 problems (application/problem+json) whose type is"
                                + " urn:snapbus:problem:<code>; see docs/api.md."))
                .servers(List.of(new Server().url("/")));
    }

    /**
     * The versioned API, with an operation id per operation that does not depend on bean order ({@code backupList}:
     * the controller's feature and the method) and the problem every operation may answer.
     */
    @Bean
    GroupedOpenApi v1Api() {
        return GroupedOpenApi.builder().group(V1_GROUP).pathsToMatch("/api/v1/**")
                .addOperationCustomizer((operation, handler) -> operation
                        .operationId(feature(handler.getBeanType()) + capitalized(handler.getMethod().getName()))
                        .responses(operation.getResponses().addApiResponse("default", new ApiResponse()
                                .description("An RFC 9457 problem: type urn:snapbus:problem:<code>")
                                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                                        .schema(new Schema<>().$ref(PROBLEM_SCHEMA)))))))
                .addOpenApiCustomizer(openApi -> ModelConverters.getInstance().readAll(ApiProblem.class)
                        .forEach(openApi.getComponents()::addSchemas))
                .build();
    }

    private static String feature(Class<?> controller) {
        String name = controller.getSimpleName().replace("V1Controller", "");
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String capitalized(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    @Bean
    GroupedOpenApi allApi() {
        return GroupedOpenApi.builder().group("all").pathsToMatch("/api/**").addOpenApiCustomizer(deprecateOldPaths())
                .build();
    }

    /** Every operation outside {@code /api/v1} is deprecated: the old paths are aliases kept for one release. */
    @Bean
    OpenApiCustomizer deprecateOldPaths() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                if (!path.startsWith("/api/v1/")) {
                    for (Operation operation : item.readOperations()) {
                        operation.setDeprecated(true);
                    }
                }
            });
        };
    }
}

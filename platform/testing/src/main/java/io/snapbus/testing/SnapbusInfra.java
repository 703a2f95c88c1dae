package io.snapbus.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the real local infrastructure: a KRaft broker and the schema registry (and an S3
 * server with {@code s3 = true}), each its own process, shared by every annotated class of the test JVM. Such a class
 * is an integration test: name it {@code *IntegrationTest} (failsafe runs those in {@code mvn verify}; the extension
 * refuses another name).
 *
 * <p>Declare a {@link io.snapbus.local.LocalStack} (or {@link io.snapbus.local.S3Endpoint}) parameter on the
 * constructor, a {@code @BeforeAll}/{@code @BeforeEach} method or a test method to get it. The stack is shared:
 * name topics, subjects and buckets with {@link SnapbusInfraExtension#uniqueName(String)}.
 *
 * <pre>{@code
 * @SnapbusInfra(s3 = true)
 * class UploadIntegrationTest {
 *     @Test
 *     void uploads(LocalStack stack) {
 *         String topic = SnapbusInfraExtension.uniqueName("tasks");
 *         ... stack.bootstrapServers(), stack.registryConfluentUrl(), stack.s3().orElseThrow() ...
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SnapbusInfraExtension.class)
public @interface SnapbusInfra {

    /** Whether this class needs the S3 server; it is started the first time a class asks for it, then kept. */
    boolean s3() default false;
}

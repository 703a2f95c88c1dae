package io.snapbus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.snapbus.local.LocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One of two classes that use the harness; together they check that a test JVM gets one shared, running stack. */
@SnapbusInfra
class FirstInfraUserIntegrationTest {

    private static LocalStack fromBeforeAll;
    private final LocalStack fromConstructor;
    private LocalStack fromBeforeEach;

    FirstInfraUserIntegrationTest(LocalStack stack) {
        this.fromConstructor = stack;
    }

    @BeforeAll
    static void recordStack(LocalStack stack) {
        fromBeforeAll = stack;
    }

    @BeforeEach
    void recordStackAgain(LocalStack stack) {
        fromBeforeEach = stack;
    }

    @Test
    void injectsOneRunningStackEverywhere(LocalStack stack) throws Exception {
        assertThat(stack).isSameAs(fromBeforeAll).isSameAs(fromConstructor).isSameAs(fromBeforeEach)
                .isSameAs(SnapbusInfraExtension.current());
        assertThat(stack.components()).allMatch(c -> c.isAlive());
        Properties props = new Properties();
        props.put("bootstrap.servers", stack.bootstrapServers());
        String topic = SnapbusInfraExtension.uniqueName("first");
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
        }
        StackSightings.SEEN.put(getClass(), stack);
    }

    @AfterAll
    static void sameStackAsTheOtherClass() {
        assertThat(StackSightings.SEEN.values().stream().distinct()).hasSize(1);
    }
}

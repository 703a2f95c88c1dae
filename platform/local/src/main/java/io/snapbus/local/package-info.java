/**
 * The embedded default's real infrastructure: a KRaft Kafka broker ({@link io.snapbus.local.KafkaBroker}), Apicurio
 * Registry ({@link io.snapbus.local.SchemaRegistry}) and s3proxy ({@link io.snapbus.local.S3Server}), each launched as
 * its own OS process on 127.0.0.1 with all data under one folder, composed by {@link io.snapbus.local.LocalStack}.
 *
 * <p>Used by the CLI's local stack and, through {@code snapbus-testing}, by every module's integration tests.
 * Start with {@link io.snapbus.local.LocalStack#start(LocalStackConfig)}; every failure to start is one
 * {@link io.snapbus.local.LocalComponentException} naming the component, the cause, the remedy and the log tail.
 */
package io.snapbus.local;

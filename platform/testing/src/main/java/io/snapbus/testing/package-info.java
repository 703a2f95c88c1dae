/**
 * The integration-test harness shared by all modules: annotate a test class with
 * {@link io.snapbus.testing.SnapbusInfra} and take a {@link io.snapbus.local.LocalStack} parameter.
 */
package io.snapbus.testing;

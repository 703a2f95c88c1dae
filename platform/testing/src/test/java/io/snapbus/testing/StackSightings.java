package io.snapbus.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.snapbus.local.LocalStack;

/** What each test class saw of the shared stack, so the classes can check they saw the same one. */
final class StackSightings {

    static final Map<Class<?>, LocalStack> SEEN = new ConcurrentHashMap<>();

    private StackSightings() {
    }
}

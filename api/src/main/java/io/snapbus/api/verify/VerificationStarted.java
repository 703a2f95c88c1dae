package io.snapbus.api.verify;

/** A verification that started in the background; read its report by {@code id}. */
public record VerificationStarted(long id, String timestamp, String level) {}
